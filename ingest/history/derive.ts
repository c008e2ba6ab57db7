// Change from the previous published trading day of the same symbol. Pure. "Previous" is the latest
// published date before this one in the bucket (not the calendar), so weekends and holidays skip.
import type { DerivedField, Quote } from '../../contract/quote.ts';

/** The previous trading day's closes, by symbol. */
export interface PreviousDay {
  date: string;
  closes: ReadonlyMap<string, number>;
}

/** A value the page gave that the previous published day contradicts beyond the page's rounding. */
export interface Disagreement {
  symbol: string;
  field: 'previousClose' | 'change';
  page: number;
  fromHistory: number;
}

export interface Derivation {
  quotes: Quote[];
  disagreements: Disagreement[];
}

/** Decimal places a number shows (1.2300 parsed is 1.23: two). */
export function decimals(n: number): number {
  const text = String(n);
  if (text.includes('e')) return 10;
  return text.split('.')[1]?.length ?? 0;
}

/** True when `page` differs from `other` by more than half a unit of the page's last decimal. */
export function beyondRounding(page: number, other: number): boolean {
  return Math.abs(page - other) > 0.5 * 10 ** -decimals(page) + 1e-9;
}

function fixed(n: number, places: number): number {
  return Number(n.toFixed(Math.min(places, 12)));
}

function isNum(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * The change figures the page's own values imply but the page does not print (DSE gives a close, a
 * previous close and a change, but no percent): the page shows them, so the downloads carry them,
 * listed in `derived`. Values the page gave are never rewritten.
 */
export function completeFromPage(q: Quote): Quote {
  const derived: DerivedField[] = [...(q.derived ?? [])];
  const next: Quote = { ...q };
  if (!isNum(next.previousClose) && isNum(next.close) && isNum(next.change)) {
    next.previousClose = fixed(
      next.close - next.change,
      Math.max(decimals(next.close), decimals(next.change)),
    );
    derived.push('previousClose');
  }
  if (!isNum(next.change) && isNum(next.close) && isNum(next.previousClose)) {
    next.change = fixed(
      next.close - next.previousClose,
      Math.max(decimals(next.close), decimals(next.previousClose)),
    );
    derived.push('change');
  }
  if (
    !isNum(next.changePercent) &&
    isNum(next.change) &&
    isNum(next.previousClose) &&
    next.previousClose !== 0
  ) {
    next.changePercent = fixed((next.change / next.previousClose) * 100, 4);
    derived.push('changePercent');
  }
  if (derived.length === (q.derived?.length ?? 0)) return q;
  next.derived = derived;
  return next;
}

/**
 * Fills previousClose, change and changePercent where the page gave none — from the previous
 * published day, then from the page's own values (completeFromPage); the filled fields are listed in
 * `derived`. Values the page gave are kept; a previous close or change that the previous published
 * day contradicts is reported.
 */
export function deriveFromPrevious(quotes: readonly Quote[], previous: PreviousDay | null): Derivation {
  const disagreements: Disagreement[] = [];
  const out = quotes.map((q) => completeFromPage(fromPrevious(q, previous, disagreements)));
  return { quotes: out, disagreements };
}

function fromPrevious(q: Quote, previous: PreviousDay | null, disagreements: Disagreement[]): Quote {
  const prior = previous?.closes.get(q.symbol);
  // Only with a previous published day: the page's own values are never rewritten.
  if (!isNum(prior)) return q;
  const derived: DerivedField[] = [];
  const next: Quote = { ...q };
  compare(q, prior, disagreements);
  if (!isNum(next.previousClose) && !isNum(q.change)) {
    next.previousClose = prior;
    derived.push('previousClose');
  }
  const close = next.close;
  const prev = next.previousClose;
  if (!isNum(next.change) && isNum(close) && isNum(prev)) {
    next.change = fixed(close - prev, Math.max(decimals(close), decimals(prev)));
    derived.push('change');
  }
  if (!isNum(next.changePercent) && isNum(next.change) && isNum(prev) && prev !== 0) {
    next.changePercent = fixed((next.change / prev) * 100, 4);
    derived.push('changePercent');
  }
  if (derived.length > 0) next.derived = derived;
  return next;
}

function compare(q: Quote, prior: number, out: Disagreement[]): void {
  if (isNum(q.previousClose)) {
    if (beyondRounding(q.previousClose, prior)) {
      out.push({ symbol: q.symbol, field: 'previousClose', page: q.previousClose, fromHistory: prior });
    }
    return;
  }
  if (isNum(q.change) && isNum(q.close)) {
    const fromHistory = fixed(q.close - prior, Math.max(decimals(q.close), decimals(prior)));
    if (beyondRounding(q.change, fromHistory)) {
      out.push({ symbol: q.symbol, field: 'change', page: q.change, fromHistory });
    }
  }
}
