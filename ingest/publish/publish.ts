// Writes one publish to the bucket: raw → data → site → data/latest.json last, so no reader ever
// sees a pointer to a missing object. A write that fails (after the SDK's retries) stops the
// publish before the pointer: latest.json keeps pointing at the previous complete publish.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LatestPointer } from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import { PublishError } from './errors.ts';
import {
  planFailed,
  planPublish,
  type FailedPage,
  type PlannedObject,
  type PublishInput,
  type PublishPhase,
} from './files.ts';
import { readSiteManifest, type PreviousSite } from './siteManifest.ts';

export interface PublishResult {
  pointer: LatestPointer;
  /** Every key written, in order, the pointer last. */
  keys: string[];
}

async function put(s3: S3Client, bucket: string, object: PlannedObject): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: object.key,
      // Encoded once here: given a string, the SDK encodes it separately to measure, to sign and
      // to send it.
      Body: typeof object.body === 'string' ? Buffer.from(object.body) : object.body,
      ContentType: object.contentType,
      CacheControl: object.cacheControl,
    }),
  );
}

/** Writes one phase in parallel; any failure becomes a PublishError naming its key. */
async function writePhase(
  s3: S3Client,
  bucket: string,
  objects: PlannedObject[],
  written: string[],
): Promise<void> {
  if (objects.length === 0) return;
  const results = await Promise.allSettled(objects.map((o) => put(s3, bucket, o)));
  let failure: { key: string; reason: unknown } | undefined;
  objects.forEach((object, i) => {
    const result = results[i];
    if (result?.status === 'fulfilled') written.push(object.key);
    else failure ??= { key: object.key, reason: result?.reason };
  });
  if (failure) throw new PublishError(bucket, failure.key, [...written], failure.reason);
}

export interface PublishOptions {
  /**
   * What the bucket holds of the site, read before the page was fetched so the GET overlaps the
   * fetch and parse. @default - read at the start of the publish
   */
  previousSite?: Promise<PreviousSite>;
}

export async function publish(
  s3: S3Client,
  input: PublishInput,
  log: Logger,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const previous = options.previousSite ?? readSiteManifest(s3, input.bucket, log);
  const plan = planPublish(input, previous);
  const written: string[] = [];
  await writePhases(s3, input.bucket, plan.phases, written, log);
  try {
    await put(s3, input.bucket, plan.pointerObject);
  } catch (cause) {
    // A failed PUT of the pointer leaves the old object in place (S3 writes are atomic per key).
    throw new PublishError(input.bucket, plan.pointerObject.key, [...written], cause);
  }
  written.push(plan.pointerObject.key);
  log.info('published', {
    bucket: input.bucket,
    source: input.source.id,
    date: input.date,
    quotes: input.quotes.length,
    site: (await previous).state,
  });
  return { pointer: plan.pointer, keys: written };
}

/**
 * Writes the phases in order, each one's objects in parallel, a phase only once the previous one is
 * fully written. Every phase after the first is built while the first is in flight: the first is
 * the raw page, the largest object by far, so rendering the site and serialising the data overlap
 * its upload, and the later phases then follow one another with no CPU work in between.
 */
async function writePhases(
  s3: S3Client,
  bucket: string,
  phases: PublishPhase[],
  written: string[],
  log: Logger,
): Promise<void> {
  const [first, ...rest] = phases;
  if (!first) return;
  const firstObjects = await first.build();
  const writing = writePhase(s3, bucket, firstObjects, written);
  // Handled by the await below; without this a failure while the other phases are being built
  // would be reported as an unhandled rejection.
  writing.catch(() => undefined);
  let built: PlannedObject[][];
  try {
    // Let the requests reach the socket before building (CPU) blocks the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    built = await Promise.all(rest.map((phase) => phase.build()));
  } catch (error) {
    await writing.catch(() => undefined);
    throw error;
  }
  await writing;
  log.debug('publish phase written', { phase: first.name, keys: firstObjects.map((o) => o.key) });
  for (const [i, phase] of rest.entries()) {
    const objects = built[i] ?? [];
    await writePhase(s3, bucket, objects, written);
    log.debug('publish phase written', { phase: phase.name, keys: objects.map((o) => o.key) });
  }
}

/** Keeps a page that failed parsing or the gate under failed/ for debugging; returns its key. */
export async function keepFailed(
  s3: S3Client,
  bucket: string,
  page: FailedPage,
  log: Logger,
): Promise<string> {
  const object = planFailed(page);
  try {
    await put(s3, bucket, object);
  } catch (cause) {
    throw new PublishError(bucket, object.key, [], cause);
  }
  log.info('kept failed page', { bucket, key: object.key });
  return object.key;
}
