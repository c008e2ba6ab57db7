// One publish of every date a page carries that passed the gate (a daily page: one date). Dates
// whose data equals the published one are not written again; changed ones are, and say so in the
// log. Step 1 writes each written date's files, its page and per-symbol page, and the new history
// window; step 2 writes the source's dates index, only over the version this run read (another
// ingest of the source may have written it since: see datesIndex.ts), then the entry points, so the
// pointer moves once, to the latest date, and never backwards (a backfill of older dates leaves it
// where it is).
import type { S3Client } from '@aws-sdk/client-s3';
import type { Quote } from '../../contract/quote.ts';
import {
  CACHE_CONTROL,
  LAYOUT,
  datesKey,
  type LatestPointer,
  type SourceEntry,
} from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import { setImmediate as tick } from 'node:timers/promises';
import { outsideDates, planDays, type DayPlan } from '../history/plan.ts';
import { readCloses, readHistory, type HistoryReader, type LoadedHistory } from '../history/read.ts';
import { gapCloses } from '../history/series.ts';
import { PublishError } from './errors.ts';
import { buildObjects, heartbeatPointer, seriesDue, type DaysInput, type PageJob } from './build.ts';
import { datesIndexObject, settleIndex } from './datesIndex.ts';
import { planSite, rawObject, type PlannedObject } from './files.ts';
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
import { entryFor, mergeRegistry, readRegistry, writeRegistry, type ReadRegistry } from './registry.ts';
import { chartPage, yearPages } from './siteObjects.ts';

export type { DaysInput } from './build.ts';

export interface DaysResult {
  /** The pointer written, or null when every date was older than the published latest. */
  pointer: LatestPointer | null;
  /** The newest date's page rendered by this publish (the pointer's, when it moved). */
  newest: LatestPointer | null;
  keys: string[];
  plans: DayPlan[];
  /** S3 GETs spent reading history (dates index, window, data files outside it). */
  historyReads: number;
  /**
   * The history as this publish left it (the index written and its ETag): the next chunk of a run
   * starts from it instead of reading the index again. Absent when unknown (then it is read).
   */
  next?: LoadedHistory;
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
    // The registry is read while the history is: only a publish that moves the pointer writes it.
    const registryRead = readRegistry(s3, input.bucket, guard.signal);
    registryRead.catch(() => undefined); // awaited below when the pointer moves
    const { loaded, outside, plans, series } = await planFromHistory(reader, input, options.history);
    const previous = options.previous ?? readPreviousPointer(s3, input.bucket, log, guard.signal);
    let built = buildObjects(reader, input, loaded, plans, series);
    if (built.pages.length === 0 && built.objects.length === 0) {
      const latest = plans.at(-1);
      const isLatest = latest !== undefined && latest.date === loaded.index?.dates.at(-1)?.date;
      const prior = isLatest ? await untilAborted(previous, guard.signal).catch(() => null) : null;
      if (isLatest && prior) {
        // The latest date again with the same data (a weekend, a re-run): no page, no data file, no
        // index is rewritten; the pointer and the registry say this run happened (readiness).
        return await heartbeat(
          { s3, input, log, step, start, guard, loaded, latest, prior, registryRead },
          outside,
          plans,
        );
      }
      if (!isLatest) {
        // Every date is published with this data and the pointer stays: nothing to write, not even
        // the dates index (a resumed run passes over what it already published this way).
        log.info('nothing to publish: every date is published with this data', {
          source: input.source.id,
          unchanged: plans.length,
        });
        return {
          pointer: null,
          newest: null,
          keys: [],
          plans,
          historyReads: historyReads(loaded, outside),
          next: loaded,
        };
      }
      // No readable pointer to refresh: render the latest date again, as a first publish would.
      built = buildObjects(reader, input, loaded, plans, series, true);
    }
    const last = built.pages.at(-1);
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
    const sources =
      built.pointer && last
        ? await sourcesPlan(input, built.pointer, last.input.quotes, registryRead, guard.signal)
        : null;
    // With it, the landing page the registry will name (a publish-addressed key, so writing it early is safe).
    const landing = sources?.planned.landing ? [start(sources.planned.landing)] : [];
    const [indexEtag] = await Promise.all([
      settleIndex(step, start(datesIndexObject(built.index, loaded.etag)), input.source.id),
      settle(step, landing),
    ]);
    // Last, together: the pages that link what the index now names, the entry points, the registry.
    const entryPoints = (built.pointer ? (sites.at(-1)?.entryPoints ?? []) : []).map((o) =>
      o.key === LAYOUT.indexKey && sources?.planned.landing
        ? { ...o, copyOf: sources.planned.landing.key }
        : o,
    );
    const entry = [
      ...yearPages(input.source, built.index, built.years),
      chartPage(input.source, built.index, built.window, built.windowKey),
      ...entryPoints,
    ];
    await settleAll([
      settle(step, entry.map(start)),
      sources
        ? writeRegistry(
            {
              read: () => readRegistry(s3, input.bucket, guard.signal),
              write: (objects) => settle(step, objects.map(start)),
            },
            sources,
            sources.entry,
            input.generatedAt,
          )
        : Promise.resolve(),
    ]);
    logPublished(log, input, built.pointer, plans);
    return {
      pointer: built.pointer,
      newest: last?.pointer ?? null,
      keys: step.written,
      plans,
      historyReads: historyReads(loaded, outside),
      ...(indexEtag ? { next: { index: built.index, window: built.window, etag: indexEtag } } : {}),
    };
  } finally {
    guard.dispose();
  }
}

interface HeartbeatRun {
  s3: S3Client;
  input: DaysInput;
  log: Logger;
  step: Step;
  start: (o: PlannedObject) => Write;
  guard: { signal: AbortSignal };
  loaded: LoadedHistory;
  latest: DayPlan;
  prior: LatestPointer;
  registryRead: Promise<ReadRegistry>;
}

