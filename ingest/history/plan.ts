// Which dates of a page a publish writes, and the history it leaves behind. Pure.
// A date whose digest equals the published one is skipped; a changed one is republished. Change
// fields are derived from the previous published date (the batch's own dates included).
import { createHash } from 'node:crypto';
import type { Quote } from '../../contract/quote.ts';
import { deriveFromPrevious, type Disagreement, type PreviousDay } from './derive.ts';
import type { DateEntry, DatesIndex, HistoryWindow } from './types.ts';

export interface Day {
  date: string;
  quotes: Quote[];
}

export interface DayPlan extends Day {
  digest: string;
  action: 'new' | 'changed' | 'unchanged';
  /** The published entry of this date, if any. */
  published?: DateEntry;
  /** Date the change fields were derived from, if any. */
  previousDate?: string;
  disagreements: Disagreement[];
}

/** Digest of a date's quotes as published (field order fixed by the objects themselves). */
export function quotesDigest(quotes: readonly Quote[]): string {
  return createHash('sha256').update(JSON.stringify(quotes)).digest('hex').slice(0, 16);
}

function closesOf(quotes: readonly Quote[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const q of quotes) if (typeof q.close === 'number') out.set(q.symbol, q.close);
  return out;
}

/** Closes of one date of the window, or undefined when the window does not hold it. */
export function windowCloses(window: HistoryWindow | null, date: string): Map<string, number> | undefined {
  const i = window?.dates.indexOf(date) ?? -1;
  if (!window || i < 0) return undefined;
  const out = new Map<string, number>();
  for (const [symbol, values] of Object.entries(window.closes)) {
    const v = values[i];
    if (typeof v === 'number') out.set(symbol, v);
  }
  return out;
}

/**
 * The latest date before a given one among `dates` (ascending or not), asked many times (every day of a chunk against 25 years of
 * published ones): sorted once, then a binary search each — not a scan of every date per day.
 */
export function previousDates(dates: Iterable<string>): (date: string) => string | undefined {
  const sorted = [...new Set(dates)].sort();
  return (date) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] ?? '') < date) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? sorted[lo - 1] : undefined;
  };
}

/**
 * Published dates whose closes the batch needs but neither the batch nor the window holds: each
 * costs one GET. In a daily ingest or a re-ingest of a series page there are none; a backfill
 * before the window needs at most one per already-published date it interleaves with.
 */
export function outsideDates(
  days: readonly Day[],
  index: DatesIndex | null,
  window: HistoryWindow | null,
): DateEntry[] {
  const batch = new Set(days.map((d) => d.date));
  const before = previousDates([...batch, ...(index?.dates.map((e) => e.date) ?? [])]);
  const byDate = new Map((index?.dates ?? []).map((e) => [e.date, e]));
  const held = new Set(window?.dates ?? []);
  const need = new Map<string, DateEntry>();
  for (const day of days) {
    const prev = before(day.date);
    if (prev === undefined || batch.has(prev) || held.has(prev)) continue;
    const entry = byDate.get(prev);
    if (entry) need.set(prev, entry);
  }
  return [...need.values()];
}

/** Plans every date of the batch (ascending), deriving from the previous published day. */
export function planDays(
  days: readonly Day[],
  index: DatesIndex | null,
  window: HistoryWindow | null,
  outside: ReadonlyMap<string, ReadonlyMap<string, number>>,
): DayPlan[] {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const byDate = new Map((index?.dates ?? []).map((e) => [e.date, e]));
  const before = previousDates([...sorted.map((d) => d.date), ...byDate.keys()]);
  const batchCloses = new Map<string, Map<string, number>>();
  return sorted.map((day) => {
    const prev = before(day.date);
    const closes =
      prev === undefined
        ? undefined
        : (batchCloses.get(prev) ?? windowCloses(window, prev) ?? outside.get(prev));
    const previous: PreviousDay | null = prev !== undefined && closes ? { date: prev, closes } : null;
    const { quotes, disagreements } = deriveFromPrevious(day.quotes, previous);
    batchCloses.set(day.date, closesOf(quotes));
    const digest = quotesDigest(quotes);
    const published = byDate.get(day.date);
    const action = !published ? 'new' : published.digest === digest ? 'unchanged' : 'changed';
    return {
      date: day.date,
      quotes,
      digest,
      action,
      disagreements,
      ...(published ? { published } : {}),
      ...(previous ? { previousDate: previous.date } : {}),
    };
  });
}

