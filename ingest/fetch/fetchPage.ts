// Fetch one page through the configured client and describe every failure as a FetchError whose
// one line names the URL, the problem and the fix. The bytes are returned undecoded: charset
// decoding belongs to the parser, which also sees the page's own <meta charset>.
import { HTTPError, ReadError, RequestError, TimeoutError } from 'got';
import type { HttpClient } from './client.ts';
import { FetchError, ResponseTooLargeError } from './errors.ts';

export interface FetchedPage {
  body: Buffer;
  /** The Content-Type header as sent, when there was one. */
  contentType?: string;
  /** Final URL after redirects. */
  url: string;
  status: number;
  /** ISO time the response was complete. */
  fetchedAt: string;
  /** Requests made, first try included. */
  attempts: number;
}

export async function fetchPage(
  client: HttpClient,
  url: string,
  deps: { now: () => Date; signal?: AbortSignal; maxBytes?: number },
): Promise<FetchedPage> {
  const parsed = checkUrl(url);
  try {
    const response = await client(parsed, {
      responseType: 'buffer',
      ...(deps.maxBytes === undefined ? {} : { context: { maxResponseBytes: deps.maxBytes } }),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const contentType = response.headers['content-type'];
    return {
      body: response.body,
      ...(contentType === undefined ? {} : { contentType }),
      url: response.url,
      status: response.statusCode,
      fetchedAt: deps.now().toISOString(),
      attempts: response.retryCount + 1,
    };
  } catch (error) {
    // Stopped on purpose: the caller reports the stop, not a network error.
    if (deps.signal?.aborted) throw deps.signal.reason;
    throw toFetchError(error, url, client);
  }
}

function checkUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new FetchError(`"${url}" is not a URL`, {
      kind: 'bad-url',
      url,
      hint: 'pass an absolute http(s) URL',
      cause,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchError(`"${url}" is not an http(s) URL`, {
      kind: 'bad-url',
      url,
      hint: 'pass an http:// or https:// URL (saved files go through "exchange parse")',
    });
  }
  return parsed;
}

/** Maps got's errors (and our size limit) to one FetchError; anything unknown is rethrown as is. */
export function toFetchError(error: unknown, url: string, client: HttpClient): unknown {
  const { settings } = client;
  const attempts = error instanceof RequestError ? (error.request?.retryCount ?? 0) + 1 : 1;
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (error instanceof ResponseTooLargeError) {
    return new FetchError(
      `${url}: response is larger than the ${error.limitBytes}-byte limit (${error.seenBytes} bytes)`,
      {
        kind: 'too-large',
        url,
        attempts,
        hint: 'check the URL points at the quotes page, or raise maxResponseBytes if the page really grew',
        cause: error,
      },
    );
  }
  if (error instanceof TimeoutError) {
    return new FetchError(`${url}: no complete response within ${settings.requestTimeoutMs} ms ${tries}`, {
      kind: 'timeout',
      url,
      attempts,
      hint: 'the server is slow or unreachable; retry later or raise the request timeout',
      cause: error,
    });
  }
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    return new FetchError(`${url}: HTTP ${status} ${error.response.statusMessage ?? ''} ${tries}`.trim(), {
      kind: 'http-status',
      url,
      attempts,
      status,
      hint:
        status >= 500 || status === 429
          ? 'the server is failing or throttling; retry later'
          : 'check the URL (see "exchange ingest --help" for each source\'s default)',
      cause: error,
    });
  }
  if (error instanceof ReadError) return truncated(error, url, attempts, tries);
  if (error instanceof RequestError) {
    const reset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
    return new FetchError(
      `${url}: ${reset ? 'connection reset by the server' : `network error ${error.code ?? error.message}`} ${tries}`,
      {
        kind: reset ? 'connection-reset' : 'network',
        url,
        attempts,
        hint: reset
          ? 'the server dropped the connection; retry later'
          : 'check the host name and your network, then retry',
        cause: error,
      },
    );
  }
  return error;
}

function truncated(error: ReadError, url: string, attempts: number, tries: string): FetchError {
  const declared = error.response?.headers['content-length'];
  const got = error.response?.rawBody?.length ?? error.request?.downloadProgress.transferred;
  const detail = declared === undefined ? '' : ` (${got ?? '?'} of ${declared} bytes)`;
  return new FetchError(`${url}: body ended early${detail} ${tries}`, {
    kind: 'truncated',
    url,
    attempts,
    hint: 'the connection broke mid-download; retry later',
    cause: error,
  });
}
