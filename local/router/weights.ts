// The router's routing rules, pure: the weighted forward action and the colour test route, as the
// shared listener has them (default action: forward to both target groups by weight; one rule per
// colour on the X-Exchange-Color header). Validating and printing weights is contract/weights.ts.
import { COLORS, type Color } from '../../contract/index.ts';
import type { Weights } from '../../contract/weights.ts';

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
