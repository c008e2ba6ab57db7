// A stalled, failing or interrupted S3 under a publish: the embedded S3 behind the fault proxy.
// Each test states the guarantee: nothing hangs past its stated bound, nothing free-text reaches
// stderr, and a reader polling the bucket throughout only ever sees one complete publish.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, datesKey, type LatestPointer } from '../../../contract/index.ts';
import { PublishAbandoned, PublishError, StaleFetchError } from '../../../ingest/publish/errors.ts';
import type { PublishInput } from '../../../ingest/publish/files.ts';
import { publishDay as publish } from '../../helpers/publish.ts';
import { silentLogger } from '../../../lib/log.ts';
import { HistoryReadError } from '../../../ingest/history/read.ts';
import { bucketLinks, mixedPublishes, pollUntilStopped } from '../../helpers/reader.ts';
import { listKeys, snapshot } from '../../helpers/s3.ts';
import { useProxiedS3 } from '../../helpers/proxiedS3.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

function input(bucket: string, raw: Buffer, date: string, fetchedAt: string): PublishInput {
  return {
    bucket,
    source: { id: 'dse', title: 'DSE', homepage: 'https://www.dsebd.org/', locale: 'en-BD', currency: 'BDT' },
    date,
    quotes: [
      { source: 'dse', date, symbol: 'ACI', close: 206.7 },
      { source: 'dse', date, symbol: 'BXP', close: 20.1 },
    ],
    rejectedCount: 0,
    raw: { body: raw, contentType: 'text/html; charset=utf-8', ext: 'html' },
    sourceUrl: 'http://127.0.0.1/dse',
    fetchedAt,
    generatedAt: fetchedAt,
    version: '1.0.0',
  };
}

const at =
  (fetchedAt: string, afterMs = 1000): (() => number) =>
  () =>
    Date.parse(fetchedAt) + afterMs;

/** Runs `fn` and returns what was written to stderr meanwhile (the JSON-lines log contract). */
async function stderrDuring<T>(
  fn: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; text: string }> {
  const original = process.stderr.write.bind(process.stderr);
  const originalWarn = console.warn;
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  console.warn = (...args: unknown[]) => {
    text += `${args.join(' ')}\n`;
  };
  try {
    const [result] = await Promise.allSettled([fn()]);
    return { result: result as PromiseSettledResult<T>, text };
  } finally {
    process.stderr.write = original;
    console.warn = originalWarn;
  }
}

function rejection(settled: PromiseSettledResult<unknown>): unknown {
  assert.equal(settled.status, 'rejected', 'expected the publish to fail');
  return (settled as PromiseRejectedResult).reason;
}

