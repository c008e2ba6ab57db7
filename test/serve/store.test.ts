// The site cache's rules at their boundaries, with a scripted S3 and a fake clock: when an entry is
// answered from memory, when a request waits on S3, how many revalidations run, and when a failed one
// is retried.
import assert from 'node:assert/strict';
import type { S3Client } from '@aws-sdk/client-s3';
import { silentLogger } from '../../lib/log.ts';
import { SiteStore } from '../../serve/store.ts';

type Answer = { body: string; etag: string } | { status: number } | 'stall';

/** An S3 stand-in: each GetObject takes the next scripted answer (the last one repeats). */
function scriptedS3(answers: Answer[]) {
  const calls: { key: string; ifNoneMatch: string | undefined }[] = [];
  let pendingStalls: (() => void)[] = [];
  const s3 = {
    send(command: { input: { Key: string; IfNoneMatch?: string } }, opts: { abortSignal: AbortSignal }) {
      calls.push({ key: command.input.Key, ifNoneMatch: command.input.IfNoneMatch });
      const a = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (a === 'stall')
        return new Promise((_resolve, reject) => {
          const fail = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          opts.abortSignal.addEventListener('abort', fail);
          pendingStalls.push(fail);
        });
      if ('status' in a)
        return Promise.reject(
          Object.assign(new Error(`status ${a.status}`), { $metadata: { httpStatusCode: a.status } }),
        );
      const bytes = Buffer.from(a.body);
      return Promise.resolve({
        ETag: a.etag,
        ContentType: 'text/html',
        Body: { transformToByteArray: async () => new Uint8Array(bytes) },
      });
    },
  };
  return {
    s3: s3 as unknown as S3Client,
    calls,
    releaseStalls: () => {
      pendingStalls.forEach((f) => f());
      pendingStalls = [];
    },
  };
}

const KEY = 'data/dse/2026-04-23/p1.html';
const MAX_AGE = 60_000;
const RETRY = 1000;
const flush = () => new Promise((r) => setImmediate(r));

function store(answers: Answer[], clock: { now: number }) {
  const s = scriptedS3(answers);
  const st = new SiteStore({
    s3: s.s3,
    bucket: 'b',
    log: silentLogger,
    now: () => clock.now,
    fetchTimeoutMs: 60_000,
    maxEntryAgeMs: MAX_AGE,
    negativeTtlMs: 10_000,
    retryAfterFailureMs: RETRY,
  });
  return { st, ...s };
}

describe('serve: site cache', () => {
  it('an entry is answered from memory until maxEntryAgeMs, then at once while one revalidation runs', async () => {
    const clock = { now: 0 };
    const { st, calls, releaseStalls } = store([{ body: 'v1', etag: '"1"' }, 'stall'], clock);
    assert.equal((await st.get(KEY))?.body.toString(), 'v1');
    clock.now = MAX_AGE - 1;
    await st.get(KEY);
    assert.equal(calls.length, 1, 'fresh one millisecond before its age limit: no S3 call');
    clock.now = MAX_AGE;
    const answers = await Promise.all(Array.from({ length: 50 }, () => st.get(KEY)));
    assert.ok(
      answers.every((o) => o?.body.toString() === 'v1'),
      'the stale copy, at once',
    );
    assert.equal(calls.length, 2, 'fifty requests of an aged entry start exactly one revalidation');
    assert.equal(calls[1]?.ifNoneMatch, '"1"', 'revalidated with If-None-Match');
    releaseStalls();
    await flush();
  });

  it('a failed revalidation keeps the copy and is retried only after retryAfterFailureMs', async () => {
    const clock = { now: 0 };
    const { st, calls } = store(
      [{ body: 'v1', etag: '"1"' }, { status: 500 }, { body: 'v2', etag: '"2"' }],
      clock,
    );
    await st.get(KEY);
    clock.now = MAX_AGE;
    await st.get(KEY); // starts the background revalidation, which fails
    await flush();
    assert.equal(calls.length, 2);
    clock.now = MAX_AGE + RETRY - 1;
    assert.equal((await st.get(KEY))?.body.toString(), 'v1');
    assert.equal(calls.length, 2, 'no new S3 call inside the retry window');
    clock.now = MAX_AGE + RETRY;
    assert.equal((await st.get(KEY))?.body.toString(), 'v1', 'still answered from memory');
    await flush();
    assert.equal(calls.length, 3, 'retried once the window passed');
    assert.equal((await st.get(KEY))?.body.toString(), 'v2', 'the revalidated copy replaces the old one');
  });

  it('after the pointer changed, a request waits for S3 (the new generation is never answered stale)', async () => {
    const clock = { now: 0 };
    const { st, calls } = store(
      [
        { body: 'v1', etag: '"1"' },
        { body: 'v2', etag: '"2"' },
      ],
      clock,
    );
    await st.get(KEY);
    st.newGeneration();
    assert.equal((await st.get(KEY))?.body.toString(), 'v2');
    assert.equal(calls.length, 2);
  });

  it('after the pointer changed and S3 fails, the copy is served and the failure remembered', async () => {
    const clock = { now: 0 };
    const { st, calls } = store([{ body: 'v1', etag: '"1"' }, { status: 503 }], clock);
    await st.get(KEY);
    st.newGeneration();
    assert.equal((await st.get(KEY))?.body.toString(), 'v1', 'the cached copy rather than an error');
    assert.equal((await st.get(KEY))?.body.toString(), 'v1');
    assert.equal(calls.length, 2, 'the next request within the retry window does not wait on S3 again');
  });

  it('a missing key is remembered for negativeTtlMs, then answered at once while it is checked again', async () => {
    const clock = { now: 0 };
    const { st, calls } = store([{ status: 404 }, { body: 'now here', etag: '"3"' }], clock);
    assert.equal(await st.get(KEY), null);
    clock.now = 9_999;
    assert.equal(await st.get(KEY), null);
    assert.equal(calls.length, 1, 'inside the negative TTL: no S3 call');
    clock.now = 10_000;
    assert.equal(await st.get(KEY), null, 'answered from memory');
    await flush();
    assert.equal(calls.length, 2);
    assert.equal((await st.get(KEY))?.body.toString(), 'now here');
  });

  it('an uncached key with S3 failing is an error (nothing to serve), not a stale answer', async () => {
    const clock = { now: 0 };
    const { st } = store([{ status: 500 }], clock);
    await assert.rejects(st.get(KEY), { name: 'StoreUnavailableError' });
  });
});
