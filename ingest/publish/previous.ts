// The previous complete publish, read from data/latest.json before the page is fetched (the GET
// overlaps the fetch and parse). Used only to skip assets it already names: their keys are
// content-addressed, so a key the last complete publish named holds exactly the bytes we would write.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, type LatestPointer } from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';

/** The pointer, or null when absent or not understood; never rejects (null costs a rewrite of assets, never a wrong skip). */
export async function readPreviousPointer(
  s3: S3Client,
  bucket: string,
  log: Logger,
  signal?: AbortSignal,
): Promise<LatestPointer | null> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: LAYOUT.latestKey }), {
      ...(signal ? { abortSignal: signal } : {}),
    });
    const value = JSON.parse((await out.Body?.transformToString()) ?? '') as Partial<LatestPointer>;
    const assets = value.keys?.assets;
    if (!Array.isArray(assets) || !assets.every((k) => typeof k === 'string')) return null;
    return value as LatestPointer;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name !== 'NoSuchKey' && status !== 404) {
      log.warn('could not read the previous pointer; writing every asset', { bucket, error });
    }
    return null;
  }
}
