import assert from 'node:assert/strict';
import {
  isRetryableStatus,
  retryDelayMs,
  type FailedAttempt,
  type RetryPolicy,
} from '../../../ingest/fetch/retry.ts';

const policy: RetryPolicy = { limit: 3, backoffBaseMs: 100, backoffLimitMs: 350, maxRetryAfterMs: 2_000 };
const noJitter = (): number => 0;

describe('fetch retry policy', () => {
  const cases: [string, FailedAttempt, number][] = [
    ['500 first failure backs off the base', { attemptCount: 1, method: 'GET', statusCode: 500 }, 100],
    ['503 second failure doubles', { attemptCount: 2, method: 'GET', statusCode: 503 }, 200],
    ['third failure is capped by backoffLimit', { attemptCount: 3, method: 'GET', statusCode: 502 }, 350],
    ['past the limit never retries', { attemptCount: 4, method: 'GET', statusCode: 500 }, 0],
    ['408 is retried', { attemptCount: 1, method: 'GET', statusCode: 408 }, 100],
    [
      '429 honours Retry-After',
      { attemptCount: 1, method: 'GET', statusCode: 429, retryAfterMs: 1_000 },
      1_000,
    ],
    [
      'Retry-After is capped',
      { attemptCount: 1, method: 'GET', statusCode: 503, retryAfterMs: 3_600_000 },
      2_000,
    ],
    ['404 is final', { attemptCount: 1, method: 'GET', statusCode: 404 }, 0],
    ['501 is final', { attemptCount: 1, method: 'GET', statusCode: 501 }, 0],
    ['connection reset is retried', { attemptCount: 1, method: 'GET', errorCode: 'ECONNRESET' }, 100],
    ['timeout is retried', { attemptCount: 2, method: 'GET', errorCode: 'ETIMEDOUT' }, 200],
    ['unknown error code is final', { attemptCount: 1, method: 'GET', errorCode: 'ERR_BAD_THING' }, 0],
    ['POST is never retried', { attemptCount: 1, method: 'POST', statusCode: 503 }, 0],
  ];
  for (const [name, attempt, expected] of cases) {
    it(name, () => assert.equal(retryDelayMs(attempt, policy, noJitter), expected));
  }

  it('adds at most 10% jitter to the backoff', () => {
    assert.equal(
      retryDelayMs({ attemptCount: 1, method: 'GET', statusCode: 500 }, policy, () => 1),
      110,
    );
  });

  it('classifies statuses', () => {
    assert.deepEqual([200, 404, 408, 429, 500, 501, 503, 505, 599].map(isRetryableStatus), [
      false,
      false,
      true,
      true,
      true,
      false,
      true,
      false,
      true,
    ]);
  });
});
