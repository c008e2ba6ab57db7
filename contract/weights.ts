// Listener weights, the one module every side agrees on: the shift, the durable weights document, the
// shared stack's config, the policy pack and the local router all validate and print weights here.
import { ConfigError } from '../lib/errors.ts';
import { COLORS, type Color } from './index.ts';

/** Listener weights per colour: integers 0–MAX_WEIGHT (ALB forward action), not all zero. */
export type Weights = Record<Color, number>;

/**
 * Largest weight an ALB forward action accepts per target group (ELBv2 `TargetGroupTuple.Weight`:
 * "The weight. The range is 0 to 999").
 */
export const MAX_WEIGHT = 999;

/** Why `value` is not a valid weight, or undefined when it is one. */
export function weightProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WEIGHT)
    return `${JSON.stringify(value)} is not an integer in 0–${MAX_WEIGHT}`;
  return undefined;
}

/** The weights, or a ConfigError naming the bad value (unknown colours, non-integers, out of range, all zero). */
export function checkWeights(value: unknown): Weights {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`weights ${JSON.stringify(value)} are not an object`, {
      hint: `send {${COLORS.map((c) => `"${c}": <0–${MAX_WEIGHT}>`).join(', ')}}`,
    });
  }
  const input = value as Record<string, unknown>;
  const extra = Object.keys(input).filter((k) => !(COLORS as readonly string[]).includes(k));
  if (extra.length) {
    throw new ConfigError(`weights name unknown colour(s) ${extra.join(', ')}`, {
      hint: `use only ${COLORS.join(' and ')}`,
    });
  }
  const out = {} as Weights;
  for (const color of COLORS) {
    const problem = weightProblem(input[color]);
    if (problem)
      throw new ConfigError(`weight of ${color} ${problem}`, {
        hint: `the listener accepts integer weights 0–${MAX_WEIGHT}`,
      });
    out[color] = input[color] as number;
  }
  if (COLORS.every((c) => out[c] === 0)) {
    throw new ConfigError('weights are all 0, which would send every request nowhere', {
      hint: 'give at least one colour a weight above 0',
    });
  }
  return out;
}

/** "blue 90 / green 10": how every message and report prints weights. */
export function formatWeights(w: Weights): string {
  return COLORS.map((c) => `${c} ${w[c]}`).join(' / ');
}

/** True when both colours carry the same weight in `a` and `b`. */
export function sameWeights(a: Weights, b: Weights): boolean {
  return COLORS.every((c) => a[c] === b[c]);
}

/** Each colour's share in percent (one decimal), for reports. */
export function shares(weights: Weights): Weights {
  const total = COLORS.reduce((sum, c) => sum + weights[c], 0);
  const out = {} as Weights;
  for (const c of COLORS) out[c] = total === 0 ? 0 : Math.round((weights[c] / total) * 1000) / 10;
  return out;
}
