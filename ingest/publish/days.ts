// One publish of every date a page carries that passed the gate (a daily page: one date). Dates
// whose data equals the published one are not written again; changed ones are, and say so in the
// log. Step 1 writes each written date's files, its page and per-symbol page, and the new history
// window; step 2 writes the source's dates index, only over the version this run read (another
// ingest of the source may have written it since: see datesIndex.ts), then the entry points, so the
// pointer moves once, to the latest date, and never backwards (a backfill of older dates leaves it
// where it is).
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CACHE_CONTROL,
  HISTORY_DAYS,
  datesKey,
  historyKey,
  publishId,
  type LatestPointer,
} from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import { createHash } from 'node:crypto';
import { setImmediate as tick } from 'node:timers/promises';
import {
  extendWindow,
  mergeIndex,
  mergeWindow,
  outsideDates,
  planDays,
  windowUpTo,
  type Day,
  type DayPlan,
} from '../history/plan.ts';
import { readCloses, readHistory, type HistoryReader, type LoadedHistory } from '../history/read.ts';
import type { DateEntry, DatesIndex, HistoryWindow } from '../history/types.ts';
import type { RawRef } from '../history/dayStore.ts';
import { PublishError } from './errors.ts';
import { datesIndexObject, navFor, settleIndex } from './datesIndex.ts';
import { planData, planSite, rawObject, type PlannedObject, type PublishInput } from './files.ts';
import { readPreviousPointer } from './previous.ts';
import {
  DEFAULT_MAX_FETCH_AGE_MS,
  DEFAULT_PUBLISH_DEADLINE_MS,
  checkFresh,
  publishGuard,
  put,
  settle,
  untilAborted,
  type PublishOptions,
  type Step,
  type Write,
} from './publish.ts';

/** One page's publish: every field of a single date's PublishInput but the date's own, plus the dates. */
export interface DaysInput extends Omit<PublishInput, 'date' | 'quotes' | 'history' | 'nav'> {
  /** Every date to publish, each through the gate. */
  days: Day[];
  /**
   * A run over many pages or in chunks (backfill, a whole history): each date's raw page. Written
   * with the dates it carries that this publish writes, and with the pointer that names it. Absent:
   * `raw` is the one page, written when the pointer moves.
   */
  rawFor?: (date: string) => RawRef | undefined;
  /** Raw keys the run already wrote (shared by its chunks), so a page is uploaded once. */
  rawWritten?: Set<string>;
}

export interface DaysResult {
  /** The pointer written, or null when every date was older than the published latest. */
  pointer: LatestPointer | null;
  /** The newest date's page rendered by this publish (the pointer's, when it moved). */
  newest: LatestPointer | null;
  keys: string[];
  plans: DayPlan[];
  /** S3 GETs spent reading history (dates index, window, data files outside it). */
  historyReads: number;
}

/** Parallel writes at most; a series page writes four objects per date. */
const MAX_PARALLEL_WRITES = 8;

