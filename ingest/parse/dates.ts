// Date parsing for quote pages. Pure: no clock. Every result is a real calendar day "YYYY-MM-DD".
import { DateFormatError } from './errors.ts';

/** Formats seen on the pages: "Apr 23, 2026", "04-01-2021", "02-Nov-2015", ISO, Unix seconds. */
export const DATE_FORMATS = ['MMM D, YYYY', 'DD-MM-YYYY', 'DD-MMM-YYYY', 'YYYY-MM-DD', 'unix'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function iso(y: number, m: number, d: number, raw: string, format: string): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new DateFormatError(raw, format);
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const PATTERNS: Record<Exclude<DateFormat, 'unix'>, { re: RegExp; order: [number, number, number] }> = {
  'MMM D, YYYY': { re: /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/, order: [3, 1, 2] },
  'DD-MM-YYYY': { re: /^(\d{2})[-./](\d{2})[-./](\d{4})$/, order: [3, 2, 1] },
  'DD-MMM-YYYY': { re: /^(\d{1,2})[- ]([A-Za-z]{3})[- ](\d{4})$/, order: [3, 2, 1] },
  'YYYY-MM-DD': { re: /^(\d{4})-(\d{2})-(\d{2})$/, order: [1, 2, 3] },
};

/** Parse `raw` in `format` to "YYYY-MM-DD"; throws DateFormatError on mismatch or an impossible day. */
export function parseDate(raw: string, format: Exclude<DateFormat, 'unix'>): string {
  const text = raw.replace(/\s+/g, ' ').trim();
  const { re, order } = PATTERNS[format];
  const m = re.exec(text);
  if (!m) throw new DateFormatError(raw, format);
  const [y, mo, d] = order.map((i) => m[i] ?? '');
  const month = /^\d+$/.test(mo ?? '') ? Number(mo) : monthIndex(mo ?? '');
  return iso(Number(y), month, Number(d), raw, format);
}

/** The calendar date of an instant in an IANA time zone. */
export function dateInZone(epochMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return parts.format(new Date(epochMs));
}

/** Step back from Saturday/Sunday to Friday: a page captured at the weekend shows Friday's session. */
export function rollBackWeekend(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const dow = date.getUTCDay();
  const back = dow === 6 ? 1 : dow === 0 ? 2 : 0;
  return new Date(date.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** Unix seconds (as text) → trading date in `timeZone`, optionally rolled back off a weekend. */
export function unixToDate(raw: string, timeZone: string, weekendRollback: boolean): string {
  if (!/^\d{9,11}$/.test(raw.trim())) throw new DateFormatError(raw, 'unix');
  const day = dateInZone(Number(raw.trim()) * 1000, timeZone);
  return weekendRollback ? rollBackWeekend(day) : day;
}

/** True when `text` is a real "YYYY-MM-DD" day. */
export function isIsoDate(text: string): boolean {
  try {
    parseDate(text, 'YYYY-MM-DD');
    return true;
  } catch {
    return false;
  }
}
