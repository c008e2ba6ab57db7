// The days a run parsed, held compactly until they are published: a whole history arrives newest
// first (the ECB's files) but is published oldest first (each day's change derives from the one
// before), so every day is held at once — as columns, not as Quote objects. A field every quote of a
// day shares (source, date, currency, a null) is kept once; prices are a Float64Array. 25 years of
// ECB rates (6,800 days × 32) take ~8 MB this way instead of ~60 MB as objects. Quotes come back out
// exactly as they went in (same values, same key order), so their digests do not change.
import { QUOTE_FIELDS, type Quote } from '../../contract/quote.ts';

type Field = (typeof QUOTE_FIELDS)[number];

/** One column of a day: one value shared by every quote, or one per quote. */
type Column = { same: string | number | null } | { each: (string | null)[] } | { nums: Float64Array };

type Packed = { columns: Column[]; count: number } | { quotes: Quote[] };

/** Where a day's page came from: its raw copy's key, and how to get its bytes when it is written. */
export interface RawRef {
  key: string;
  contentType: string;
  /** Extension of the raw copy (a failed page is kept with it too). */
  ext: 'html' | 'xml' | 'zip';
  load(): Promise<Buffer>;
}

/** Totals of the page a day came from (the gate's rejected-share check reads them). */
export interface PageCounts {
  quotes: number;
  rejected: number;
}

interface Entry {
  packed: Packed;
  raw: RawRef;
  page: PageCounts;
}

/** True when the quote has exactly the contract's fields, in order (what every adapter builds). */
function plain(q: Quote): boolean {
  const keys = Object.keys(q);
  return keys.length === QUOTE_FIELDS.length && keys.every((k, i) => k === QUOTE_FIELDS[i]);
}

function column(quotes: readonly Quote[], field: Field): Column {
  const first = quotes[0]?.[field] ?? null;
  if (quotes.every((q) => q[field] === first)) return { same: first };
  if (quotes.every((q) => q[field] === null || typeof q[field] === 'number')) {
    // NaN stands for null: a parsed number is always finite.
    return { nums: Float64Array.from(quotes, (q) => (q[field] as number | null) ?? Number.NaN) };
  }
  return { each: quotes.map((q) => (q[field] ?? null) as string | null) };
}

export function packQuotes(quotes: Quote[]): Packed {
  if (quotes.length === 0 || !quotes.every(plain)) return { quotes };
  return { columns: QUOTE_FIELDS.map((f) => column(quotes, f)), count: quotes.length };
}

function cell(c: Column, i: number): string | number | null {
  if ('same' in c) return c.same;
  if ('nums' in c) {
    const v = c.nums[i]!;
    return Number.isNaN(v) ? null : v;
  }
  return c.each[i] ?? null;
}

export function unpackQuotes(packed: Packed): Quote[] {
  if ('quotes' in packed) return packed.quotes;
  const out: Quote[] = [];
  for (let i = 0; i < packed.count; i++) {
    const q = {} as Record<Field, string | number | null>;
    packed.columns.forEach((c, f) => (q[QUOTE_FIELDS[f]!] = cell(c, i)));
    out.push(q as unknown as Quote);
  }
  return out;
}

export class DayStore {
  private readonly days = new Map<string, Entry>();

  /** Adds a day; a date already held is replaced (returns true then: a later page wins). */
  add(date: string, quotes: Quote[], raw: RawRef, page: PageCounts): boolean {
    const replaced = this.days.has(date);
    this.days.set(date, { packed: packQuotes(quotes), raw, page });
    return replaced;
  }

  get size(): number {
    return this.days.size;
  }

  /** Every date held, ascending. */
  dates(): string[] {
    return [...this.days.keys()].sort();
  }

  has(date: string): boolean {
    return this.days.has(date);
  }

  quotes(date: string): Quote[] {
    const e = this.days.get(date);
    return e ? unpackQuotes(e.packed) : [];
  }

  raw(date: string): RawRef | undefined {
    return this.days.get(date)?.raw;
  }

  page(date: string): PageCounts {
    return this.days.get(date)?.page ?? { quotes: 0, rejected: 0 };
  }
}
