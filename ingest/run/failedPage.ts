// The failed page kept under failed/<source>/ for debugging: which source it belongs to (the one
// named up front, or the one a parse error names after detecting the page), its extension, and a
// write that never hides the original error.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../lib/log.ts';
import type { FetchedPage } from '../fetch/fetchPage.ts';
import { keepFailed } from '../publish/publish.ts';
import { getSource, SOURCE_IDS } from '../source/index.ts';
import type { SourceAdapter } from '../source/types.ts';

/** The adapter a parse error names (it was detected, then failed), so the page is kept under its source. */
export function detectedAdapter(error: unknown): SourceAdapter | undefined {
  const source = (error as { source?: unknown } | null)?.source;
  return typeof source === 'string' && SOURCE_IDS.includes(source) ? getSource(source) : undefined;
}

export function guessExt(page: Pick<FetchedPage, 'body' | 'contentType'>): 'html' | 'xml' {
  if (page.contentType?.includes('xml')) return 'xml';
  return page.body.subarray(0, 64).toString('latin1').trimStart().startsWith('<?xml') ? 'xml' : 'html';
}

/**
 * Keeping the failed page is for debugging only: if that write fails too, log it and let the
 * original parse/gate error (the root cause) reach the user rather than this secondary one.
 */
export async function keepFailedQuietly(
  deps: { s3: S3Client; log: Logger; signal?: AbortSignal },
  bucket: string,
  page: Parameters<typeof keepFailed>[2],
): Promise<string | undefined> {
  try {
    return await keepFailed(deps.s3, bucket, page, deps.log, deps.signal);
  } catch (error) {
    deps.log.error('could not keep the failed page', { bucket, error });
    return undefined;
  }
}
