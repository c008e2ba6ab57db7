// Writes one publish to the bucket in two steps: (1) every object the entry points name — raw page,
// data files, the publish's page, new assets — in parallel; (2) once all exist, the entry points
// (data/latest.json, index.html, error.html) together. Objects of step 1 have keys of their own
// that nothing names yet, so a publish that dies in step 1 changes nothing a reader can see.
// Every request carries one abort signal: the publish deadline or the process's stop signal.
import { setImmediate as tick } from 'node:timers/promises';
import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, type LatestPointer } from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import { PublishAbandoned, PublishError, StaleFetchError } from './errors.ts';
import {
  planData,
  planFailed,
  planSite,
  rawObject,
  type FailedPage,
  type PlannedObject,
  type PublishInput,
} from './files.ts';
import { readPreviousPointer } from './previous.ts';

export interface PublishResult {
  pointer: LatestPointer;
  /** Every key written; the entry points last. */
  keys: string[];
}

export interface PublishOptions {
  /** The previous pointer, read before the fetch so the GET overlaps it. @default read now */
  previous?: Promise<LatestPointer | null>;
  /** Aborts every request of the publish (SIGTERM/SIGINT). */
  signal?: AbortSignal;
  /** The whole publish, all retries included, ms. @default 60000 */
  deadlineMs?: number;
  /** A page fetched longer ago than this is not published, ms. @default 600000 (10 min) */
  maxFetchAgeMs?: number;
  /** Clock, ms. @default Date.now */
  now?: () => number;
}

export const DEFAULT_PUBLISH_DEADLINE_MS = 60_000;
export const DEFAULT_MAX_FETCH_AGE_MS = 10 * 60_000;

export async function put(
  s3: S3Client,
  bucket: string,
  object: PlannedObject,
  signal?: AbortSignal,
): Promise<void> {
  const abort = signal ? { abortSignal: signal } : {};
  if (object.copyOf !== undefined) {
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: object.key,
        CopySource: `${bucket}/${object.copyOf}`,
        MetadataDirective: 'REPLACE',
        ContentType: object.contentType,
        CacheControl: object.cacheControl,
      }),
      abort,
    );
    return;
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: object.key,
      // Encoded once here: given a string, the SDK encodes it separately to measure, to sign and
      // to send it.
      Body: typeof object.body === 'string' ? Buffer.from(object.body) : object.body,
      ContentType: object.contentType,
      CacheControl: object.cacheControl,
      ...object.condition,
    }),
    abort,
  );
}

/** One signal for the publish: the caller's stop signal or the deadline, whichever comes first. */
export function publishGuard(
  outer: AbortSignal | undefined,
  deadlineMs: number,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new PublishAbandoned('deadline', `${deadlineMs / 1000} s`)),
    deadlineMs,
  );
  const onStop = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onStop();
  else outer?.addEventListener('abort', onStop, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onStop);
    },
  };
}

/** Rejects with the signal's reason as soon as it aborts, whatever `work` is waiting on. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export interface Step {
  bucket: string;
  signal: AbortSignal;
  written: string[];
}

/** Awaits writes in flight; any failure becomes a PublishError naming its key (the abort reason when aborted). */
export async function settle(step: Step, writes: Write[]): Promise<void> {
  const results = await Promise.allSettled(writes.map((w) => w.done));
  let failure: { key: string; reason: unknown } | undefined;
  writes.forEach((w, i) => {
    const result = results[i];
    if (result?.status === 'fulfilled') step.written.push(w.key);
    else failure ??= { key: w.key, reason: step.signal.aborted ? step.signal.reason : result?.reason };
  });
  if (failure) {
    throw new PublishError(step.bucket, failure.key, [...step.written], failure.reason, {
      pointerUntouched: !step.written.includes(LAYOUT.latestKey),
    });
  }
}

export function checkFresh(input: { fetchedAt: string }, now: number, maxFetchAgeMs: number): void {
  const ageMs = now - Date.parse(input.fetchedAt);
  if (ageMs > maxFetchAgeMs) {
    throw new StaleFetchError(input.fetchedAt, Math.round(ageMs / 1000), Math.round(maxFetchAgeMs / 1000));
  }
}

export async function publish(
  s3: S3Client,
  input: PublishInput,
  log: Logger,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const now = options.now ?? Date.now;
  const maxFetchAgeMs = options.maxFetchAgeMs ?? DEFAULT_MAX_FETCH_AGE_MS;
  checkFresh(input, now(), maxFetchAgeMs);
  const guard = publishGuard(options.signal, options.deadlineMs ?? DEFAULT_PUBLISH_DEADLINE_MS);
  const step: Step = { bucket: input.bucket, signal: guard.signal, written: [] };
  const start = (o: PlannedObject): Write => {
    const done = put(s3, input.bucket, o, guard.signal);
    done.catch(() => undefined); // settled below; no unhandled rejection meanwhile
    return { key: o.key, done };
  };
  try {
    const previous = options.previous ?? readPreviousPointer(s3, input.bucket, log, guard.signal);
    const { pointer, entryPoints } = await writeObjects(input, previous, step, start);
    log.debug('publish objects written', { keys: [...step.written] });
    checkFresh(input, now(), maxFetchAgeMs);
    await settle(step, entryPoints.map(start));
    log.info('published', {
      bucket: input.bucket,
      source: input.source.id,
      date: input.date,
      publishId: pointer.publishId,
      quotes: input.quotes.length,
    });
    return { pointer, keys: step.written };
  } finally {
    guard.dispose();
  }
}

export interface Write {
  key: string;
  done: Promise<void>;
}

/** Step 1: everything the entry points name; returns the pointer and the entry points to write next. */
async function writeObjects(
  input: PublishInput,
  previousPointer: Promise<LatestPointer | null>,
  step: Step,
  start: (o: PlannedObject) => Write,
): Promise<{ pointer: LatestPointer; entryPoints: PlannedObject[] }> {
  // The raw page is the largest object by far: its upload overlaps rendering the site.
  const raw = start(rawObject(input));
  const data = planData(input);
  const dataWrites = data.objects.map(start);
  // Let those requests reach the socket before rendering the site (CPU) holds the event loop.
  await tick();
  const previous = await untilAborted(previousPointer, step.signal).catch((error: unknown) => {
    if (step.signal.aborted) throw new PublishError(input.bucket, LAYOUT.latestKey, [], error);
    return null;
  });
  const site = planSite(input, data.pointer, previous);
  await settle(step, [raw, ...dataWrites, ...site.objects.map(start)]);
  return { pointer: data.pointer, entryPoints: site.entryPoints };
}

/** Keeps a page that failed parsing or the gate under failed/ for debugging; returns its key. */
export async function keepFailed(
  s3: S3Client,
  bucket: string,
  page: FailedPage,
  log: Logger,
  signal?: AbortSignal,
): Promise<string> {
  const object = planFailed(page);
  try {
    await put(s3, bucket, object, signal);
  } catch (cause) {
    throw new PublishError(bucket, object.key, [], cause);
  }
  log.info('kept failed page', { bucket, key: object.key });
  return object.key;
}