function limiter(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (work) => {
    while (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export async function publishDays(
  s3: S3Client,
  input: DaysInput,
  log: Logger,
  options: PublishOptions & { history?: Promise<LoadedHistory> } = {},
): Promise<DaysResult> {
  const now = options.now ?? Date.now;
  const maxFetchAgeMs = options.maxFetchAgeMs ?? DEFAULT_MAX_FETCH_AGE_MS;
  checkFresh(input, now(), maxFetchAgeMs);
  const guard = publishGuard(options.signal, options.deadlineMs ?? DEFAULT_PUBLISH_DEADLINE_MS);
  const step: Step = { bucket: input.bucket, signal: guard.signal, written: [] };
  const slot = limiter(MAX_PARALLEL_WRITES);
  const start = (o: PlannedObject): Write => {
    const done = slot(() => put(s3, input.bucket, o, guard.signal));
    done.catch(() => undefined); // settled below
    return { key: o.key, done };
  };
  try {
    const reader = { s3, bucket: input.bucket, log, signal: guard.signal };
    const { loaded, outside, plans } = await planFromHistory(reader, input, options.history);
    const previous = options.previous ?? readPreviousPointer(s3, input.bucket, log, guard.signal);
    const built = buildObjects(input, loaded, plans);
    const last = built.pages.at(-1);
    if (built.pages.length === 0 && built.objects.length === 0) {
      // Every date is published with this data and the pointer stays: nothing to write, not even
      // the dates index (a resumed run passes over what it already published this way).
      log.info('nothing to publish: every date is published with this data', {
        source: input.source.id,
        unchanged: plans.length,
      });
      return { pointer: null, newest: null, keys: [], plans, historyReads: historyReads(loaded, outside) };
    }
    // The raw page (the largest object) and the data start uploading before the site is rendered, so
    // the S3 side works while this thread renders; yield once so the requests reach the socket.
    const first = dedupe([...rawObjects(input, built.pointer, last, plans), ...built.objects]);
    const early = first.map(start);
    await tick();
    const prior = await untilAborted(previous, guard.signal).catch(() => null);
    const sites = built.pages.map((p) => planSite(p.input, p.pointer, prior));
    const started = new Set(first.map((o) => o.key));
    const rest = dedupe(sites.flatMap((site) => site.objects)).filter((o) => !started.has(o.key));
    await settle(step, [...early, ...rest.map(start)]);
    checkFresh(input, now(), maxFetchAgeMs);
    // The dates index alone first, and only over the version read: losing that race stops here,
    // before the entry points, so readers keep the last complete publish and no dates are dropped.
    await settleIndex(step, start(datesIndexObject(built.index, loaded.etag)), input.source.id);
    const entry = built.pointer ? (sites.at(-1)?.entryPoints ?? []) : [];
    await settle(step, entry.map(start));
    logPublished(log, input, built.pointer, plans);
    return {
      pointer: built.pointer,
      newest: last?.pointer ?? null,
      keys: step.written,
      plans,
      historyReads: historyReads(loaded, outside),
    };
  } finally {
    guard.dispose();
  }
}

/** The source's history (read early by the caller, or now), the dates outside its window, and the plans. */
async function planFromHistory(
  reader: HistoryReader & { signal: AbortSignal },
  input: DaysInput,
  history: Promise<LoadedHistory> | undefined,
): Promise<{ loaded: LoadedHistory; outside: Map<string, Map<string, number>>; plans: DayPlan[] }> {
  const key = datesKey(input.source.id);
  const loaded = await untilAborted(history ?? readHistory(reader, input.source.id), reader.signal).catch(
    (error: unknown) => {
      // Stopped before anything was written: the same PublishError a stop during the writes gives.
      if (reader.signal.aborted) throw new PublishError(input.bucket, key, [], reader.signal.reason);
      throw error;
    },
  );
  const outside = new Map<string, Map<string, number>>();
  for (const entry of outsideDates(input.days, loaded.index, loaded.window)) {
    outside.set(entry.date, await readCloses(reader, entry));
  }
  const plans = planDays(input.days, loaded.index, loaded.window, outside);
  logPlans(reader.log, input.source.id, plans);
  return { loaded, outside, plans };
}

function logPublished(log: Logger, input: DaysInput, pointer: LatestPointer | null, plans: DayPlan[]): void {
  log.info('published', {
    bucket: input.bucket,
    source: input.source.id,
    date: pointer?.date ?? null,
    publishId: pointer?.publishId ?? null,
    dates: plans.filter((p) => p.action !== 'unchanged').length,
    unchanged: plans.filter((p) => p.action === 'unchanged').length,
  });
}

function historyReads(loaded: LoadedHistory, outside: Map<string, unknown>): number {
  return 1 + (loaded.index?.history ? 1 : 0) + outside.size;
}

/**
 * The raw pages to write: with `rawFor`, the page of each date written and the pointer's (each once
 * per run); else the one page, when the pointer moves.
 */
function rawObjects(
  input: DaysInput,
  pointer: LatestPointer | null,
  last: PageJob | undefined,
  plans: DayPlan[],
): PlannedObject[] {
  if (!input.rawFor) return pointer && last ? [rawObject(last.input)] : [];
  const dates = plans.filter((p) => p.action !== 'unchanged').map((p) => p.date);
  if (pointer) dates.push(pointer.date);
  const out: PlannedObject[] = [];
  for (const date of dates) {
    const ref = input.rawFor(date);
    if (!ref || input.rawWritten?.has(ref.key)) continue;
    input.rawWritten?.add(ref.key);
    out.push({
      key: ref.key,
      body: '',
      load: ref.load,
      contentType: ref.contentType,
      cacheControl: CACHE_CONTROL.raw,
    });
  }
  return out;
}

/** Assets are planned once per page; keep the first of each key. */
function dedupe(objects: PlannedObject[]): PlannedObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => !seen.has(o.key) && Boolean(seen.add(o.key)));
}

function logPlans(log: Logger, source: string, plans: DayPlan[]): void {
  for (const p of plans) {
    if (p.action === 'changed') {
      log.warn('date republished: its data changed', {
        source,
        date: p.date,
        publishedId: p.published?.publishId,
        publishedDigest: p.published?.digest,
        digest: p.digest,
      });
    }
    if (p.disagreements.length > 0) {
      log.warn('page values disagree with the previous published day', {
        source,
        date: p.date,
        previousDate: p.previousDate,
        count: p.disagreements.length,
        first: p.disagreements.slice(0, 5),
      });
    }
  }
}

interface PageJob {
  input: PublishInput;
  pointer: LatestPointer;
}

/** Data files and page inputs for every date written, the history window and the dates index. */
function buildObjects(
  input: DaysInput,
  loaded: LoadedHistory,
  plans: DayPlan[],
): { objects: PlannedObject[]; pages: PageJob[]; pointer: LatestPointer | null; index: DatesIndex } {
  const latest = plans.at(-1);
  const publishedLatest = loaded.index?.dates.at(-1)?.date;
  const movesPointer =
    latest !== undefined && (publishedLatest === undefined || latest.date >= publishedLatest);
  const extended = extendWindow(input.source.id, loaded.window, plans);
  const render = plans.filter((p) => p.action !== 'unchanged' || (movesPointer && p === latest));
  const objects: PlannedObject[] = [];
  const jobs: PageJob[] = [];
  const entries: DateEntry[] = [];
  for (const plan of render) {
    const history = windowUpTo(extended, plan.date, HISTORY_DAYS);
    const dayInput = toInput(input, plan, history);
    const data = planData(dayInput);
    const pointer = data.pointer;
    if (plan.action === 'unchanged' && plan.published) {
      // Same data: the page is rendered again (new links, sparklines), the data files are reused.
      pointer.keys.json = plan.published.json;
      pointer.keys.csv = plan.published.csv;
    } else {
      objects.push(...data.objects);
    }
    jobs.push({ input: dayInput, pointer });
    entries.push(entryOf(plan, pointer));
  }
  const window = mergeWindow(input.source.id, loaded.window, plans, HISTORY_DAYS);
  const windowJson = `${JSON.stringify(window)}\n`;
  // The window read is reused when nothing in it changed (a key of its own per content, no orphans).
  const same = loaded.index?.history && loaded.window && `${JSON.stringify(loaded.window)}\n` === windowJson;
  const windowKey = same
    ? (loaded.index?.history ?? '')
    : historyKey(input.source.id, publishId(input.generatedAt, sha(windowJson)));
  if (!same) {
    objects.push({
      key: windowKey,
      body: windowJson,
      contentType: 'application/json',
      cacheControl: CACHE_CONTROL.dated,
    });
  }
  const index = mergeIndex(input.source.id, loaded.index, entries, windowKey, input.generatedAt);
  for (const job of jobs) job.input.nav = navFor(index.dates, job.input.date, job.pointer, input.source.id);
  const pointer = movesPointer ? (jobs.at(-1)?.pointer ?? null) : null;
  if (pointer) Object.assign(pointer.keys, { dates: datesKey(input.source.id), history: windowKey });
  const raw = pointer && input.rawFor?.(pointer.date);
  if (pointer && raw) pointer.keys.raw = raw.key;
  return {
    objects,
    pages: jobs,
    pointer,
    index,
  };
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function toInput(input: DaysInput, plan: DayPlan, history: HistoryWindow): PublishInput {
  const { days: _days, ...shared } = input;
  return {
    ...shared,
    date: plan.date,
    quotes: plan.quotes,
    history: { dates: history.dates, closes: history.closes },
  };
}

function entryOf(plan: DayPlan, pointer: LatestPointer): DateEntry {
  return {
    date: plan.date,
    publishId: pointer.publishId,
    digest: plan.digest,
    quotes: plan.quotes.length,
    json: pointer.keys.json,
    csv: pointer.keys.csv,
    page: pointer.keys.page,
    symbols: pointer.keys.symbols ?? pointer.keys.page,
  };
}
