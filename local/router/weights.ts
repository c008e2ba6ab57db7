// The router's routing rules, pure: the weighted forward action and the colour test route, as the
// shared listener has them (default action: forward to both target groups by weight; one rule per
// colour on the X-Exchange-Color header).
import { COLORS, type Color } from '../../contract/index.ts';
import { ConfigError } from '../../lib/errors.ts';

export type Weights = Record<Color, number>;

/** ELBv2 accepts target-group weights 0–999 per forward action. */
export const MAX_WEIGHT = 999;

/** The weights, or a ConfigError naming the bad value (non-integers, out of range, all zero). */
export function checkWeights(value: unknown): Weights {
  if (typeof value !== 'object' || value === null) {
    throw new ConfigError(`weights ${JSON.stringify(value)} are not an object`, {
      hint: 'send {"blue": <0–999>, "green": <0–999>}',
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
    const w = input[color];
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > MAX_WEIGHT) {
      throw new ConfigError(`weight of ${color} ${JSON.stringify(w)} is not an integer in 0–${MAX_WEIGHT}`, {
        hint: 'the listener accepts integer weights 0–999',
      });
    }
    out[color] = w;
  }
  if (COLORS.every((c) => out[c] === 0)) {
    throw new ConfigError('weights are all 0, which would send every request nowhere', {
      hint: 'give at least one colour a weight above 0',
    });
  }
  return out;
}

/** The colour for one request: `r` in [0, 1) falls into a colour's share of the total weight. */
export function pickColor(weights: Weights, r: number): Color {
  const total = COLORS.reduce((sum, c) => sum + weights[c], 0);
  let point = r * total;
  for (const color of COLORS) {
    if (point < weights[color]) return color;
    point -= weights[color];
  }
  // r close to 1 with rounding: the last colour that has weight.
  return [...COLORS].reverse().find((c) => weights[c] > 0) ?? COLORS[0];
}

/** The colour a test-route header names, or undefined (the header is then ignored, like an unmatched rule). */
export function colorFromHeader(value: string | string[] | undefined): Color | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim().toLowerCase();
  return (COLORS as readonly string[]).includes(v ?? '') ? (v as Color) : undefined;
}

/** Each colour's share in percent, for reports. */
export function shares(weights: Weights): Weights {
  const total = COLORS.reduce((sum, c) => sum + weights[c], 0);
  const out = {} as Weights;
  for (const c of COLORS) out[c] = total === 0 ? 0 : Math.round((weights[c] / total) * 1000) / 10;
  return out;
}
