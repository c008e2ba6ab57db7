// The publish of a run, in chunks of dates, oldest first: each chunk is one complete publish (its
// objects, then the dates index by compare-and-swap, then — when its newest date is the latest — the
// entry points), under its own deadline. A kill, a stall or a deadline therefore loses at most the
// chunk in flight: the chunks before it are named by the dates index, and a re-run reads that index
// and writes nothing already published (a chunk whose every date is published with the same data
// writes nothing at all). A day's change derives from the day before, so chunks go oldest first.
import type { LatestPointer } from '../../contract/index.ts';
import type { DayStore } from '../history/dayStore.ts';
import type { DayPlan } from '../history/plan.ts';
import type { LoadedHistory } from '../history/read.ts';
import { publishDays, refreshSitePages, type DaysResult } from '../publish/days.ts';
import type { RawPage } from '../publish/files.ts';
import type { SourceAdapter } from '../source/types.ts';
import type { IngestDeps, IngestOptions } from '../pipeline.ts';

/** Dates per chunk: ~750 objects, a few seconds of writes; what a kill can cost at most. @default 250 */
export const DEFAULT_CHUNK_DATES = 250;

/** What the progress line shows after each chunk. */
export interface ChunkProgress {
  /** 1-based chunk number and the number of chunks. */
  chunk: number;
  chunks: number;
  /** Dates done (published or found unchanged) and to do, over the whole run. */
  done: number;
  total: number;
  written: number;
  unchanged: number;
  /** The chunk's dates. */
  first: string;
  last: string;
  elapsedMs: number;
}

export interface ChunksResult extends DaysResult {
  chunks: number;
}

function closesOf(
  quotes: readonly { symbol: string; close?: number | null }[],
): Map<string, number> | undefined {
  if (quotes.length === 0) return undefined;
  const out = new Map<string, number>();
  for (const q of quotes) if (typeof q.close === 'number') out.set(q.symbol, q.close);
  return out;
}

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface RunToPublish {
  adapter: SourceAdapter;
  store: DayStore;
  /** Passed the gate, ascending. */
  dates: string[];
  rejected: number;
  fetchedAt: string;
  sourceUrl: string;
  /** Dates the run skipped as already published (--resume). */
  skipped?: string[];
  /** The first chunk may use history read while the page was fetched. */
  history?: Promise<LoadedHistory>;
  previous?: Promise<LatestPointer | null>;
}

export async function publishChunks(
  deps: IngestDeps,
  opts: IngestOptions,
  run: RunToPublish,
  stage: { chunk: number },
): Promise<ChunksResult> {
  const chunks = chunksOf(run.dates, Math.max(1, opts.chunkDates ?? DEFAULT_CHUNK_DATES));
  const started = performance.now();
  const rawWritten = new Set<string>();
  const total: ChunksResult = {
    pointer: null,
    newest: null,
    keys: [],
    plans: [],
    historyReads: 0,
    chunks: chunks.length,
  };
  let done = 0;
  // Years of dates a run passes over without writing (published before): their calendars are
  // rewritten once at the end, in case the run that published them died before its last step.
  const passed = new Set(run.skipped?.map((d) => d.slice(0, 4)) ?? []);
  // Each chunk starts from the index the last one wrote (and its ETag), not a fresh read of it.
  let history = run.history;
  for (const [i, dates] of chunks.entries()) {
    stage.chunk = i + 1;
    const result = await publishDays(
      deps.s3,
      {
        bucket: opts.bucket,
        source: run.adapter,
        days: dates.map((date) => ({ date, quotes: run.store.quotes(date) })),
        rejectedCount: run.rejected,
        // Unused with rawFor (each date names its page), kept for the single-page shape.
        raw: { body: Buffer.alloc(0), ext: run.adapter.ext } satisfies RawPage,
        rawFor: (date) => run.store.raw(date),
        rawWritten,
        // The series files once, with the last chunk, from the days the run holds.
        deferSeries: i < chunks.length - 1,
        knownCloses: (date) => closesOf(run.store.quotes(date)),
        sourceUrl: run.sourceUrl,
        fetchedAt: run.fetchedAt,
        generatedAt: deps.now().toISOString(),
        version: opts.version,
      },
      deps.log,
      {
        ...(history ? { history } : {}),
        ...(i === 0 && run.previous ? { previous: run.previous } : {}),
        now: () => deps.now().getTime(),
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(opts.publishDeadlineMs === undefined ? {} : { deadlineMs: opts.publishDeadlineMs }),
        ...(opts.maxFetchAgeMs === undefined ? {} : { maxFetchAgeMs: opts.maxFetchAgeMs }),
      },
    );
    history = result.next ? Promise.resolve(result.next) : undefined;
    done += dates.length;
    merge(total, result);
    if (result.keys.length === 0) for (const d of dates) passed.add(d.slice(0, 4));
    deps.onChunk?.({
      chunk: i + 1,
      chunks: chunks.length,
      done,
      total: run.dates.length,
      written: result.plans.filter((p: DayPlan) => p.action !== 'unchanged').length,
      unchanged: result.plans.filter((p: DayPlan) => p.action === 'unchanged').length,
      first: dates[0] ?? '',
      last: dates.at(-1) ?? '',
      elapsedMs: performance.now() - started,
    });
  }
  if (passed.size > 0) {
    const keys = await refreshSitePages(
      deps.s3,
      { bucket: opts.bucket, source: run.adapter },
      [...passed].sort(),
      deps.log,
      {
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(opts.publishDeadlineMs === undefined ? {} : { deadlineMs: opts.publishDeadlineMs }),
      },
    );
    for (const k of keys) total.keys.push(k);
  }
  return total;
}

function merge(total: ChunksResult, r: DaysResult): void {
  total.pointer = r.pointer ?? total.pointer;
  total.newest = r.newest ?? total.newest;
  for (const k of r.keys) total.keys.push(k);
  // A whole history's quotes are not kept for the summary: only the last date's (its count is shown).
  const strip = (p: DayPlan): DayPlan => ({ ...p, quotes: [], disagreements: [] });
  const last = total.plans.pop();
  if (last) total.plans.push(strip(last));
  r.plans.forEach((p, i) => total.plans.push(i === r.plans.length - 1 ? p : strip(p)));
  total.historyReads += r.historyReads;
}
