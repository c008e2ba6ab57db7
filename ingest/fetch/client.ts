// The one configured got instance every fetch goes through: timeout, retry policy, size limit,
// user agent and compression are decided here and nowhere else (got has no timeout by default).
import got, { CancelError, type CancelableRequest, type Got, type HandlerFunction, type Options } from 'got';
import { ResponseTooLargeError } from './errors.ts';
import { retryDelayMs, type RetryPolicy } from './retry.ts';

export interface HttpClientOptions {
  /** App version for the user agent. */
  version: string;
  /** Project home named in the user agent so exchange operators can reach us (package.json homepage). */
  projectUrl?: string;
  /** Whole-request budget per attempt (connect + headers + body), ms. @default 20000 */
  requestTimeoutMs?: number;
  /** Retries after the first try. @default 3 */
  retryLimit?: number;
  /** First backoff, doubling per retry, ms. @default 1000 */
  backoffBaseMs?: number;
  /** Longest exponential backoff, ms. @default 10000 */
  backoffLimitMs?: number;
  /** Cap on a server's Retry-After, ms; longer values wait this long instead. @default 30000 */
  maxRetryAfterMs?: number;
  /**
   * Largest body accepted, counted after decompression; larger responses abort. A request may ask for
   * less (each source's own cap: 4 MiB for a daily page), never more. @default 33554432 (32 MiB, the
   * largest page a source accepts: a whole-history series)
   */
  maxResponseBytes?: number;
  /** @default `exchange-ingest/<version> (+<projectUrl>)`, or without the URL part when none is known */
  userAgent?: string;
}

/** The resolved settings, kept on the instance so fetchPage can name them in errors. */
export interface HttpClientSettings {
  requestTimeoutMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  userAgent: string;
}

export type HttpClient = Got & { readonly settings: HttpClientSettings };

function defaultUserAgent(version: string, projectUrl: string | undefined): string {
  return projectUrl ? `exchange-ingest/${version} (+${projectUrl})` : `exchange-ingest/${version}`;
}

/**
 * Largest page ingest fetches at all (after decompression): a whole-history series page; each fetch
 * asks for its source's own, smaller cap (ingest/source/types.ts).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export function resolveHttpSettings(options: HttpClientOptions): HttpClientSettings {
  return {
    requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
    retry: {
      limit: options.retryLimit ?? 3,
      backoffBaseMs: options.backoffBaseMs ?? 1_000,
      backoffLimitMs: options.backoffLimitMs ?? 10_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    },
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    userAgent: options.userAgent ?? defaultUserAgent(options.version, options.projectUrl),
  };
}

/**
 * got has no size limit, so watch download progress and cancel once the declared length or the
 * bytes received pass the limit; the cancel is turned into a ResponseTooLargeError here.
 */
function sizeLimitHandler(defaultMaxBytes: number): HandlerFunction {
  return (options: Options, next) => {
    const result = next(options);
    if (options.isStream) return result;
    // A request may carry its own cap (the source's: a whole history is larger than a day's page).
    const own = (options.context as { maxResponseBytes?: unknown }).maxResponseBytes;
    const maxBytes = typeof own === 'number' && own > 0 ? Math.min(own, defaultMaxBytes) : defaultMaxBytes;
    const request = result as CancelableRequest;
    let seen: number | undefined;
    request.on('downloadProgress', (progress) => {
      const declared = progress.total ?? 0;
      if (seen === undefined && (progress.transferred > maxBytes || declared > maxBytes)) {
        seen = Math.max(progress.transferred, declared);
        request.cancel();
      }
    });
    const url = String(options.url);
    const guarded = request.catch((error: unknown) => {
      if (seen !== undefined && error instanceof CancelError)
        throw new ResponseTooLargeError(url, maxBytes, seen);
      throw error;
    });
    return guarded as unknown as typeof result;
  };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const settings = resolveHttpSettings(options);
  const instance = got.extend({
    timeout: { request: settings.requestTimeoutMs },
    headers: { 'user-agent': settings.userAgent },
    decompress: true,
    followRedirect: true,
    maxRedirects: 5,
    // Non-2xx still throws, but only after the retry policy has had its turns.
    throwHttpErrors: true,
    retry: {
      limit: settings.retry.limit,
      calculateDelay: ({ attemptCount, error, retryAfter }) =>
        retryDelayMs(
          {
            attemptCount,
            method: error.options.method,
            statusCode: error.response?.statusCode,
            errorCode: error.code,
            retryAfterMs: retryAfter,
          },
          settings.retry,
        ),
    },
    handlers: [sizeLimitHandler(settings.maxResponseBytes)],
  });
  return Object.assign(instance, { settings });
}
