// Per-symbol series files: each symbol's closes ("date,close" lines) up to a `through` date, written
// for every symbol together under one publish id — the charts' 1-year and all-time views and a
// download. The history window holds every published date after `through`, so a daily publish writes
// no series file: they are rewritten only when the window would no longer reach back to `through`
// (about every 30 trading days), or when a backfill adds dates the files already cover. A new file is
// the old one plus the old window plus the publish's own dates, which together hold every published
// date up to the newest (the window covered the rest — the invariant the refresh keeps). A run in
// chunks rewrites them once, with its last chunk, from the days it holds (gapCloses).
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { CACHE_CONTROL, publishId, seriesKey } from '../../contract/index.ts';
import { createHash } from 'node:crypto';
import type { PlannedObject } from '../publish/files.ts';
import type { Day } from './plan.ts';
import type { HistoryReader } from './read.ts';
import type { DateEntry, HistoryWindow, SeriesState } from './types.ts';
import { readCloses } from './read.ts';

export type Point = [date: string, close: number];

export const SERIES_HEADER = 'date,close\n';

export function seriesCsv(points: readonly Point[]): string {
  let out = SERIES_HEADER;
  for (const [d, c] of points) out += `${d},${c}\n`;
  return out;
}

export function parseSeriesCsv(text: string): Point[] {
  const out: Point[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d{4}-\d{2}-\d{2}),(-?[\d.eE+-]+)$/.exec(line.trim());
    if (m) out.push([m[1]!, Number(m[2])]);
  }
  return out;
}

/**
 * Whether this publish must rewrite the series files: a date it adds is one the files already cover
 * (a backfill), or some published date after `through` is outside the window it leaves (the charts
 * would have a gap). `dates` is every published date after the publish, `window` the window it writes.
 */
export function needsRefresh(
  series: SeriesState | undefined,
  dates: readonly string[],
  window: HistoryWindow,
  batch: readonly string[],
): boolean {
  const through = series?.through ?? '';
  if (series && batch.some((d) => d <= through)) return true;
  const inWindow = new Set(window.dates);
  return dates.some((d) => d > through && !inWindow.has(d));
}

/** The closes a refresh adds to the old files, by symbol: the old window's and the batch's (the batch wins). */
export function addedPoints(
  window: HistoryWindow | null,
  days: readonly Day[],
  extra: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(),
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const put = (symbol: string, date: string, close: number): void => {
    let m = out.get(symbol);
    if (!m) out.set(symbol, (m = new Map()));
    m.set(date, close);
  };
  for (const [date, closes] of extra) for (const [symbol, close] of closes) put(symbol, date, close);
  for (const [symbol, values] of Object.entries(window?.closes ?? {})) {
    values.forEach((v, i) => {
      const date = window?.dates[i];
      if (typeof v === 'number' && date) put(symbol, date, v);
    });
  }
  for (const day of days)
    for (const q of day.quotes) if (typeof q.close === 'number') put(q.symbol, day.date, q.close);
  return out;
}

/** One symbol's new file: the old one (text) with the added points merged in, by date. */
export function mergeSeries(oldText: string | null, added: ReadonlyMap<string, number> | undefined): string {
  const extra: Point[] = [...(added ?? new Map<string, number>())].sort((a, b) => a[0].localeCompare(b[0]));
  if (!oldText) return seriesCsv(extra);
  const old = parseSeriesCsv(oldText);
  const last = old.at(-1)?.[0] ?? '';
  // The common case: every added date is after the old file's last one — append to the text.
  if (extra.every(([d]) => d > last)) return oldText + extra.map(([d, c]) => `${d},${c}\n`).join('');
  const byDate = new Map(old);
  for (const [d, c] of extra) byDate.set(d, c);
  return seriesCsv([...byDate].sort((a, b) => a[0].localeCompare(b[0])));
}

async function getText(r: HistoryReader, key: string): Promise<string | null> {
  try {
    const out = await r.s3.send(new GetObjectCommand({ Bucket: r.bucket, Key: key }), {
      ...(r.signal ? { abortSignal: r.signal } : {}),
    });
    return (await out.Body?.transformToString()) ?? null;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NoSuchKey' || status === 404) return null;
    throw error;
  }
}

/**
 * Closes of published dates a rewrite needs that neither the old files, the window nor the batch
 * holds: a bucket published before series files, or a run whose earlier chunks deferred them. From
 * the run's own days when it has them (`known`), else one GET of the date's data file each.
 */
export async function gapCloses(
  r: HistoryReader,
  source: string,
  series: SeriesState | undefined,
  published: readonly DateEntry[],
  window: HistoryWindow | null,
  batch: readonly string[],
  known?: (date: string) => Map<string, number> | undefined,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  const through = series?.through ?? '';
  const held = new Set([...(window?.dates ?? []), ...batch]);
  const todo: DateEntry[] = [];
  for (const e of published) {
    if (e.date <= through || held.has(e.date)) continue;
    const closes = known?.(e.date);
    if (closes) out.set(e.date, closes);
    else todo.push(e);
  }
  if (todo.length > 0) r.log.info('series files: reading published dates they lack', { dates: todo.length });
  for (let i = 0; i < todo.length; i += 8) {
    const part = todo.slice(i, i + 8);
    const closes = await Promise.all(part.map((e) => readCloses(r, source, e)));
    part.forEach((e, j) => out.set(e.date, closes[j]!));
  }
  return out;
}

/** The new series files (bodies read and merged when each write starts) and the state naming them. */
export function seriesObjects(
  r: HistoryReader,
  source: string,
  old: SeriesState | undefined,
  added: Map<string, Map<string, number>>,
  through: string,
  generatedAt: string,
): { objects: PlannedObject[]; state: SeriesState } {
  const symbols = [...new Set([...(old?.symbols ?? []), ...added.keys()])].sort();
  const id = publishId(
    generatedAt,
    createHash('sha256')
      .update(`${through} ${symbols.join(' ')}`)
      .digest('hex'),
  );
  const had = new Set(old?.symbols ?? []);
  const objects = symbols.map((symbol): PlannedObject => ({
    key: seriesKey(source, id, symbol),
    body: '',
    load: async () => {
      const text = old && had.has(symbol) ? await getText(r, seriesKey(source, old.id, symbol)) : null;
      return Buffer.from(mergeSeries(text, added.get(symbol)));
    },
    contentType: 'text/csv; charset=utf-8',
    cacheControl: CACHE_CONTROL.dated,
  }));
  return { objects, state: { id, through, symbols } };
}