describe('publish under a stalled, failing or interrupted S3', function () {
  this.timeout(30_000);
  const t = useProxiedS3('faults-test', { maxAttempts: 2 });
  let raw: Buffer;

  beforeEach(async () => {
    raw = await readFile(DSE);
  });

  async function firstPublish(): Promise<Map<string, Buffer>> {
    const fetchedAt = '2026-04-24T02:00:00.000Z';
    await publish(t.s3.client, input(t.s3.bucket, raw, '2026-04-23', fetchedAt), silentLogger, {
      now: at(fetchedAt),
    });
    return snapshot(t.s3.client, t.s3.bucket);
  }

  it('a stalled S3 fails the publish at the request timeout, silently on stderr, pointer unchanged', async () => {
    const before = await firstPublish();
    const client = await t.viaProxy((req) => (req.method === 'PUT' ? 'stall' : 'pass'), {
      requestTimeoutMs: 300,
      maxAttempts: 2,
    });
    const fetchedAt = '2026-04-25T02:00:00.000Z';
    const started = Date.now();
    const { result, text } = await stderrDuring(() =>
      publish(client, input(t.s3.bucket, raw, '2026-04-24', fetchedAt), silentLogger, { now: at(fetchedAt) }),
    );
    const elapsed = Date.now() - started;
    const err = rejection(result);
    assert.ok(err instanceof PublishError, `expected PublishError, got ${String(err)}`);
    assert.match(
      err.message,
      /TimeoutError/,
      'the request timeout must abort (throwOnRequestTimeout), not warn',
    );
    assert.ok(
      elapsed < 5000,
      `2 attempts × 300 ms + backoff should fail in well under 5 s, took ${elapsed} ms`,
    );
    assert.equal(text, '', `nothing may reach stderr outside the JSON log; got: ${text.slice(0, 300)}`);
    const after = await snapshot(t.s3.client, t.s3.bucket);
    assert.ok(after.get(LAYOUT.latestKey)?.equals(before.get(LAYOUT.latestKey) ?? Buffer.alloc(0)));
  });

  it('a stalled history read fails the publish with one typed line, nothing written, pointer unchanged', async () => {
    const before = await firstPublish();
    const client = await t.viaProxy(
      (req) => (req.method === 'GET' && req.path.endsWith(datesKey('dse')) ? 'stall' : 'pass'),
      { requestTimeoutMs: 300, maxAttempts: 2 },
    );
    const fetchedAt = '2026-04-25T02:00:00.000Z';
    const started = Date.now();
    const { result, text } = await stderrDuring(() =>
      publish(client, input(t.s3.bucket, raw, '2026-04-24', fetchedAt), silentLogger, { now: at(fetchedAt) }),
    );
    const elapsed = Date.now() - started;
    const err = rejection(result);
    assert.ok(
      err instanceof HistoryReadError,
      `an S3 failure reading the dates index must be a HistoryReadError (one line with its fix), not "unexpected error"; got ${String(err)}`,
    );
    assert.match(err.oneLine(), /s3:\/\/faults-test\/data\/dse\/dates.*TimeoutError.*re-run/);
    assert.ok(
      elapsed < 5000,
      `2 attempts × 300 ms + backoff should fail in well under 5 s, took ${elapsed} ms`,
    );
    assert.equal(text, '', `nothing may reach stderr outside the JSON log; got: ${text.slice(0, 300)}`);
    assert.deepEqual(
      await snapshot(t.s3.client, t.s3.bucket),
      before,
      'a failed history read writes nothing',
    );
  });

  it('a body that stalls after its headers is cut by the socket timeout (previous pointer read)', async () => {
    await firstPublish();
    const client = await t.viaProxy(
      (req) => (req.method === 'GET' && req.path.endsWith(LAYOUT.latestKey) ? 'stall-body' : 'pass'),
      { requestTimeoutMs: 400, maxAttempts: 1 },
    );
    const fetchedAt = '2026-04-25T02:00:00.000Z';
    const started = Date.now();
    const result = await publish(client, input(t.s3.bucket, raw, '2026-04-24', fetchedAt), silentLogger, {
      now: at(fetchedAt),
    });
    assert.ok(Date.now() - started < 5000, 'the stalled GET must not hold the publish');
    assert.equal(
      result.pointer.date,
      '2026-04-24',
      'an unreadable previous pointer costs the assets, not the publish',
    );
  });

  it('the publish deadline bounds all retries together; the pointer stays', async () => {
    const before = await firstPublish();
    const client = await t.viaProxy(
      (req) => (req.method === 'PUT' && req.path.endsWith('.csv') ? 'stall' : 'pass'),
      {
        requestTimeoutMs: 10_000,
        maxAttempts: 5,
      },
    );
    const fetchedAt = '2026-04-25T02:00:00.000Z';
    const started = Date.now();
    const err = await publish(client, input(t.s3.bucket, raw, '2026-04-24', fetchedAt), silentLogger, {
      now: at(fetchedAt),
      deadlineMs: 500,
    }).then(
      () => assert.fail('expected the deadline to stop the publish'),
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    assert.ok(err instanceof PublishError);
    assert.ok(
      err.cause instanceof PublishAbandoned && err.cause.why === 'deadline',
      `cause: ${String(err.cause)}`,
    );
    assert.ok(elapsed < 3000, `deadline 500 ms, took ${elapsed} ms (5 × 10 s of retries would be 50 s)`);
    const after = await snapshot(t.s3.client, t.s3.bucket);
    assert.ok(after.get(LAYOUT.latestKey)?.equals(before.get(LAYOUT.latestKey) ?? Buffer.alloc(0)));
  });

  it('a stop signal aborts the requests in flight at once', async () => {
    await firstPublish();
    const client = await t.viaProxy(() => 'stall', { requestTimeoutMs: 10_000 });
    const stop = new AbortController();
    setTimeout(() => stop.abort(new PublishAbandoned('signal', 'SIGTERM')), 200);
    const fetchedAt = '2026-04-25T02:00:00.000Z';
    const started = Date.now();
    const err = await publish(client, input(t.s3.bucket, raw, '2026-04-24', fetchedAt), silentLogger, {
      now: at(fetchedAt),
      signal: stop.signal,
    }).then(
      () => assert.fail('expected the signal to stop the publish'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PublishError);
    assert.ok(err.cause instanceof PublishAbandoned && err.cause.why === 'signal');
    assert.ok(Date.now() - started < 2000, 'aborted within a moment of the signal');
  });

  it('a page fetched longer ago than the limit is not published at all', async () => {
    const fetchedAt = '2026-04-25T02:00:00.000Z';
    const err = await publish(t.s3.client, input(t.s3.bucket, raw, '2026-04-24', fetchedAt), silentLogger, {
      now: at(fetchedAt, 11 * 60_000),
      maxFetchAgeMs: 10 * 60_000,
    }).then(
      () => assert.fail('expected StaleFetchError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StaleFetchError);
    assert.match(err.oneLine(), /660 s old, older than the 600 s publish limit; nothing was published/);
    assert.deepEqual(await listKeys(t.s3.client, t.s3.bucket), []);
  });

  it('a fault at any write of a publish: a reader polling throughout sees one complete publish', async () => {
    await firstPublish();
    // Count the PUTs of one publish on a clean copy of the same state.
    const probe = await t.viaProxy(() => 'pass');
    await publish(probe, input(t.s3.bucket, raw, '2026-04-24', '2026-04-25T01:00:00.000Z'), silentLogger, {
      now: at('2026-04-25T01:00:00.000Z'),
    });
    const writes = t.proxy?.requests.filter((r) => r.method === 'PUT').length ?? 0;
    assert.ok(writes >= 6, `a publish writes raw, json, csv, page and 3 entry points; counted ${writes}`);
    for (let k = 0; k < writes; k++) {
      let puts = 0;
      let target: string | undefined;
      const client = await t.viaProxy((req) => {
        if (req.method !== 'PUT') return 'pass';
        if (puts++ === k) target = req.path;
        return req.path === target ? 'error-500' : 'pass';
      });
      const pointerBefore = await readText(t.s3.client, t.s3.bucket, LAYOUT.latestKey);
      const reader = pollReader(t.s3.client, t.s3.bucket);
      const fetchedAt = `2026-04-25T02:00:${String(k).padStart(2, '0')}.000Z`;
      // New closes each time: a date republished with the same data reuses its data files (fewer writes).
      const day = input(t.s3.bucket, raw, '2026-04-24', fetchedAt);
      day.quotes.forEach((q) => (q.close = (q.close ?? 0) + k + 1));
      const outcome = await Promise.allSettled([publish(client, day, silentLogger, { now: at(fetchedAt) })]);
      const seen = await reader.stop();
      assert.deepEqual(
        seen.problems,
        [],
        `fault at PUT #${k} (${target}): the reader saw an incomplete publish`,
      );
      assert.ok(seen.reads > 0, 'the reader must have polled during the publish');
      assert.equal(outcome[0]?.status, 'rejected', `fault at PUT #${k} (${target}) must fail the publish`);
      // The last step: entry points, the registry, and the pages rewritten in place with them.
      const entryPoint =
        /\/(?:index\.html|error\.html|data\/latest\.json|data\/sources\.json|data\/dse\/(?:years\/\d{4}|symbols)\.html)$/.test(
          target ?? '',
        );
      if (!entryPoint) {
        const pointer = await readText(t.s3.client, t.s3.bucket, LAYOUT.latestKey);
        assert.equal(pointer, pointerBefore, `fault at ${target}: the pointer must not move before its step`);
      }
    }
  });
});

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  return (
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ??
    ''
  );
}

/** Reads like a user, over and over: the pointer and what it names, index.html and what it links. */
function pollReader(
  s3: S3Client,
  bucket: string,
): { stop(): Promise<{ reads: number; problems: string[] }> } {
  const problems: string[] = [];
  let reads = 0;
  const exists = async (key: string): Promise<boolean> =>
    s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      () => false,
    );
  const text = (key: string): Promise<string> => readText(s3, bucket, key);
  const once = async (): Promise<void> => {
    // s3rver rewrites a file in place, so a read racing a PUT of the same key can be torn (empty);
    // S3 replaces an object atomically. A torn pointer is read again, not counted.
    let pointer: LatestPointer;
    try {
      pointer = JSON.parse(await text(LAYOUT.latestKey)) as LatestPointer;
    } catch {
      return;
    }
    const named = [pointer.keys.json, pointer.keys.csv, pointer.keys.page, ...pointer.keys.assets];
    const index = await text(LAYOUT.indexKey);
    if (!index.trimEnd().endsWith('</html>')) return; // torn read of index.html (see above)
    const linked = bucketLinks(index);
    problems.push(...mixedPublishes(linked).map((p) => `index.html: ${p}`));
    for (const key of [...named, ...linked]) {
      if (!(await exists(key))) problems.push(`${key} is named but missing`);
    }
    reads++;
  };
  return pollUntilStopped(once, () => ({ reads, problems }));
}
