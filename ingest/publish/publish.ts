// What every publish write shares: one PUT or in-bucket copy (put), the one abort signal of a publish
// — its deadline or the process's stop signal (publishGuard) —, awaiting a step's writes (settle),
// the fetch-age check, and keeping a failed page (keepFailed). publishDays (days.ts) writes a publish
// in two steps with these: every object the entry points name first, then the entry points, so a
// publish that dies in step 1 changes nothing a reader can see.
import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, type LatestPointer } from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import { PublishAbandoned, PublishError, StaleFetchError } from './errors.ts';
import { planFailed, type FailedPage, type PlannedObject } from './files.ts';

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
): Promise<string | undefined> {
  const abort = signal ? { abortSignal: signal } : {};
  if (object.copyOf !== undefined) {
    const copied = await s3.send(
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
    return copied.CopyObjectResult?.ETag;
  }
  const out = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: object.key,
      // Encoded once here: given a string, the SDK encodes it separately to measure, to sign and
      // to send it.
      Body: object.load
        ? await object.load()
        : typeof object.body === 'string'
          ? Buffer.from(object.body)
          : object.body,
      ContentType: object.contentType,
      CacheControl: object.cacheControl,
      ...object.condition,
    }),
    abort,
  );
  /** The ETag the write created: a compare-and-swap's next condition. */
  return out.ETag;
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

export interface Write {
  key: string;
  /** Settles with the written object's ETag. */
  done: Promise<string | undefined>;
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
