// `serve` as the bucket changes under it: readiness and liveness states, a new publish, S3 going
// away or stalling, a missing bucket. The probes answer from the background check's memory.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { silentLogger } from '../../lib/log.ts';
import { createServer } from '../../serve/server.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/faultProxy.ts';
import { countingClient, IDENTITY, request, startServe, type Running } from './http.ts';
import { startPublishedBucket, type PublishedBucket } from './published.ts';

interface Health {
  status: string;
  reason?: string;
  dataDate: string | null;
  ageSeconds: number | null;
  color: string | null;
  version: string;
  source: string | null;
}

async function probe(
  app: Running,
  path = '/healthz',
): Promise<{ status: number; body: Health; text: string }> {
  const res = await request(app.port, path);
  return { status: res.status, body: JSON.parse(res.body.toString()) as Health, text: res.body.toString() };
}

describe('serve: readiness, liveness and bucket changes', function () {
  this.timeout(30_000);
  let bucket: PublishedBucket;
  let proxy: FaultProxy | undefined;
  const running: Running[] = [];

  async function serve(
    options: {
      now?: () => number;
      maxAgeSeconds?: number;
      s3?: S3Client;
      bucketName?: string;
      checkIntervalMs?: number;
      checkTimeoutMs?: number;
      fetchTimeoutMs?: number;
      livenessToleranceMs?: number;
    } = {},
  ): Promise<Running> {
    const app = await startServe({
      s3: options.s3 ?? countingClient(bucket.env, []),
      bucket: options.bucketName ?? bucket.bucket,
      identity: IDENTITY,
      maxAgeSeconds: options.maxAgeSeconds ?? 36 * 3600,
      checkIntervalMs: options.checkIntervalMs ?? 60_000,
      checkTimeoutMs: options.checkTimeoutMs ?? 3000,
      ...(options.fetchTimeoutMs ? { fetchTimeoutMs: options.fetchTimeoutMs } : {}),
      ...(options.livenessToleranceMs === undefined
        ? {}
        : { livenessToleranceMs: options.livenessToleranceMs }),
      ...(options.now ? { now: options.now } : {}),
    });
    running.push(app);
    return app;
  }

  async function viaProxy(rule: FaultRule): Promise<S3Client> {
    proxy = await startFaultProxy(bucket.embedded.endpoint, rule);
    return countingClient({ ...bucket.env, AWS_ENDPOINT_URL_S3: proxy.endpoint }, [], 1);
  }

  beforeEach(async () => {
    bucket = await startPublishedBucket();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((a) => a.close()));
    await proxy?.close();
    proxy = undefined;
    await bucket.close();
  });

  it('nothing published yet: not ready, but alive; pages 404', async () => {
    const app = await serve();
    const h = await probe(app);
    assert.deepEqual(
      [h.status, h.body.status, h.body.reason, h.body.color],
      [503, 'unavailable', 'nothing published yet', 'blue'],
    );
    assert.equal(
      (await probe(app, '/livez')).status,
      200,
      'an empty bucket is alive: ECS must not replace the task',
    );
    const page = await request(app.port, '/');
    assert.equal(page.status, 404);
    assert.match(page.body.toString(), /Please try again/, 'built-in page when the bucket has no error.html');
  });

  it('fresh: 200 with source, date and age; stale (older than --max-age): 503, still alive', async () => {
    const generatedAt = '2026-04-24T00:00:00.000Z';
    await bucket.publish({ generatedAt });
    let clock = Date.parse(generatedAt) + 3600_000;
    const app = await serve({ now: () => clock, maxAgeSeconds: 36 * 3600 });
    const fresh = await probe(app);
    assert.equal(fresh.status, 200);
    assert.deepEqual(
      [fresh.body.status, fresh.body.source, fresh.body.dataDate, fresh.body.ageSeconds, fresh.body.version],
      ['ok', 'dse', '2026-04-23', 3600, IDENTITY.version],
    );
    clock = Date.parse(generatedAt) + 37 * 3600_000;
    await app.watch.check();
    const stale = await probe(app);
    assert.deepEqual(
      [stale.status, stale.body.reason, stale.body.ageSeconds],
      [503, 'data older than max age', 133200],
    );
    assert.equal((await probe(app, '/livez')).status, 200, 'stale data is alive');
  });

  it('pointer naming a missing file: 503; the name goes to the log, not the public body', async () => {
    const pointer = await bucket.publish();
    await bucket.remove(pointer.keys.csv);
    const app = await serve();
    const h = await probe(app);
    assert.deepEqual([h.status, h.body.reason], [503, 'pointer names missing objects']);
    assert.ok(!h.text.includes(pointer.keys.csv), 'keys stay out of /healthz');
    assert.ok(app.logs.some((l) => l.msg === 'pointer names missing objects'));
  });

  it('pointer that is not valid JSON: 503 "pointer unreadable"', async () => {
    await bucket.put('data/latest.json', '{"date": ');
    const app = await serve();
    const h = await probe(app);
    assert.deepEqual([h.status, h.body.reason], [503, 'pointer unreadable']);
  });

  it('probes never reach S3: a hundred probes cost no request', async () => {
    await bucket.publish();
    const calls: { command: string; key: string }[] = [];
    const app = await serve({ s3: countingClient(bucket.env, calls) });
    const afterStart = calls.length;
    for (let i = 0; i < 100; i++) assert.equal((await probe(app, i % 2 ? '/livez' : '/healthz')).status, 200);
    assert.equal(calls.length, afterStart);
  });

  it('a new publish is served at / once the check sees the pointer; the old ETag no longer matches', async () => {
    await bucket.publish({ version: '1.0.0' });
    const app = await serve();
    const first = await request(app.port, '/');
    assert.match(first.body.toString(), /1\.0\.0/);
    assert.equal(
      first.headers['cache-control'],
      'public, max-age=60',
      '/ is an entry point: short cache life',
    );
    await bucket.publish({ page: 'gpw', version: '1.1.0' });
    const before = await request(app.port, '/');
    assert.deepEqual(before.body, first.body, '/ follows the pointer the check saw, not index.html');
    await app.watch.check();
    const second = await request(app.port, '/', { headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(second.status, 200);
    assert.notEqual(second.headers.etag, first.headers.etag);
    // A second source in the bucket: / is the landing page listing both, each under its own path.
    assert.match(second.body.toString(), /<h1>Exchanges<\/h1>/);
    assert.match(second.body.toString(), /Warsaw Stock Exchange[\s\S]*href="\/gpw-archive\/"/);
    assert.match((await request(app.port, '/gpw-archive/')).body.toString(), /Warsaw Stock Exchange/);
    assert.match(
      (await request(app.port, '/dse/')).body.toString(),
      /1\.0\.0/,
      'the first source keeps its page',
    );
    assert.equal((await request(app.port, '/nyse/')).status, 404);
    assert.equal((await probe(app)).body.dataDate, '2021-01-04');
  });

  it('S3 unreachable: pages 503, readiness 503 with no internal text, alive within the tolerance', async () => {
    const deadEnv = { ...bucket.env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' };
    const app = await serve({ s3: countingClient(deadEnv, [], 1) });
    for (const path of ['/', '/data/latest.json', '/nope']) {
      const res = await request(app.port, path);
      assert.equal(res.status, path === '/nope' ? 404 : 503, path);
      assert.match(res.headers['content-type'] ?? '', /^text\/html/);
      assert.match(res.body.toString(), /try again/);
    }
    const h = await probe(app);
    assert.deepEqual([h.status, h.body.reason], [503, 'bucket unreachable']);
    assert.ok(!/127\.0\.0\.1|ECONNREFUSED|Error|at /.test(h.text), `internal text in /healthz: ${h.text}`);
    assert.ok(
      app.logs.some((l) => l.msg === 'bucket check failed'),
      'details go to the log',
    );
    assert.equal(
      (await probe(app, '/livez')).status,
      200,
      'one failed check is within the liveness tolerance',
    );
  });

  it('a stalled S3: probes and cached pages answer at once; readiness turns 503 within interval + timeout', async () => {
    await bucket.publish();
    let stall = false;
    const s3 = await viaProxy(() => (stall ? 'stall' : 'pass'));
    const app = await serve({ s3, checkIntervalMs: 200, checkTimeoutMs: 300, fetchTimeoutMs: 300 });
    const page = await request(app.port, '/');
    assert.equal(page.status, 200);
    stall = true;
    const started = Date.now();
    for (;;) {
      const t0 = Date.now();
      const h = await probe(app);
      const cached = await request(app.port, '/');
      assert.ok(
        Date.now() - t0 < 200,
        `a probe and a cached page took ${Date.now() - t0} ms with S3 stalled`,
      );
      assert.equal(cached.status, 200, 'cached pages keep being served');
      if (h.status === 503) {
        assert.equal(h.body.reason, 'bucket unreachable');
        break;
      }
      assert.ok(Date.now() - started < 200 + 300 + 1000, 'readiness must turn 503 within interval + timeout');
      await new Promise((r) => setTimeout(r, 25));
    }
    const t0 = Date.now();
    const uncached = await request(
      app.port,
      `/${(await bucket.publish()).keys.csv}`.replace('.csv', '.json'),
    );
    assert.equal(uncached.status, 503, 'an uncached object with S3 stalled is a 503');
    assert.ok(
      Date.now() - t0 < 2000,
      `an uncached object waited ${Date.now() - t0} ms (fetch timeout 300 ms)`,
    );
  });

  it('a stalled S3 after a cached page aged out: 50 requests answer at once, one background revalidation', async () => {
    const page = await bucket.publish();
    let stall = false;
    const s3 = await viaProxy(() => (stall ? 'stall' : 'pass'));
    let clock = Date.now();
    // A long fetch timeout, so "answered at once" (under half of it) holds on a busy machine too.
    const app = await serve({ s3, now: () => clock, fetchTimeoutMs: 1500 });
    const fresh = await request(app.port, '/');
    assert.equal(fresh.status, 200);
    stall = true;
    clock += 61_000; // past the cache's 60 s safety-net age: the entry must be revalidated
    const gets = () => (proxy?.requests ?? []).filter((r) => r.path.endsWith(page.keys.page)).length;
    const before = gets();
    const fifty = async (when: string) => {
      for (let i = 0; i < 50; i++) {
        const t0 = Date.now();
        const r = await request(app.port, '/');
        const ms = Date.now() - t0;
        assert.ok(
          ms < 750,
          `${when}: request ${i + 1} of a cached page took ${ms} ms (fetch timeout 1500 ms)`,
        );
        assert.equal(r.status, 200, 'the cached page keeps being served');
        assert.deepEqual(r.body, fresh.body, 'the cached copy, unchanged');
      }
    };
    await fifty('S3 stalled');
    assert.equal(gets() - before, 1, 'one background revalidation, not one per request');
    await new Promise((r) => setTimeout(r, 1600)); // the revalidation times out and fails
    await fifty('after a failed revalidation');
    assert.equal(gets() - before, 1, 'a failed revalidation is not retried at once by every request');
  });

  it('a missing bucket (NoSuchBucket): readiness says so at once, liveness after its tolerance', async () => {
    const app = await serve({ bucketName: 'no-such-bucket' });
    const ready = await probe(app, '/healthz');
    assert.deepEqual([ready.status, ready.body.reason], [503, 'bucket does not exist (NoSuchBucket)']);
    assert.equal((await probe(app, '/livez')).status, 200, 'within the 60 s tolerance');
    const strict = await serve({ bucketName: 'no-such-bucket', livenessToleranceMs: 0 });
    await new Promise((r) => setTimeout(r, 5));
    const live = await probe(strict, '/livez');
    assert.deepEqual([live.status, live.body.reason], [503, 'bucket does not exist (NoSuchBucket)']);
    assert.ok(app.logs.some((l) => l.msg === 'bucket does not exist'));
  });

  it('repeated 404s under data/ and assets/ cost one S3 GET per key, not one per request', async () => {
    await bucket.publish();
    const calls: { command: string; key: string }[] = [];
    const app = await serve({ s3: countingClient(bucket.env, calls) });
    const missing = 'data/dse/2026-04-23/2026-04-24T00-00-00.000Z-deadbeef.json';
    for (let i = 0; i < 20; i++) {
      assert.equal((await request(app.port, `/${missing}`)).status, 404);
      assert.equal((await request(app.port, '/assets/manifest.json')).status, 404);
      assert.equal((await request(app.port, `/data/random-${i}.json`)).status, 404);
    }
    const gets = calls
      .filter((c) => c.command === 'GetObjectCommand' && c.key !== 'error.html')
      .map((c) => c.key);
    assert.deepEqual(
      gets.filter((k) => k !== 'data/latest.json' && k !== 'data/sources.json'),
      [missing],
      'one GET for the well-formed key, none for the others',
    );
  });

  it('a pointer written by the previous version (no publish page) is ready and / serves index.html', async () => {
    const pointer = await bucket.publish();
    const older = {
      ...pointer,
      keys: { raw: pointer.keys.raw, json: pointer.keys.json, csv: pointer.keys.csv, index: 'index.html' },
    };
    await bucket.put('data/latest.json', JSON.stringify(older));
    const app = await serve();
    assert.equal(
      (await probe(app)).status,
      200,
      'deploying serve before the next ingest must not turn it unready',
    );
    const page = await request(app.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.body.toString(), /Dhaka Stock Exchange/);
  });

  it('a server started without awaiting its first check answers its first probe from that check', async () => {
    await bucket.publish();
    const server = createServer({
      s3: countingClient(bucket.env, []),
      bucket: bucket.bucket,
      log: silentLogger,
      identity: IDENTITY,
      maxAgeSeconds: 3600,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await request((server.address() as AddressInfo).port, '/healthz');
      assert.equal(
        res.status,
        200,
        `a fresh in-process server must not report "starting": ${res.body.toString()}`,
      );
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });

  it('keeps serving cached pages when S3 goes away after they were cached', async () => {
    await bucket.publish();
    const app = await serve();
    const before = await request(app.port, '/');
    await bucket.stopS3();
    const after = await request(app.port, '/');
    assert.equal(after.status, 200);
    assert.deepEqual(after.body, before.body);
    await app.watch.check();
    assert.equal((await probe(app)).status, 503);
  });
});
