// When to retry a failed request and how long to wait: a pure function the got instance calls, so
// the policy is tested with a table instead of with slow servers.

export interface RetryPolicy {
  /** Retries after the first try. */
  limit: number;
  /** First backoff; doubles per attempt. */
  backoffBaseMs: number;
  /** Longest exponential backoff. */
  backoffLimitMs: number;
  /** Longest wait a server's Retry-After may impose; longer values are cut to this. */
  maxRetryAfterMs: number;
}

export interface FailedAttempt {
  /** 1 after the first failure. */
  attemptCount: number;
  method: string;
  statusCode?: number;
  /** Node/got error code such as ECONNRESET or ETIMEDOUT. */
  errorCode?: string;
  /** Retry-After in ms as got parsed it (seconds or HTTP date). */
  retryAfterMs?: number;
}

/** Transient network failures worth another try. */
export const RETRY_ERROR_CODES: readonly string[] = [
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EADDRINUSE',
];

const RETRY_METHODS = new Set(['GET', 'HEAD']);

/** 408, 429 and 5xx are transient; 501 (Not Implemented) and 505 (version) will not change on retry. */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
  );
}

/** Milliseconds to wait before the next try, or 0 for "do not retry". */
export function retryDelayMs(
  attempt: FailedAttempt,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (attempt.attemptCount > policy.limit || !RETRY_METHODS.has(attempt.method.toUpperCase())) return 0;
  const byStatus = attempt.statusCode !== undefined && isRetryableStatus(attempt.statusCode);
  const byCode = attempt.errorCode !== undefined && RETRY_ERROR_CODES.includes(attempt.errorCode);
  if (!byStatus && !byCode) return 0;
  if (attempt.retryAfterMs !== undefined && attempt.retryAfterMs > 0) {
    return Math.min(attempt.retryAfterMs, policy.maxRetryAfterMs);
  }
  const exponential = Math.min(policy.backoffBaseMs * 2 ** (attempt.attemptCount - 1), policy.backoffLimitMs);
  // Up to 10% jitter so many ingest jobs retrying one server do not stay in lock-step.
  return Math.max(1, Math.round(exponential * (1 + 0.1 * random())));
}
