// Reads a source's history: the dates index, then the window it names — two GETs whatever the
// number of published dates — and, rarely, one published date's data file (see outsideDates).
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { datesKey } from '../../contract/index.ts';
import { ExchangeError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { entryKeys, type DateEntry, type DatesIndex, type HistoryWindow } from './types.ts';

export interface LoadedHistory {
  index: DatesIndex | null;
  window: HistoryWindow | null;
  /**
   * ETag of the dates index as read, null when it did not exist: the publish writes the index only
   * if it is still that version (see ingest/publish/days.ts), so two ingests of a source cannot both win.
   */
  etag: string | null;
}

export interface HistoryReader {
  s3: S3Client;
  bucket: string;
  log: Logger;
  signal?: AbortSignal;
}

/** The dates index exists but is not one: publishing over it would drop the dates it lists. */
export class HistoryUnreadableError extends ExchangeError {
  override name = 'HistoryUnreadableError';
  constructor(readonly key: string) {
    super(`history: ${key} is not a dates index`, {
      hint: 'move it aside (the dates it listed are still under data/<source>/<date>/) and re-run',
    });
  }
}

/** S3 failed the read (after the SDK's retries): nothing was written, the run can simply be repeated. */
export class HistoryReadError extends ExchangeError {
  override name = 'HistoryReadError';
  constructor(
    readonly bucket: string,
    readonly key: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`history: could not read s3://${bucket}/${key}: ${reason.split('\n')[0]}`, {
      cause,
      hint: 'nothing was written and data/latest.json was not changed; check the bucket name, credentials and AWS_ENDPOINT_URL_S3, then re-run',
    });
  }
}

function isNotFound(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (error as Error).name === 'NoSuchKey' || status === 404;
}

/** The parsed JSON object and its ETag, or null when the key does not exist. */
async function getTagged(r: HistoryReader, key: string): Promise<{ value: unknown; etag: string } | null> {
  try {
    const out = await r.s3.send(new GetObjectCommand({ Bucket: r.bucket, Key: key }), {
      ...(r.signal ? { abortSignal: r.signal } : {}),
    });
    const value = JSON.parse((await out.Body?.transformToString()) ?? '') as unknown;
    // S3 sends an ETag with every object; '' would make the conditional write fail, never win blindly.
    return { value, etag: out.ETag ?? '' };
  } catch (error) {
    if (isNotFound(error)) return null;
    // A stop signal or deadline is the caller's to report; a body that is not JSON is the reader's.
    if (r.signal?.aborted || error instanceof SyntaxError) throw error;
    throw new HistoryReadError(r.bucket, key, error);
  }
}

/** The parsed JSON object, or null when the key does not exist. */
async function getJson(r: HistoryReader, key: string): Promise<unknown> {
  return (await getTagged(r, key))?.value ?? null;
}

function isIndex(v: unknown): v is DatesIndex {
  return typeof v === 'object' && v !== null && Array.isArray((v as DatesIndex).dates);
}

function isWindow(v: unknown): v is HistoryWindow {
  const w = v as HistoryWindow;
  return typeof v === 'object' && v !== null && Array.isArray(w.dates) && typeof w.closes === 'object';
}

/** A window that is not JSON is treated like one of the wrong shape (below); S3 errors still throw. */
function unparsable(error: unknown): unknown {
  if (error instanceof SyntaxError) return { unparsable: true };
  throw error;
}

/**
 * The source's dates index and history window. A missing index is a source never published with
 * history (empty history); an unreadable one fails the run (publishing over it would drop dates).
 */
export async function readHistory(r: HistoryReader, source: string): Promise<LoadedHistory> {
  const key = datesKey(source);
  const read = await getTagged(r, key).catch((error: unknown) => {
    throw error instanceof SyntaxError ? new HistoryUnreadableError(key) : error;
  });
  if (read === null) return { index: null, window: null, etag: null };
  const { value: index, etag } = read;
  if (!isIndex(index)) throw new HistoryUnreadableError(key);
  const window = index.history ? await getJson(r, index.history).catch(unparsable) : null;
  if (window !== null && !isWindow(window)) {
    r.log.warn('history window unreadable; sparklines restart from this publish', { key: index.history });
    return { index, window: null, etag };
  }
  return { index, window, etag };
}

/** Closes of one published date, from its data file. */
export async function readCloses(
  r: HistoryReader,
  source: string,
  entry: DateEntry,
): Promise<Map<string, number>> {
  const data = (await getJson(r, entryKeys(source, entry).json)) as {
    quotes?: { symbol: string; close: number | null }[];
  } | null;
  const out = new Map<string, number>();
  for (const q of data?.quotes ?? []) if (typeof q.close === 'number') out.set(q.symbol, q.close);
  return out;
}
