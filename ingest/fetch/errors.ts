// Typed fetch failures: one class with a `kind` so callers branch with instanceof + kind, and the
// one-line message always names the URL, what went wrong and what to try.
import { ExchangeError } from '../../lib/errors.ts';

export type FetchErrorKind =
  'timeout' | 'too-large' | 'http-status' | 'truncated' | 'connection-reset' | 'network' | 'bad-url';

export interface FetchErrorDetails {
  kind: FetchErrorKind;
  url: string;
  /** Requests made, first try included. */
  attempts?: number;
  /** Final HTTP status, for `http-status`. */
  status?: number;
  hint: string;
  cause?: unknown;
}

export class FetchError extends ExchangeError {
  override name = 'FetchError';
  readonly kind: FetchErrorKind;
  readonly url: string;
  readonly attempts: number | undefined;
  readonly status: number | undefined;

  constructor(message: string, details: FetchErrorDetails) {
    super(message, { hint: details.hint, cause: details.cause });
    this.kind = details.kind;
    this.url = details.url;
    this.attempts = details.attempts;
    this.status = details.status;
  }
}

/**
 * Raised inside the got instance when a body passes the size limit; fetchPage turns it into a
 * FetchError of kind `too-large`. Separate so the handler does not need to know the fetch wording.
 */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
  constructor(
    readonly url: string,
    readonly limitBytes: number,
    readonly seenBytes: number,
  ) {
    super(`response from ${url} exceeds ${limitBytes} bytes (at least ${seenBytes})`);
  }
}