/** The window after this batch: the union of dates, the latest `size` kept; the batch wins on a date. */
export function mergeWindow(
  source: string,
  window: HistoryWindow | null,
  days: readonly Day[],
  size: number,
): HistoryWindow {
  return trimWindow(extendWindow(source, window, days), size);
}

/** The latest `size` dates of an extended window (symbols without a close in them dropped). */
export function trimWindow(full: HistoryWindow, size: number): HistoryWindow {
  const source = full.source;
  const keep = full.dates.length - size;
  if (keep <= 0) return full;
  const closes: HistoryWindow['closes'] = {};
  for (const [symbol, values] of Object.entries(full.closes)) {
    const kept = values.slice(keep);
    if (kept.some((v) => v !== null)) closes[symbol] = kept;
  }
  const names = full.names && keepNames(full.names, closes);
  return { source, dates: full.dates.slice(keep), closes, ...(names ? { names } : {}) };
}

function keepNames(
  names: Record<string, string>,
  closes: HistoryWindow['closes'],
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const symbol of Object.keys(closes)) if (names[symbol] !== undefined) out[symbol] = names[symbol];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The union of the window and the batch, untruncated (pages of older batch dates read it). */
export function extendWindow(
  source: string,
  window: HistoryWindow | null,
  days: readonly Day[],
): HistoryWindow {
  const dates = [...new Set([...(window?.dates ?? []), ...days.map((d) => d.date)])].sort();
  const column = new Map(dates.map((d, i) => [d, i]));
  const closes: HistoryWindow['closes'] = {};
  const row = (symbol: string): (number | null)[] => (closes[symbol] ??= dates.map(() => null));
  for (const [symbol, values] of Object.entries(window?.closes ?? {})) {
    values.forEach((v, i) => {
      const d = window?.dates[i];
      if (d !== undefined) row(symbol)[column.get(d) ?? 0] = v;
    });
  }
  const names: Record<string, string> = { ...window?.names };
  // The days ascend: the latest day's name of a symbol wins.
  for (const day of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    const i = column.get(day.date) ?? 0;
    for (const q of day.quotes) {
      row(q.symbol)[i] = typeof q.close === 'number' ? q.close : null;
      if (typeof q.name === 'string' && q.name !== '') names[q.symbol] = q.name;
    }
  }
  return { source, dates, closes, ...(Object.keys(names).length > 0 ? { names } : {}) };
}

/** The window's view up to and including `date`, the last `size` dates. */
export function windowUpTo(window: HistoryWindow, date: string, size: number): HistoryWindow {
  const end = window.dates.filter((d) => d <= date).length;
  const start = Math.max(0, end - size);
  const closes: HistoryWindow['closes'] = {};
  for (const [symbol, values] of Object.entries(window.closes)) closes[symbol] = values.slice(start, end);
  return { source: window.source, dates: window.dates.slice(start, end), closes };
}

/** The index after this batch: written dates replace their entries. */
export function mergeIndex(
  source: string,
  index: DatesIndex | null,
  written: readonly DateEntry[],
  history: string,
  updatedAt: string,
): DatesIndex {
  const byDate = new Map((index?.dates ?? []).map((e) => [e.date, e]));
  for (const e of written) byDate.set(e.date, e);
  const dates = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
  return { source, updatedAt, history, dates, ...(index?.series ? { series: index.series } : {}) };
}
