// In-memory cache of site objects in front of S3. Entries are revalidated with If-None-Match (a
// cheap 304 from S3) once the pointer has changed — the background watch (watch.ts) calls
// `newGeneration()`; a request never waits on the pointer — or once an entry is older than
// `maxEntryAgeMs`, as a safety net. A missing key is remembered for `negativeTtlMs` (or until the
// pointer changes), so repeated 404s do not each cost an S3 GET.
//
// Only a request for an uncached key, or the first one after the pointer changed, waits on S3 (bounded
// by `fetchTimeoutMs`). An entry that merely aged out is answered at once from memory while one
// background revalidation runs; a failed revalidation keeps the copy and is retried no sooner than
// `retryAfterFailureMs` later, so a stalled S3 never makes cached pages wait.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ExchangeError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { contentTypeFor, isCompressible } from './negotiate.ts';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** S3 could not be read (unreachable, denied, timed out): pages answer 503. */
export class StoreUnavailableError extends ExchangeError {
  override name = 'StoreUnavailableError';
}

export interface SiteObject {
  key: string;
  body: Buffer;
  etag: string;
  contentType: string;
  cacheControl: string | undefined;
  lastModified: string | undefined;
  /** Precompressed once per version; absent when not worth it. */
  br: Buffer | undefined;
  gzip: Buffer | undefined;
}

interface Entry {
  object: SiteObject | null;
  generation: number;
  /** Until then (clock ms) the entry is answered without asking S3. */
  freshUntil: number;
}

export interface SiteStoreOptions {
  s3: S3Client;
  bucket: string;
  log: Logger;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** One object read from S3, all retries, before the request gets 503 (or the cached copy), ms. @default 4000 */
  fetchTimeoutMs?: number;
  /** A missing key is answered from memory for this long, ms. @default 10000 */
  negativeTtlMs?: number;
  /** Entries older than this are revalidated even if the pointer did not change. @default 60000 */
  maxEntryAgeMs?: number;
  /** Entries kept (oldest dropped first), so random 404 paths cannot grow memory. @default 512 */
  maxEntries?: number;
  /** After a failed revalidation the copy is served this long before S3 is asked again, ms. @default 1000 */
  retryAfterFailureMs?: number;
}

/** Bodies smaller than this are sent as they are: compression would not pay for its headers. */
const MIN_COMPRESS_BYTES = 512;

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

export class SiteStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<SiteObject | null>>();
  private generation = 0;
  private readonly now: () => number;
  private readonly negativeTtlMs: number;
  private readonly fetchTimeoutMs: number;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly retryMs: number;

  constructor(private readonly o: SiteStoreOptions) {
    this.now = o.now ?? Date.now;
    this.negativeTtlMs = o.negativeTtlMs ?? 10_000;
    this.fetchTimeoutMs = o.fetchTimeoutMs ?? 4000;
    this.maxAgeMs = o.maxEntryAgeMs ?? 60_000;
    this.maxEntries = o.maxEntries ?? 512;
    this.retryMs = o.retryAfterFailureMs ?? 1000;
  }

  /** The object, or null when S3 has no such key. Throws StoreUnavailableError when S3 cannot be read and nothing is cached. */
  async get(key: string): Promise<SiteObject | null> {
    const entry = this.entries.get(key);
    if (entry && entry.generation === this.generation) {
      // Aged out only: answer from memory now, revalidate in the background (once per key at a time).
      if (this.now() >= entry.freshUntil) void this.revalidateOnce(key, entry).catch(() => undefined);
      return entry.object;
    }
    return this.revalidateOnce(key, entry);
  }

  /** One revalidation per key at a time: concurrent callers share it. */
  private revalidateOnce(key: string, entry: Entry | undefined): Promise<SiteObject | null> {
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.revalidate(key, entry).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** The pointer changed: every entry is revalidated on its next use. */
  newGeneration(): void {
    this.generation++;
  }

  private async revalidate(key: string, entry: Entry | undefined): Promise<SiteObject | null> {
    const generation = this.generation;
    const cached = entry?.object ?? undefined;
    try {
      const res = await this.o.s3.send(
        new GetObjectCommand({ Bucket: this.o.bucket, Key: key, IfNoneMatch: cached?.etag }),
        { abortSignal: AbortSignal.timeout(this.fetchTimeoutMs) },
      );
      const body = Buffer.from(await res.Body!.transformToByteArray());
      const object = await this.build(
        key,
        body,
        res.ETag,
        res.ContentType,
        res.CacheControl,
        res.LastModified,
      );
      this.remember(key, { object, generation, freshUntil: this.now() + this.maxAgeMs });
      return object;
    } catch (err) {
      const status = statusOf(err);
      if (status === 304 && cached) {
        this.remember(key, { object: cached, generation, freshUntil: this.now() + this.maxAgeMs });
        return cached;
      }
      if (status === 404 || status === 403) {
        // 403 is what S3 answers for a missing key when the role may not list the bucket.
        this.remember(key, { object: null, generation, freshUntil: this.now() + this.negativeTtlMs });
        return null;
      }
      if (entry) {
        // Keep the copy for this generation, so the next requests answer at once instead of each
        // waiting the fetch timeout again; S3 is asked again after retryAfterFailureMs.
        this.o.log.warn('revalidation failed, serving cached copy', { key, error: err });
        this.remember(key, { object: entry.object, generation, freshUntil: this.now() + this.retryMs });
        return entry.object;
      }
      throw new StoreUnavailableError(`cannot read s3://${this.o.bucket}/${key}`, {
        hint: 'check that the bucket exists, the endpoint is reachable and the task role may read it',
        cause: err,
      });
    }
  }

  private async build(
    key: string,
    body: Buffer,
    etag: string | undefined,
    contentType: string | undefined,
    cacheControl: string | undefined,
    lastModified: Date | undefined,
  ): Promise<SiteObject> {
    const type =
      contentType && contentType !== 'application/octet-stream' ? contentType : contentTypeFor(key);
    const compress = isCompressible(type) && body.length >= MIN_COMPRESS_BYTES;
    const [br, gz] = compress
      ? await Promise.all([
          brotliAsync(body, {
            params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
          }),
          gzipAsync(body, { level: 9 }),
        ])
      : [undefined, undefined];
    return {
      key,
      body,
      etag: etag ?? `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
      contentType: type,
      cacheControl,
      lastModified: lastModified?.toUTCString(),
      br,
      gzip: gz,
    };
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
