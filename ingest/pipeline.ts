// One ingest run: fetch → decode/parse → choose the date → gate → publish. On a parse or gate
// failure the raw page is kept under failed/ and the error is rethrown; nothing is published.
// deps.signal (SIGTERM/SIGINT) aborts the fetch or the publish in progress; the run then logs what
// it abandoned and throws IngestStopped, the pointer still on the last complete publish.
import type { S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, type LatestPointer } from '../contract/index.ts';
import { UsageError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { fetchPage, type FetchedPage } from './fetch/fetchPage.ts';
import type { HttpClient } from './fetch/client.ts';
import { IngestStopped, PublishError } from './publish/errors.ts';
import { publishDays, type DaysResult } from './publish/days.ts';
import { readHistory, type LoadedHistory } from './history/read.ts';
import type { Day } from './history/plan.ts';
import type { RawPage } from './publish/files.ts';
import { readPreviousPointer } from './publish/previous.ts';
import type { ParseResult } from '../contract/quote.ts';
import { selectDate, type DateSelection } from './run/selectDate.ts';
import { gateDays } from './run/gateDays.ts';
import { adapterFromMapping, getSource, parsePage } from './source/index.ts';
import { detectedAdapter, guessExt, keepFailedQuietly } from './run/failedPage.ts';
import type { SourceAdapter } from './source/types.ts';

export interface IngestDeps {
  http: HttpClient;
  s3: S3Client;
  log: Logger;
  now: () => Date;
  /** Aborted on SIGTERM/SIGINT; its reason names the signal. */
  signal?: AbortSignal;
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
  /** Environment colour shown on the site. */
  color?: string;
  /** Whole publish, all retries included, ms. @default 60000 */
  publishDeadlineMs?: number;
  /** A page fetched longer ago than this is not published, ms. @default 600000 */
  maxFetchAgeMs?: number;
  /** A saved page to ingest instead of fetching (backfill --file); `url` is only recorded. */
  saved?: { body: Buffer; name: string };
  /** Publish only the page's dates in this range, inclusive (backfill). */
  range?: { from?: string; to?: string };
}

export interface IngestSummary {
  source: string;
  date: string;
  url: string;
  fetchedAt: string;
  attempts: number;
  counts: { quotes: number; rejected: number; pageQuotes: number; pageDates: number };
  /** What happened to each date of the page: written (new or changed), unchanged, refused by the gate. */
  dates: { written: string[]; changed: string[]; unchanged: string[]; refused: string[] };
  /** False when every date was older than the published latest (a backfill): the pointer stayed. */
  pointerMoved: boolean;
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
  const progress = { stage: 'start' };
  try {
    return await ingestSteps(deps, opts, progress);
  } catch (error) {
    if (!deps.signal?.aborted) throw error;
    const signal = signalName(deps.signal.reason);
    const written = error instanceof PublishError ? error.written : [];
    deps.log.warn('ingest abandoned', { signal, stage: progress.stage, written, pointer: 'unchanged' });
    throw new IngestStopped(signal, progress.stage, written);
  }
}

function signalName(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  return /SIG[A-Z]+/.exec(text)?.[0] ?? 'a stop signal';
}

async function ingestSteps(
  deps: IngestDeps,
  opts: IngestOptions,
  progress: { stage: string },
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
  const page = opts.saved
    ? savedPage(opts.saved, url, deps.now())
    : await fetchPage(deps.http, url, { now: deps.now, ...(signal ? { signal } : {}) });
  deps.log.info('fetched', {
    url: page.url,
    status: page.status,
    bytes: page.body.length,
    attempts: page.attempts,
  });
  marks.push(performance.now());
  progress.stage = 'parse';
  const parsed = await parseOrKeep(deps, opts, page, known);
  signal?.throwIfAborted();
  marks.push(performance.now());
  const selection = selectDate(parsed.result.quotes, opts.date, opts.date ?? page.fetchedAt.slice(0, 10));
  const raw = rawPage(page, parsed.adapter.ext);
  progress.stage = 'validate';
  const gated = await gateDays(deps, opts, parsed, selection, { page, raw });
  marks.push(performance.now());
  progress.stage = 'publish';
  const history = early ?? readHistory(reader, parsed.adapter.id);
  history.catch(() => undefined); // awaited by the publish
  const published = await publishRun(deps, opts, { page, parsed, days: gated.days, raw, previous, history });
  marks.push(performance.now());
  return summarize(page, parsed.result, selection, published, marks, gated.refused);
}

/** A saved page stands in for a fetch: "fetched" when read, so the publish's age limit holds. */
function savedPage(saved: { body: Buffer; name: string }, url: string, now: Date): FetchedPage {
  return { body: saved.body, url, status: 200, fetchedAt: now.toISOString(), attempts: 0 };
}

/** The publish of a run that passed the gate, with the run's signal and limits. */
function publishRun(
  deps: IngestDeps,
  opts: IngestOptions,
  run: {
    page: FetchedPage;
    parsed: { result: ParseResult; adapter: SourceAdapter };
    days: Day[];
    raw: RawPage;
    previous: Promise<LatestPointer | null>;
    history: Promise<LoadedHistory>;
  },
): Promise<DaysResult> {
  const { page, parsed, days, raw, previous, history } = run;
  return publishDays(
    deps.s3,
    {
      bucket: opts.bucket,
      source: parsed.adapter,
      days,
      rejectedCount: parsed.result.rejected.length,
      raw,
      sourceUrl: page.url,
      fetchedAt: page.fetchedAt,
      generatedAt: deps.now().toISOString(),
      version: opts.version,
      ...(opts.color ? { color: opts.color } : {}),
    },
    deps.log,
    {
      previous,
      history,
      now: () => deps.now().getTime(),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(opts.publishDeadlineMs === undefined ? {} : { deadlineMs: opts.publishDeadlineMs }),
      ...(opts.maxFetchAgeMs === undefined ? {} : { maxFetchAgeMs: opts.maxFetchAgeMs }),
    },
  );
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

function rawPage(page: FetchedPage, ext: RawPage['ext']): RawPage {
  return { body: page.body, ext, ...(page.contentType ? { contentType: page.contentType } : {}) };
}

function summarize(
  page: FetchedPage,
  result: ParseResult,
  selection: DateSelection,
  published: DaysResult,
  marks: number[],
  refused: string[],
): IngestSummary {
  const { pointer, keys, plans } = published;
  const shown = pointer ?? published.newest;
  const lap = (i: number): number => ms((marks[i + 1] ?? 0) - (marks[i] ?? 0));
  const latest = plans.at(-1);
  const dates = (action: string): string[] => plans.filter((p) => p.action === action).map((p) => p.date);
  return {
    source: shown?.source ?? result.source,
    date: shown?.date ?? latest?.date ?? selection.date,
    url: page.url,
    fetchedAt: page.fetchedAt,
    attempts: page.attempts,
    counts: {
      quotes: shown?.counts.quotes ?? latest?.quotes.length ?? 0,
      rejected: result.rejected.length,
      pageQuotes: result.quotes.length,
      pageDates: selection.pageDates.length,
    },
    dates: {
      written: [...dates('new'), ...dates('changed')].sort(),
      changed: dates('changed'),
      unchanged: dates('unchanged'),
      refused,
    },
    pointerMoved: pointer !== null,
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

async function parseOrKeep(
  deps: IngestDeps,
  opts: IngestOptions,
  page: FetchedPage,
  known: SourceAdapter | undefined,
): Promise<{ result: ParseResult; adapter: SourceAdapter }> {
  try {
    const result = parsePage(
      { body: page.body, url: page.url, ...(page.contentType ? { contentType: page.contentType } : {}) },
      { source: opts.source, date: opts.date, mapping: opts.mapping },
    );
    return { result, adapter: known ?? getSource(result.source) };
  } catch (error) {
    const detected = known ?? detectedAdapter(error);
    const raw = rawPage(page, detected?.ext ?? guessExt(page));
    const day = opts.date ?? page.fetchedAt.slice(0, 10);
    await keepFailedQuietly(deps, opts.bucket, {
      source: detected?.id ?? 'unknown',
      date: day,
      fetchedAt: page.fetchedAt,
      raw,
    });
    throw error;
  }
}
