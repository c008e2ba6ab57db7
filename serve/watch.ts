// The background bucket check behind /livez, /healthz and the cache: every `intervalMs` it reads
// data/latest.json and the sources registry data/sources.json (conditional GETs: 304 while
// unchanged) and, when either changes, checks that every key they name exists. Each check is bounded by `checkTimeoutMs` (an abort, whatever
// the SDK's retries), and requests never wait on it: they read `state`.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, type LatestPointer } from '../contract/index.ts';
import type { Logger } from '../lib/log.ts';
import { isPointer, isRegistry, namedKeys, registryKeys, type WatchState } from './health.ts';

export interface BucketWatchOptions {
  s3: S3Client;
  bucket: string;
  log: Logger;
  /** Time between the end of one check and the start of the next, ms. @default 2000 */
  intervalMs?: number;
  /** One check, all requests and retries, ms. @default 3000 */
  checkTimeoutMs?: number;
  /** Clock, ms. @default Date.now */
  now?: () => number;
  /** Called when the pointer's ETag changes (the cache starts a new generation). */
  onPointerChange?: (pointer: LatestPointer | null) => void;
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isNoSuchBucket(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'NoSuchBucket';
}

export class BucketWatch {
  state: WatchState = {
    checkedAt: null,
    reachedAt: null,
    bucket: 'unknown',
    pointer: null,
    missingKeys: [],
    registry: null,
    registryMissing: [],
  };
  /** The registry's ETag (sent as If-None-Match) once every page it names was found. */
  private registryEtag: string | undefined;
  /** Sent as If-None-Match: only a complete pointer's, so an incomplete one is checked again. */
  private etag: string | undefined;
  /** What the cache's generation follows: the pointer's ETag, or "absent". */
  private seen: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly o: BucketWatchOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Settles when the first check has (bounded by checkTimeoutMs); undefined before start(). */
  first: Promise<void> | undefined;

  /** Runs one check now and then every interval; resolves after the first check. */
  async start(): Promise<WatchState> {
    this.first ??= this.check();
    await this.first;
    this.schedule();
    return this.state;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => void this.check().finally(() => this.schedule()),
      this.o.intervalMs ?? 2000,
    );
    this.timer.unref();
  }

  /** One bounded check; never rejects. */
  async check(): Promise<void> {
    const signal = AbortSignal.timeout(this.o.checkTimeoutMs ?? 3000);
    try {
      await this.readPointer(signal);
      await this.readRegistry(signal);
      this.state.reachedAt = this.now();
    } catch (error) {
      const missing = isNoSuchBucket(error);
      this.state.bucket = missing ? 'missing' : 'unreachable';
      this.o.log.warn(missing ? 'bucket does not exist' : 'bucket check failed', {
        bucket: this.o.bucket,
        error,
        ...(signal.aborted ? { timedOut: true } : {}),
      });
    } finally {
      this.state.checkedAt = this.now();
    }
  }

  private async readPointer(signal: AbortSignal): Promise<void> {
    let res;
    try {
      res = await this.o.s3.send(
        new GetObjectCommand({ Bucket: this.o.bucket, Key: LAYOUT.latestKey, IfNoneMatch: this.etag }),
        { abortSignal: signal },
      );
    } catch (error) {
      const status = statusOf(error);
      if (status === 304) {
        this.state.bucket = 'ok';
        return;
      }
      if (isNoSuchBucket(error) || (status !== 404 && status !== 403)) throw error;
      // 403 is what S3 answers for a missing key when the role may not list the bucket.
      this.etag = undefined;
      this.changed('absent', null);
      this.state = { ...this.state, bucket: 'ok', pointerProblem: undefined, missingKeys: [] };
      return;
    }
    const text = (await res.Body?.transformToString()) ?? '';
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    this.state.bucket = 'ok';
    if (!isPointer(value)) {
      this.o.log.warn('pointer unreadable', { key: LAYOUT.latestKey, bytes: text.length });
      this.state.pointerProblem = 'pointer unreadable';
      this.etag = undefined;
      return;
    }
    const missingKeys = await this.missing(namedKeys(value), signal);
    this.state = { ...this.state, pointer: value, pointerProblem: undefined, missingKeys };
    if (missingKeys.length) this.o.log.warn('pointer names missing objects', { missingKeys });
    this.etag = missingKeys.length ? undefined : res.ETag;
    this.changed(`${missingKeys.length ? 'incomplete ' : ''}${res.ETag ?? text.length}`, value);
  }

  /** The sources registry; absent is a bucket of one source written before it (or none yet). */
  private async readRegistry(signal: AbortSignal): Promise<void> {
    let res;
    try {
      res = await this.o.s3.send(
        new GetObjectCommand({
          Bucket: this.o.bucket,
          Key: LAYOUT.sourcesKey,
          IfNoneMatch: this.registryEtag,
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      const status = statusOf(error);
      if (status === 304) return;
      if (isNoSuchBucket(error) || (status !== 404 && status !== 403)) throw error;
      if (this.state.registry !== null) this.o.onPointerChange?.(this.state.pointer);
      this.registryEtag = undefined;
      this.state = { ...this.state, registry: null, registryMissing: [] };
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse((await res.Body?.transformToString()) ?? '');
    } catch {
      value = undefined;
    }
    if (!isRegistry(value)) {
      this.o.log.warn('sources registry unreadable', { key: LAYOUT.sourcesKey });
      this.registryEtag = undefined;
      this.state = { ...this.state, registry: null, registryMissing: [] };
      return;
    }
    const registryMissing = await this.missing(registryKeys(value), signal);
    if (registryMissing.length)
      this.o.log.warn('sources registry names missing objects', { registryMissing });
    this.state = { ...this.state, registry: value, registryMissing };
    this.registryEtag = registryMissing.length ? undefined : res.ETag;
    this.o.onPointerChange?.(this.state.pointer);
  }

  private changed(seen: string, pointer: LatestPointer | null): void {
    if (seen === this.seen) return;
    if (this.seen !== undefined) this.o.log.info('pointer changed', { seen });
    this.seen = seen;
    this.o.onPointerChange?.(pointer);
  }

  private async missing(keys: string[], signal: AbortSignal): Promise<string[]> {
    const found = await Promise.all(
      keys.map((key) =>
        this.o.s3
          .send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: key }), { abortSignal: signal })
          .then(
            () => true,
            (err: unknown) => {
              if (statusOf(err) === 404 || statusOf(err) === 403) return false;
              throw err;
            },
          ),
      ),
    );
    return keys.filter((_, i) => !found[i]);
  }
}
