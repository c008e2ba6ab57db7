// The publish gate: pure checks that decide whether parsed quotes may become user-visible. Runs
// before anything is written; one failing check means nothing is published.
import {
  QUOTE_FIELDS,
  QUOTE_COUNT_FIELDS,
  QUOTE_NUMBER_FIELDS,
  QUOTE_PRICE_FIELDS,
  QUOTE_TEXT_FIELDS,
  type Quote,
} from '../../contract/quote.ts';
import type { GateFailure } from './errors.ts';

export interface GateInput {
  source: string;
  /** The quotes that would be published (one trading date). */
  quotes: Quote[];
  /** Data rows the parser could not turn into quotes, over the whole page. */
  rejectedRows: number;
  /** Quotes parsed from the whole page; series pages carry many dates. @default quotes.length */
  pageQuotes?: number;
}

export interface GateOptions {
  /** Trading date being published, YYYY-MM-DD. */
  date: string;
  /** Fewest quotes a healthy page yields for one date (the adapter's minQuotes, or --min-quotes). */
  minQuotes: number;
  /** Largest share of the page's data rows that may be rejected, 0–1. @default 0.1 */
  maxRejectedShare?: number;
  /** Least share of quotes carrying each core field. @default CORE_FIELD_SHARES[source] */
  coreFieldShares?: CoreShares;
  /** Relative slack when checking open/close inside [low, high], for rounded pages. @default 0.001 */
  rangeTolerance?: number;
  now: Date;
}

export const DEFAULT_MAX_REJECTED_SHARE = 0.1;

type CoreShares = Partial<Record<(typeof QUOTE_FIELDS)[number], number>>;

/**
 * Per source: fields a healthy page carries on nearly every quote, and the least share of the
 * date's quotes that must have each. Measured on the committed real pages (every field listed is
 * on ≥ 92% of quotes there); half is the floor, so a quiet day with many untraded rows still
 * passes while a page whose closes are all "n/a" does not. Unknown sources (mappings): close only.
 */
export const CORE_FIELD_SHARES: Record<string, CoreShares> = {
  dse: { close: 0.5, previousClose: 0.5, volume: 0.5 },
  'gpw-archive': { close: 0.5, isin: 0.5, volume: 0.5 },
  'gpw-quotations': { close: 0.5, isin: 0.5, previousClose: 0.5 },
  'gpw-2016': { close: 0.5, isin: 0.5, previousClose: 0.5 },
  'nse-index': { close: 0.5, open: 0.5, high: 0.5, low: 0.5 },
  'nse-fo': { close: 0.5, open: 0.5, high: 0.5, low: 0.5 },
  'ecb-daily': { close: 0.5 },
  'ecb-hist-90d': { close: 0.5 },
};
export const DEFAULT_CORE_FIELD_SHARES: CoreShares = { close: 0.5 };

const PRICE_FIELDS = QUOTE_PRICE_FIELDS;
const COUNT_FIELDS = QUOTE_COUNT_FIELDS;
const TEXT_FIELDS = QUOTE_TEXT_FIELDS;
const NUMBER_FIELDS = QUOTE_NUMBER_FIELDS;
/** Exchanges run up to UTC+14, so their trading day can start while UTC is still on the day before. */
const AHEAD_OF_UTC_MS = 14 * 3600_000;

export function validateQuotes(input: GateInput, options: GateOptions): GateFailure[] {
  const failures: GateFailure[] = [
    ...checkDate(options.date, options.now),
    ...checkCounts(input, options),
    ...checkCoreFields(input, options),
  ];
  const seen = new Set<string>();
  for (const quote of input.quotes) {
    failures.push(...checkQuote(quote, options));
    const key = `${quote.date}|${quote.symbol}`;
    if (seen.has(key)) {
      failures.push({
        check: 'duplicate-symbol',
        symbol: quote.symbol,
        message: `symbol "${quote.symbol}" appears twice on ${quote.date}`,
      });
    }
    seen.add(key);
  }
  return failures;
}