/** The pointer and registry of an unchanged latest date (with the raw page this run fetched). */
async function heartbeat(
  h: HeartbeatRun,
  outside: Map<string, unknown>,
  plans: DayPlan[],
): Promise<DaysResult> {
  const { input, latest } = h;
  const raw = input.rawFor?.(latest.date)?.key ?? rawObject({ ...input, date: latest.date, quotes: [] }).key;
  const pointer = heartbeatPointer(input, latest, h.loaded, h.prior, raw);
  if (!pointer)
    return {
      pointer: null,
      newest: null,
      keys: [],
      plans,
      historyReads: historyReads(h.loaded, outside),
      next: h.loaded,
    };
  const rawObjects = input.rawFor
    ? rawObjectsFor(input, [latest.date])
    : [rawObject({ ...input, date: latest.date, quotes: [] })];
  await settle(h.step, rawObjects.map(h.start));
  const sources = await sourcesPlan(input, pointer, latest.quotes, h.registryRead, h.guard.signal);
  const latestObject: PlannedObject = {
    key: LAYOUT.latestKey,
    body: `${JSON.stringify(pointer, null, 2)}\n`,
    contentType: 'application/json',
    cacheControl: CACHE_CONTROL.pointer,
  };
  await settleAll([
    settle(h.step, [h.start(latestObject)]),
    writeRegistry(
      {
        read: () => readRegistry(h.s3, input.bucket, h.guard.signal),
        write: (objects) => settle(h.step, objects.map(h.start)),
      },
      sources,
      sources.entry,
      input.generatedAt,
    ),
  ]);
  h.log.info('published', {
    bucket: input.bucket,
    source: input.source.id,
    date: pointer.date,
    publishId: pointer.publishId,
    dates: 0,
    unchanged: 1,
    heartbeat: true,
  });
  return {
    pointer,
    newest: pointer,
    keys: h.step.written,
    plans,
    historyReads: historyReads(h.loaded, outside),
    next: h.loaded,
  };
}

/** This source's registry entry and the registry (and landing page) with it. */
async function sourcesPlan(
  input: DaysInput,
  pointer: LatestPointer,
  quotes: readonly Quote[],
  registryRead: Promise<ReadRegistry>,
  signal: AbortSignal,
): Promise<{ entry: SourceEntry; etag: string | null; planned: ReturnType<typeof mergeRegistry> }> {
  const read = await untilAborted(registryRead, signal).catch((error: unknown) => {
    throw new PublishError(input.bucket, LAYOUT.sourcesKey, [], signal.aborted ? signal.reason : error);
  });
  const entry = entryFor(input.source, pointer, quotes);
  return { entry, etag: read.etag, planned: mergeRegistry(read.registry, entry, input.generatedAt) };
}

/** Awaits every step part; the first failure is thrown once all have settled. */
async function settleAll(parts: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(parts);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The source's history (read early by the caller, or now), the dates outside its window, and the plans. */
async function planFromHistory(
  reader: HistoryReader & { signal: AbortSignal },
  input: DaysInput,
  history: Promise<LoadedHistory> | undefined,
): Promise<{
  loaded: LoadedHistory;
  outside: Map<string, Map<string, number>>;
  plans: DayPlan[];
  series: { due: boolean; gap: Map<string, Map<string, number>> };
}> {
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
    outside.set(entry.date, await readCloses(reader, input.source.id, entry));
  }
  const plans = planDays(input.days, loaded.index, loaded.window, outside);
  logPlans(reader.log, input.source.id, plans);
  // A series rewrite may need dates neither the files nor the window hold (a bucket published before
  // series files, or a run's deferring chunks): from the run's days, else their data files.
  const due = seriesDue(input, loaded, plans);
  const gap = due
    ? await gapCloses(
        reader,
        input.source.id,
        loaded.index?.series,
        loaded.index?.dates ?? [],
        loaded.window,
        plans.map((p) => p.date),
        input.knownCloses,
      )
    : new Map<string, Map<string, number>>();
  return { loaded, outside, plans, series: { due, gap } };
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
  return rawObjectsFor(input, dates);
}

/** Each date's raw page, once per run. */
function rawObjectsFor(input: DaysInput, dates: readonly string[]): PlannedObject[] {
  const out: PlannedObject[] = [];
  for (const date of dates) {
    const ref = input.rawFor?.(date);
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

/**
 * The pages a run's skipped chunks would have rewritten (their years' calendars and the chart page),
 * from the dates index as it is now: a run killed during a chunk's last step, then resumed, finds
 * that chunk's dates published and writes nothing for them, but its calendars may predate them.
 */
export async function refreshSitePages(
  s3: S3Client,
  target: { bucket: string; source: DaysInput['source'] },
  years: readonly string[],
  log: Logger,
  options: { signal?: AbortSignal; deadlineMs?: number } = {},
): Promise<string[]> {
  const guard = publishGuard(options.signal, options.deadlineMs ?? DEFAULT_PUBLISH_DEADLINE_MS);
  try {
    const reader = { s3, bucket: target.bucket, log, signal: guard.signal };
    const loaded = await readHistory(reader, target.source.id);
    if (!loaded.index || !loaded.window || !loaded.index.history) return [];
    const step: Step = { bucket: target.bucket, signal: guard.signal, written: [] };
    const objects = [
      ...yearPages(target.source, loaded.index, years),
      chartPage(target.source, loaded.index, loaded.window, loaded.index.history),
    ];
    await settle(
      step,
      objects.map((o) => ({ key: o.key, done: put(s3, target.bucket, o, guard.signal) })),
    );
    return step.written;
  } finally {
    guard.dispose();
  }
}
