// Locale-aware number parsing for quote tables. Pure; table-tested. Missing markers give null,
// anything else that is not a well-formed number throws, so a shifted column never becomes data.
import { NumberFormatError } from './errors.ts';

/**
 * en: "1,234.5" (comma, space or NBSP thousands — GPW mixes NBSP and commas in one table);
 * en-IN: like en but also lakh/crore grouping "1,79,32,575"; pl: "7 050,76" (decimal comma,
 * space/NBSP thousands).
 */
export const NUMBER_LOCALES = ['en', 'en-IN', 'pl'] as const;
export type NumberLocale = (typeof NUMBER_LOCALES)[number];

/** Texts that mean "no value" on the pages we know. */
export const DEFAULT_MISSING = ['', '-', '--', '---', '—', '–', 'n/a', 'N/A'] as const;

/** Unit multipliers a column may declare (turnover in thousands, millions, lakhs, crores). */
export const UNITS = { one: 1, thou: 1e3, mn: 1e6, lakh: 1e5, crore: 1e7, bn: 1e9 } as const;
export type Unit = keyof typeof UNITS;

export interface NumberFormat {
  locale: NumberLocale;
  /** Exact cell texts (after trimming) that mean missing. @default DEFAULT_MISSING */
  missing?: readonly string[];
}

const SPACES = /[\s\u00a0\u202f]/;
/** Digits with an optional "." fraction: valid as-is in en/en-IN; in pl only without a fraction. */
const PLAIN_EN = /^[+-]?\d+(?:\.\d+)?$/;
const PLAIN_INT = /^[+-]?\d+$/;
const PLAIN_PL = /^[+-]?\d+,\d+$/;
const WESTERN = /^\d{1,3}(?:([,\s\u00a0\u202f])\d{3})?(?:\1\d{3})*$/;
const INDIAN = /^\d{1,2}(?:,\d{2})*,\d{3}$/;
const PL = /^\d{1,3}(?:([\s\u00a0\u202f])\d{3})?(?:\1\d{3})*$/;

function checkGrouping(intPart: string, fmt: NumberFormat, raw: string): string {
  if (/^\d+$/.test(intPart)) return intPart;
  const ok =
    fmt.locale === 'pl'
      ? PL.test(intPart)
      : WESTERN.test(intPart) || (fmt.locale === 'en-IN' && INDIAN.test(intPart));
  if (!ok) throw new NumberFormatError(raw, fmt.locale, 'digit grouping is not valid');
  return intPart.replace(/[^\d]/g, '');
}

/**
 * Parse one cell as a decimal string "[-]digits[.digits]" (exact, no float rounding yet).
 * Returns null for a missing marker.
 */
export function parseDecimal(raw: string, fmt: NumberFormat): string | null {
  const text = raw.trim();
  const missing = fmt.missing ?? DEFAULT_MISSING;
  if (missing.includes(text)) return null;
  // Fast path for the common ungrouped cell ("1.5500", "-0.88" in pl after the comma swap).
  if ((fmt.locale === 'pl' ? PLAIN_INT : PLAIN_EN).test(text))
    return text.startsWith('+') ? text.slice(1) : text;
  if (fmt.locale === 'pl' && PLAIN_PL.test(text)) return text.replace(',', '.').replace(/^\+/, '');
  const m = /^([+\-\u2212]?)\s*([\d,.\s\u00a0\u202f]*\d)\s*%?$/.exec(text);
  if (!m || m[2] === undefined) throw new NumberFormatError(raw, fmt.locale, 'unexpected characters');
  const sign = m[1] === '' || m[1] === '+' ? '' : '-';
  const decimalMark = fmt.locale === 'pl' ? ',' : '.';
  const parts = m[2].split(decimalMark);
  if (parts.length > 2) throw new NumberFormatError(raw, fmt.locale, `more than one "${decimalMark}"`);
  const [intRaw = '', frac] = parts;
  if (frac !== undefined && !/^\d+$/.test(frac)) {
    throw new NumberFormatError(raw, fmt.locale, 'fraction digits are not valid');
  }
  if (intRaw === '' || SPACES.test(intRaw.at(-1) ?? '')) {
    throw new NumberFormatError(raw, fmt.locale, 'no integer digits');
  }
  const digits = checkGrouping(intRaw, fmt, raw);
  return frac === undefined ? `${sign}${digits}` : `${sign}${digits}.${frac}`;
}

/** Scale an exact decimal string by a multiplier without float noise ("1.104" × 1e6 → 1104000). */
export function scaleDecimal(decimal: string, multiplier: number): number {
  if (multiplier === 1) return Number(decimal);
  const pow = Math.log10(multiplier);
  // Powers of ten shift the exponent, so the only rounding is the final string → double step.
  if (Number.isInteger(pow)) return Number(`${decimal}e${pow}`);
  return Number((Number(decimal) * multiplier).toPrecision(15));
}

export interface NumberOptions extends NumberFormat {
  /** Multiplier applied after parsing. @default 1 */
  multiplier?: number;
  /** Treat a parsed zero as missing: placeholder prices on untraded rows. @default false */
  zeroIsMissing?: boolean;
}

/** Parse a cell to a number, null when missing; throws NumberFormatError when malformed. */
export function parseNumber(raw: string, opts: NumberOptions): number | null {
  const decimal = parseDecimal(raw, opts);
  if (decimal === null) return null;
  const value = scaleDecimal(decimal, opts.multiplier ?? 1);
  if (value === 0) return opts.zeroIsMissing ? null : 0;
  return value;
}
