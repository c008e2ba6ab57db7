// `serve` as the bucket changes under it: health states, a new publish, and S3 going away.
import assert from 'node:assert/strict';
import { S3Client } from '@aws-sdk/client-s3';
import { countingClient, IDENTITY, request, startServe, type Running } from './http.ts';
import { startPublishedBucket, type PublishedBucket } from './published.ts';

interface Health {
  status: string;
  reason?: string;
  dataDate: string | null;
  ageSeconds: number | null;
  color: string | null;
}

async function health(app: Running): Promise<{ status: number; body: Health }> {
  const res = await request(app.port, '/healthz');
  return { status: res.status, body: JSON.parse(res.body.toString()) as Health };
}

describe('serve: health states and bucket changes', () => {
  let bucket: PublishedBucket;
  const running: Running[] = [];

  async function serve(
    options: { now?: () => number; maxAgeSeconds?: number; pointerPollMs?: number; s3?: S3Client } = {},
  ): Promise<Running> {
    const app = await startServe({
      s3: options.s3 ?? countingClient(bucket.env, []),
      bucket: bucket.bucket,
      identity: IDENTITY,
      maxAgeSeconds: options.maxAgeSeconds ?? 36 * 3600,
      healthCacheMs: 0,
      pointerPollMs: options.pointerPollMs ?? 0,
      ...(options.now ? { now: options.now } : {}),
    });
    running.push(app);
    return app;
  }

  beforeEach(async () => {
    bucket = await startPublishedBucket();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((a) => a.close()));
    await bucket.close();
  });

  it('pointer missing (nothing published yet): 503 with the reason, pages 404', async () => {
    const app = await serve();
    const h = await health(app);
    assert.equal(h.status, 503);
    assert.deepEqual(
      [h.body.status, h.body.reason, h.body.color],
      ['unhealthy', 'data/latest.json is missing (nothing published yet)', 'blue'],
    );
    const page = await request(app.port, '/');
    assert.equal(page.status, 404);
    assert.match(page.body.toString(), /Please try again/, 'built-in page when the bucket has no error.html');
  });

  it('fresh: 200; stale (older than --max-age): 503 naming the age', async () => {
    const generatedAt = '2026-04-24T00:00:00.000Z';
    await bucket.publish({ generatedAt });
    let clock = Date.parse(generatedAt) + 3600_000;
    const app = await serve({ now: () => clock, maxAgeSeconds: 36 * 3600 });
    const fresh = await health(app);
    assert.equal(fresh.status, 200);
    assert.deepEqual(
      [fresh.body.status, fresh.body.dataDate, fresh.body.ageSeconds],
      ['ok', '2026-04-23', 3600],
    );
    clock = Date.parse(generatedAt) + 37 * 3600_000;
    const stale = await health(app);
    assert.equal(stale.status, 503);
    assert.equal(stale.body.reason, 'data is 133200 s old, older than --max-age 129600 s');
    assert.equal(stale.body.dataDate, '2026-04-23');
  });

  it('pointer naming a missing file: 503 naming it', async () => {
    const pointer = await bucket.publish();
    await bucket.remove(pointer.keys.csv);
    const app = await serve();
    const h = await health(app);
    assert.equal(h.status, 503);
    assert.equal(h.body.reason, `data/latest.json names missing objects: ${pointer.keys.csv}`);
  });

  it('pointer that is not valid JSON: 503', async () => {
    await bucket.put('data/latest.json', '{"date": ');
    const app = await serve();
    const h = await health(app);
    assert.deepEqual([h.status, h.body.reason], [503, 'data/latest.json is not valid JSON']);
  });

  it('caches the health answer briefly: ALB probes do not each reach S3', async () => {
    await bucket.publish();
    const calls: { command: string; key: string }[] = [];
    const app = await startServe({
      s3: countingClient(bucket.env, calls),
      bucket: bucket.bucket,
      identity: IDENTITY,
      maxAgeSeconds: 3600,
      healthCacheMs: 60_000,
    });
    running.push(app);
    for (let i = 0; i < 5; i++) assert.equal((await health(app)).status, 200);
    // One pointer read and one HeadObject per named key (json, csv, index), once.
    assert.deepEqual(calls.map((c) => c.command).sort(), [
      'GetObjectCommand',
      'HeadObjectCommand',
      'HeadObjectCommand',
      'HeadObjectCommand',
    ]);
  });

  it('a new publish is served once the pointer changes; the old ETag no longer matches', async () => {
    await bucket.publish({ color: 'blue', version: '1.0.0' });
    const app = await serve({ pointerPollMs: 0 });
    const first = await request(app.port, '/');
    assert.match(first.body.toString(), /1\.0\.0/);
    await bucket.publish({ page: 'gpw', color: 'green', version: '1.1.0' });
    const second = await request(app.port, '/', { headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(second.status, 200);
    assert.notEqual(second.headers.etag, first.headers.etag);
    assert.match(second.body.toString(), /Warsaw Stock Exchange/);
    assert.match(second.body.toString(), /green environment/);
    const h = await health(app);
    assert.equal(h.body.dataDate, '2021-01-04');
  });

  it('S3 unreachable: pages 503 with an error page, health 503 with the reason, and the process keeps serving', async () => {
    const deadEnv = { ...bucket.env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' };
    const app = await serve({ s3: countingClient(deadEnv, [], 1) });
    for (const path of ['/', '/data/latest.json', '/nope']) {
      const res = await request(app.port, path);
      assert.equal(res.status, path === '/nope' ? 404 : 503, path);
      assert.match(res.headers['content-type'] ?? '', /^text\/html/);
      assert.match(res.body.toString(), /try again/);
    }
    const h = await health(app);
    assert.equal(h.status, 503);
    assert.match(h.body.reason ?? '', /^cannot read data\/latest\.json: /);
    assert.ok(
      app.logs.some((l) => l.msg === 'bucket unavailable'),
      'logged as a warning',
    );
  });

  it('keeps serving cached pages when S3 goes away after they were cached', async () => {
    await bucket.publish();
    const app = await serve({ pointerPollMs: 0 });
    const before = await request(app.port, '/');
    await bucket.stopS3();
    const after = await request(app.port, '/');
    assert.equal(after.status, 200);
    assert.deepEqual(after.body, before.body);
    assert.equal((await health(app)).status, 503);
  });
});
