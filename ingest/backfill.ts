// Backfill: load history from saved pages (--file, or every page of a folder with --dir) or the
// source's series page (fetched once) through the same parse, gate and chunked publish as an ingest.
// All pages are parsed first (as compact days), then published oldest first in chunks of dates, each
// chunk one complete publish: a kill loses at most the chunk in flight, and a re-run (or --resume)
// continues from the dates index, writing nothing already published.
import { runIngest, type IngestDeps, type IngestSummary } from './pipeline.ts';
import type { ChunkProgress } from './run/publishChunks.ts';
import { getSource } from './source/index.ts';

export interface BackfillOptions {
  bucket: string;
  source: string;
  /** Inclusive date range to publish; open ends take every date. */
  from?: string;
  to?: string;
  /** Saved pages; none: fetch the source's URL (a series page) once. */
  files: string[];
  /** Skip dates the dates index already lists (continue an interrupted backfill quickly). */
  resume?: boolean;
  /** Dates per chunk. @default 250 */
  chunkDates?: number;
  /** Each chunk's publish, all retries included, ms. @default 60000 */
  publishDeadlineMs?: number;
  version: string;
}

export async function runBackfill(
  deps: IngestDeps & { readFile: (path: string) => Promise<Buffer> },
  opts: BackfillOptions,
): Promise<IngestSummary> {
  const adapter = getSource(opts.source);
  const range = { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) };
  const saved = opts.files.map((name) => ({ name, read: () => deps.readFile(name) }));
  return runIngest(deps, {
    bucket: opts.bucket,
    source: adapter.id,
    url: adapter.defaultUrl,
    range,
    version: opts.version,
    ...(saved.length > 0 ? { saved } : {}),
    ...(opts.resume ? { resume: true } : {}),
    ...(opts.chunkDates ? { chunkDates: opts.chunkDates } : {}),
    ...(opts.publishDeadlineMs ? { publishDeadlineMs: opts.publishDeadlineMs } : {}),
  });
}

/** "1 m 05 s", "42 s", "—" (not known yet). */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

/** Dates per second so far, and the time the rest takes at that rate. */
export function pace(p: ChunkProgress): { perSecond: number; leftMs: number } {
  const perSecond = p.elapsedMs > 0 ? p.done / (p.elapsedMs / 1000) : 0;
  return { perSecond, leftMs: perSecond > 0 ? ((p.total - p.done) / perSecond) * 1000 : Number.NaN };
}

/** One progress line for a terminal: a bar over the dates, the rate and the time left. */
export function progressLine(p: ChunkProgress, width = 20): string {
  const filled = Math.round((p.done / Math.max(1, p.total)) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const { perSecond, leftMs } = pace(p);
  return `${bar} ${p.done}/${p.total} dates · ${Math.round(perSecond)} dates/s · ${duration(leftMs)} left · chunk ${p.chunk}/${p.chunks} ${p.first} … ${p.last}: ${p.written} written, ${p.unchanged} unchanged`;
}

/** The same as a plain line, for logs and pipes. */
export function progressText(p: ChunkProgress): string {
  const { perSecond, leftMs } = pace(p);
  return `chunk ${p.chunk}/${p.chunks} ${p.first} … ${p.last}: ${p.written} written, ${p.unchanged} unchanged; ${p.done}/${p.total} dates, ${Math.round(perSecond)} dates/s, ${duration(leftMs)} left`;
}
