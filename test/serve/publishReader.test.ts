// What users see must only change when a publish completes: a reader polls `serve` (/, every link
// on it, /healthz) while publishes run with a fault injected at each of their writes in turn.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { embeddedS3Client } from '../../local/embeddedClient.ts';
import { publishDay as publish } from '../helpers/publish.ts';
import type { PublishInput } from '../../ingest/publish/files.ts';
import { getSource, parsePage } from '../../ingest/source/index.ts';
import { silentLogger } from '../../lib/log.ts';
import { bucketLinks, mixedPublishes, pollUntilStopped } from '../helpers/reader.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.ts';
import { countingClient, IDENTITY, request, startServe, type Running } from './http.ts';
import { PAGES, startPublishedBucket, type PublishedBucket } from './published.ts';

/** Reads like a browser: /, then every data and asset link on it; records what was inconsistent. */
function pollReader(port: number): {
  stop(): Promise<{ reads: number; problems: string[] }>;
} {
  let reads = 0;
  const problems: string[] = [];
  const once = async (): Promise<void> => {
    const page = await request(port, '/');
    if (page.status !== 200) problems.push(`/ answered ${page.status}`);
    const html = page.body.toString();
    const links = bucketLinks(html);
    problems.push(...mixedPublishes(links).map((p) => `/: ${p}`));
    for (const link of links) {
      const res = await request(port, `/${link}`);
      if (res.status !== 200) problems.push(`/${link} answered ${res.status} while / linked it`);
    }
    const health = await request(port, '/healthz');
    if (health.status !== 200) problems.push(`/healthz answered ${health.status}: ${health.body.toString()}`);
    reads++;
  };
  return pollUntilStopped(once, () => ({ reads, problems }));
}

describe('serve while publishes fail at each write: a reader sees one complete publish', function () {
  this.timeout(60_000);
  let bucket: PublishedBucket;
  let app: Running;
  let proxy: FaultProxy | undefined;
  const clients: S3Client[] = [];

  before(async () => {
    bucket = await startPublishedBucket();
    await bucket.publish({ generatedAt: new Date().toISOString() });
    app = await startServe({
      s3: countingClient(bucket.env, []),
      bucket: bucket.bucket,
      identity: IDENTITY,
      maxAgeSeconds: 3600,
      checkIntervalMs: 20,
    });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await proxy?.close();
    await app?.close();
    await bucket?.close();
  });

  /** The day with new closes each time: a date published with the same data again is only a heartbeat. */
  async function input(k: number): Promise<PublishInput> {
    const body = await readFile(PAGES.dse);
    const parsed = parsePage({ body });
    parsed.quotes.forEach((q) => (q.close = (q.close ?? 0) + k + 1));
    const now = new Date().toISOString();
    return {
      bucket: bucket.bucket,
      source: getSource('dse'),
      date: '2026-04-23',
      quotes: parsed.quotes,
      rejectedCount: 0,
      raw: { body, ext: 'html' },
      sourceUrl: 'https://dsebd.org/',
      fetchedAt: now,
      generatedAt: now,
      version: '1.0.0',
    };
  }

  it('for every write k: the publish fails, and / with its links and /healthz stay one complete publish', async () => {
    const writes = 5; // raw, json, csv, page, then index.html (copy) and the pointer: the first 6 PUTs
    for (let k = 0; k <= writes; k++) {
      let puts = 0;
      let target: string | undefined;
      await proxy?.close();
      proxy = await startFaultProxy(bucket.embedded.endpoint, (req) => {
        if (req.method !== 'PUT') return 'pass';
        if (puts++ === k) target = req.path;
        return req.path === target ? 'error-500' : 'pass';
      });
      const client = embeddedS3Client(bucket.embedded, { endpoint: proxy.endpoint, maxAttempts: 2 });
      clients.push(client);
      const reader = pollReader(app.port);
      const [outcome] = await Promise.allSettled([publish(client, await input(k), silentLogger)]);
      await new Promise((r) => setTimeout(r, 100)); // let the watch see whatever the pointer now is
      const seen = await reader.stop();
      assert.equal(outcome?.status, 'rejected', `a fault at PUT #${k} (${target}) must fail the publish`);
      assert.deepEqual(seen.problems, [], `fault at PUT #${k} (${target})`);
      assert.ok(seen.reads > 0, 'the reader polled during the publish');
    }
  });
});
