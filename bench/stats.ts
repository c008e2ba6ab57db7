// Small helpers the benchmark modules share.

/** `value` rounded to `digits` decimals, for figures printed next to their goals. */
export function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
