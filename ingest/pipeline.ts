// One ingest run: fetch (or read saved pages) → decode/parse as a stream of days → choose the dates →
// gate → publish in chunks of dates. On a parse or gate failure the raw page is kept under failed/
// and the error is rethrown; nothing is published. deps.signal (SIGTERM/SIGINT) aborts the fetch or
// the chunk in progress; the run then logs what it abandoned and throws IngestStopped, the pointer
// still on the last complete chunk.
import type { S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, type LatestPointer } from '../contract/index.ts';
import { UsageError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { fetchPage, type FetchedPage } from './fetch/fetchPage.ts';
import type { HttpClient } from './fetch/client.ts';
import { IngestStopped, PublishError } from './publish/errors.ts';
import { readHistory } from './history/read.ts';
import { readPreviousPointer } from './publish/previous.ts';
import { selectDates, type DateSelection } from './run/selectDate.ts';
import { gateDays, noDatesError, wantedDates } from './run/gateDays.ts';
import { parsePage, type PageToParse, type ParsedRun } from './run/parsePages.ts';
import { publishChunks, type ChunkProgress, type ChunksResult } from './run/publishChunks.ts';
import { adapterFromMapping, getSource, LARGEST_PAGE_BYTES } from './source/index.ts';
import { pageLimit, type SourceAdapter } from './source/types.ts';

export interface IngestDeps {
  http: HttpClient;
  s3: S3Client;
  log: Logger;
  now: () => Date;
  /** Aborted on SIGTERM/SIGINT; its reason names the signal. */
  signal?: AbortSignal;
  /** Called after each chunk of dates is published (a progress line). */
  onChunk?: (progress: ChunkProgress) => void;
}

/** A saved page instead of a fetch (backfill --file / --dir): read now, and again for its raw copy. */
export interface SavedPage {
  name: string;
  read: () => Promise<Buffer>;
}

export interface IngestOptions {
  bucket: string;
  /** Adapter id; detected from the page when absent (then `url` is required). */
  source?: string;
  /** Page to fetch. @default the adapter's defaultUrl */
  url?: string;
  /** Trading date to publish (series pages) or to use when the page has none. @default latest on the page */
  date?: string;
  /** Generic-table mapping (parsed JSON) for a page no built-in adapter knows. */
  mapping?: unknown;
  /** @default the adapter's minQuotes */
  minQuotes?: number;
  /** @default 0.1 */
  maxRejectedShare?: number;
  version: string;
  /** Each chunk's publish, all retries included, ms. @default 60000 */
  publishDeadlineMs?: number;
  /** A page fetched longer ago than this is not published, ms. @default 600000 (saved pages: no limit) */
  maxFetchAgeMs?: number;
  /** Saved pages to ingest instead of fetching (backfill); `url` is only recorded. */
  saved?: SavedPage[];
  /** Publish only the pages' dates in this range, inclusive (backfill). */
  range?: { from?: string; to?: string };
  /** Dates per chunk (each chunk is one complete publish). @default 250 */
  chunkDates?: number;
  /** Skip dates the dates index already lists, without re-checking their data (backfill --resume). */
  resume?: boolean;
}

export interface IngestSummary {
  source: string;
  date: string;
  url: string;
  fetchedAt: string;
  attempts: number;
  counts: { quotes: number; rejected: number; pageQuotes: number; pageDates: number; pages: number };
  /** What happened to each date of the pages: written (new or changed), unchanged, refused by the gate. */
  dates: { written: string[]; changed: string[]; unchanged: string[]; refused: string[]; skipped: number };
  /** False when every date was older than the published latest (a backfill): the pointer stayed. */
  pointerMoved: boolean;
  /** Chunks the dates were published in. */
  chunks: number;
  /** GETs spent reading the source's history (bounded: see ingest/history/read.ts). */
  historyReads: number;
  /** The keys data/latest.json points at, and every key written (pointer last). */
  keys: Pick<LatestPointer['keys'], 'raw' | 'json' | 'csv' | 'page' | 'index'> & {
    latest: string;
    written: string[];
  };
  timingsMs: { fetch: number; parse: number; validate: number; publish: number; total: number };
}

export async function runIngest(deps: IngestDeps, opts: IngestOptions): Promise<IngestSummary> {
  const progress = { stage: 'start', chunk: 0 };
  try {
    return await ingestSteps(deps, opts, progress);
  } catch (error) {
    if (!deps.signal?.aborted) throw error;
    const signal = signalName(deps.signal.reason);
    const written = error instanceof PublishError ? error.written : [];
    const stage =
      progress.stage === 'publish' && progress.chunk > 1
        ? `publish (chunk ${progress.chunk})`
        : progress.stage;
    deps.log.warn('ingest abandoned', { signal, stage, written, pointer: 'unchanged' });
    throw new IngestStopped(signal, stage, written);
  }
}

function signalName(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  return /SIG[A-Z]+/.exec(text)?.[0] ?? 'a stop signal';
}

async function ingestSteps(
  deps: IngestDeps,
  opts: IngestOptions,
  progress: { stage: string; chunk: number },
): Promise<IngestSummary> {
  const marks = [performance.now()];
  const known = knownAdapter(opts);
  const url = resolveUrl(opts, known);
  const signal = deps.signal;
  // Started now so the GET overlaps the fetch and parse; it never rejects (see previous.ts).
  const previous = readPreviousPointer(deps.s3, opts.bucket, deps.log, signal);
  const reader = { s3: deps.s3, bucket: opts.bucket, log: deps.log, ...(signal ? { signal } : {}) };
  // The source's history too, when the source is known before the page is parsed.
  const early = known ? readHistory(reader, known.id) : undefined;
  early?.catch(() => undefined); // awaited by the publish
  progress.stage = 'fetch';
  const pages = opts.saved ? undefined : await fetched(deps, url, known);
  marks.push(performance.now());
  progress.stage = 'parse';
  const run = await parseAll(deps, opts, { url, known, ...(pages ? { page: pages } : {}) });
  signal?.throwIfAborted();
  marks.push(performance.now());
  const fetchedAt = pages?.fetchedAt ?? deps.now().toISOString();
  const pageDates = run.store.dates();
  const selection = selectDates(pageDates, opts.date, opts.date ?? fetchedAt.slice(0, 10));
  const history = early ?? readHistory(reader, run.adapter.id);
  history.catch(() => undefined); // awaited by the publish
  const published = opts.resume ? new Set((await history).index?.dates.map((e) => e.date) ?? []) : undefined;
  const wanted = wantedDates(opts, selection, published);
  if (wanted.length === 0 && !(published && wantedDates(opts, selection).length > 0))
    throw noDatesError(opts, selection);
  progress.stage = 'validate';
  const gated =
    wanted.length === 0
      ? { passed: [], refused: [] }
      : await gateDays(deps, opts, { ...run }, selection, wanted, fetchedAt);
  marks.push(performance.now());
  progress.stage = 'publish';
  const result = await publishChunks(
    deps,
    {
      ...opts,
      ...(opts.saved && opts.maxFetchAgeMs === undefined ? { maxFetchAgeMs: Number.POSITIVE_INFINITY } : {}),
    },
    {
      adapter: run.adapter,
      store: run.store,
      dates: gated.passed,
      rejected: run.counts.rejected,
      fetchedAt,
      sourceUrl: pages?.url ?? url,
      history,
      previous,
      ...(published ? { skipped: wantedDates(opts, selection).filter((d) => published.has(d)) } : {}),
    },
    progress,
  );
  marks.push(performance.now());
  const skipped = published ? wantedDates(opts, selection).length - wanted.length : 0;
  return summarize(
    { url: pages?.url ?? url, fetchedAt, attempts: pages?.attempts ?? 0 },
    run,
    selection,
    result,
    marks,
    { refused: gated.refused, skipped },
  );
}

/** The fetched page, with the source's own size cap (a whole history may be larger than a daily page). */
async function fetched(
  deps: IngestDeps,
  url: string,
  known: SourceAdapter | undefined,
): Promise<FetchedPage> {
  const page = await fetchPage(deps.http, url, {
    now: deps.now,
    ...(deps.signal ? { signal: deps.signal } : {}),
    maxBytes: known ? pageLimit(known).maxBytes : LARGEST_PAGE_BYTES,
  });
  deps.log.info('fetched', {
    url: page.url,
    status: page.status,
    bytes: page.body.length,
    attempts: page.attempts,
  });
  return page;
}

/** Every page of the run into one store: the fetched page, or each saved page in turn. */
async function parseAll(
  deps: IngestDeps,
  opts: IngestOptions,
  from: { url: string; known: SourceAdapter | undefined; page?: FetchedPage },
): Promise<ParsedRun> {
  const now = deps.now().toISOString();
  const toParse: (() => Promise<PageToParse>)[] = from.page
    ? [async () => fetchedToParse(from.page!)]
    : (opts.saved ?? []).map((saved) => async () => {
        const body = await saved.read();
        // A saved page is read, not fetched: the log says so (and names the file, not the URL).
        deps.log.info('read saved page', { file: saved.name, bytes: body.length });
        return { name: saved.name, body, url: from.url, fetchedAt: now, reload: saved.read };
      });
  let run: ParsedRun | undefined;
  for (const next of toParse) {
    run = await parsePage(deps, opts, await next(), run, from.known, toParse.length > 1);
    deps.signal?.throwIfAborted();
  }
  if (!run)
    throw new UsageError('ingest: no page to ingest', {
      hint: 'give --file or --dir, or leave both out to fetch',
    });
  return run;
}

function fetchedToParse(page: FetchedPage): PageToParse {
  return {
    name: page.url,
    body: page.body,
    url: page.url,
    ...(page.contentType ? { contentType: page.contentType } : {}),
    fetchedAt: page.fetchedAt,
    reload: async () => page.body,
  };
}

function resolveUrl(opts: IngestOptions, known: SourceAdapter | undefined): string {
  const url = opts.url ?? known?.defaultUrl;
  if (url === undefined) {
    throw new UsageError('ingest: nothing to fetch: give --source <id> or --url <url>', {
      hint: 'run "exchange ingest --help"',
    });
  }
  return url;
}

function summarize(
  page: { url: string; fetchedAt: string; attempts: number },
  run: ParsedRun,
  selection: Omit<DateSelection, 'quotes'>,
  published: ChunksResult,
  marks: number[],
  extra: { refused: string[]; skipped: number },
): IngestSummary {
  const { pointer, keys, plans } = published;
  const shown = pointer ?? published.newest;
  const lap = (i: number): number => ms((marks[i + 1] ?? 0) - (marks[i] ?? 0));
  const latest = plans.at(-1);
  const dates = (action: string): string[] => plans.filter((p) => p.action === action).map((p) => p.date);
  return {
    source: shown?.source ?? run.adapter.id,
    date: shown?.date ?? latest?.date ?? selection.date,
    url: page.url,
    fetchedAt: page.fetchedAt,
    attempts: page.attempts,
    counts: {
      quotes: shown?.counts.quotes ?? latest?.quotes.length ?? 0,
      rejected: run.counts.rejected,
      pageQuotes: run.counts.quotes,
      pageDates: selection.pageDates.length,
      pages: run.counts.pages,
    },
    dates: {
      written: [...dates('new'), ...dates('changed')].sort(),
      changed: dates('changed'),
      unchanged: dates('unchanged'),
      refused: extra.refused,
      skipped: extra.skipped,
    },
    pointerMoved: pointer !== null,
    chunks: published.chunks,
    historyReads: published.historyReads,
    keys: {
      raw: shown?.keys.raw ?? '',
      json: shown?.keys.json ?? '',
      csv: shown?.keys.csv ?? '',
      page: shown?.keys.page ?? '',
      index: shown?.keys.index ?? '',
      latest: LAYOUT.latestKey,
      written: keys,
    },
    timingsMs: {
      fetch: lap(0),
      parse: lap(1),
      validate: lap(2),
      publish: lap(3),
      total: ms((marks.at(-1) ?? 0) - (marks[0] ?? 0)),
    },
  };
}

function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The adapter named up front (mapping or --source), so a bad id fails before any fetch. */
function knownAdapter(opts: IngestOptions): SourceAdapter | undefined {
  if (opts.mapping !== undefined) return adapterFromMapping(opts.mapping);
  return opts.source === undefined ? undefined : getSource(opts.source);
}