export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function checkDate(date: string, now: Date): GateFailure[] {
  if (!isCalendarDate(date))
    return [{ check: 'bad-date', message: `date "${date}" is not a calendar date YYYY-MM-DD` }];
  const latest = new Date(now.getTime() + AHEAD_OF_UTC_MS).toISOString().slice(0, 10);
  if (date > latest)
    return [
      {
        check: 'future-date',
        message: `date ${date} is in the future (today is ${now.toISOString().slice(0, 10)} UTC)`,
      },
    ];
  return [];
}

function checkCounts(input: GateInput, options: GateOptions): GateFailure[] {
  const failures: GateFailure[] = [];
  const n = input.quotes.length;
  if (n < options.minQuotes) {
    failures.push({
      check: 'min-quotes',
      message: `${n} quotes for ${options.date}, fewer than the minimum ${options.minQuotes}`,
    });
  }
  const maxShare = options.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE;
  const rows = (input.pageQuotes ?? n) + input.rejectedRows;
  const share = rows === 0 ? 0 : input.rejectedRows / rows;
  if (share > maxShare) {
    failures.push({
      check: 'rejected-share',
      message: `${input.rejectedRows} of ${rows} rows rejected (${pct(share)}), more than the allowed ${pct(maxShare)}`,
    });
  }
  return failures;
}

function checkCoreFields(input: GateInput, options: GateOptions): GateFailure[] {
  const n = input.quotes.length;
  if (n === 0) return [];
  const wanted = options.coreFieldShares ?? CORE_FIELD_SHARES[input.source] ?? DEFAULT_CORE_FIELD_SHARES;
  const failures: GateFailure[] = [];
  for (const [field, min] of Object.entries(wanted) as [keyof CoreShares, number][]) {
    const have = input.quotes.filter(
      (q) => q[field] !== null && q[field] !== undefined && q[field] !== '',
    ).length;
    if (have / n < min) {
      failures.push({
        check: 'core-field-share',
        message: `${field} present in ${have} of ${n} quotes (${pct(have / n)}), fewer than the ${pct(min)} ${input.source} always carries`,
      });
    }
  }
  return failures;
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function checkQuote(q: Quote, options: GateOptions): GateFailure[] {
  const failures: GateFailure[] = [];
  const at = `${q.symbol || '(no symbol)'} ${q.date}`;
  const fail = (check: GateFailure['check'], message: string): void => {
    failures.push({ check, symbol: q.symbol, message: `${at}: ${message}` });
  };
  if (!q.symbol || q.symbol.trim() === '') fail('missing-symbol', 'quote has no symbol');
  if (q.date !== options.date) fail('date-mismatch', `quote is dated ${q.date}, not ${options.date}`);
  for (const f of TEXT_FIELDS) {
    // U+FFFD is what a decoder leaves for bytes that are not valid in the charset it was told.
    if (q[f]?.includes('\uFFFD')) fail('undecodable-text', `${f} "${q[f]}" has undecodable bytes`);
  }
  for (const f of NUMBER_FIELDS) {
    const v = q[f];
    if (typeof v === 'number' && !Number.isFinite(v)) fail('not-finite', `${f} is ${v}`);
  }
  for (const f of PRICE_FIELDS) {
    const v = q[f];
    if (typeof v === 'number' && v <= 0)
      fail('non-positive-price', `${f} ${v} is not a price (a missing price must be null)`);
  }
  for (const f of COUNT_FIELDS) {
    const v = q[f];
    if (typeof v === 'number' && v < 0) fail('negative-count', `${f} ${v} is negative`);
  }
  failures.push(
    ...checkRange(q, options.rangeTolerance ?? 0.001).map((m) => ({ ...m, message: `${at}: ${m.message}` })),
  );
  return failures;
}

function checkRange(q: Quote, tolerance: number): GateFailure[] {
  const { low, high } = q;
  if (typeof low !== 'number' || typeof high !== 'number') return [];
  if (low > high)
    return [{ check: 'low-above-high', symbol: q.symbol, message: `low ${low} is above high ${high}` }];
  const failures: GateFailure[] = [];
  const slack = high * tolerance;
  for (const f of ['open', 'close'] as const) {
    const v = q[f];
    if (typeof v === 'number' && (v < low - slack || v > high + slack)) {
      failures.push({
        check: 'price-outside-range',
        symbol: q.symbol,
        message: `${f} ${v} is outside [${low}, ${high}]`,
      });
    }
  }
  return failures;
}
