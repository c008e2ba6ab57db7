// Writes one publish to the bucket: raw → data → site → data/latest.json last, so no reader ever
// sees a pointer to a missing object. A write that fails (after the SDK's retries) stops the
// publish before the pointer: latest.json keeps pointing at the previous complete publish.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LatestPointer } from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import { PublishError } from './errors.ts';
import { planFailed, planPublish, type FailedPage, type PlannedObject, type PublishInput } from './files.ts';

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
      Body: object.body,
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
  const results = await Promise.allSettled(objects.map((o) => put(s3, bucket, o)));
  let failure: { key: string; reason: unknown } | undefined;
  objects.forEach((object, i) => {
    const result = results[i];
    if (result?.status === 'fulfilled') written.push(object.key);
    else failure ??= { key: object.key, reason: result?.reason };
  });
  if (failure) throw new PublishError(bucket, failure.key, [...written], failure.reason);
}

export async function publish(s3: S3Client, input: PublishInput, log: Logger): Promise<PublishResult> {
  const plan = planPublish(input);
  const written: string[] = [];
  for (const phase of plan.phases) {
    await writePhase(s3, input.bucket, phase.objects, written);
    log.debug('publish phase written', { phase: phase.name, keys: phase.objects.map((o) => o.key) });
  }
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
  });
  return { pointer: plan.pointer, keys: written };
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
