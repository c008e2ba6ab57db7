// ingestRatio (issue 2 §6): end-to-end ingest of the real DSE page — fetched from a loopback
// server, parsed, gated and published into the embedded S3 over HTTP — divided by the parse time
// of the same bytes in the same process. Medians of several runs after warm-up. Every run publishes
// into the same bucket, so after the first the stylesheet, script and error page are already there
// and skipped: the steady state of a daily ingest, whose site files change only with the app version.
//
// The same page again is the daily run on a day the exchange publishes nothing new (weekends, a
// re-run): it writes its raw copy, the pointer and the registry (a heartbeat), nothing else.
// ingestNewDayFloorRatio is the other daily case, a page of a new trading day each run (the page's
// date heading moved on by a day): data files, the page, the window, the year's calendar, the chart
// page, the registry — against the in-memory S3, informational (no goal).
//
// Two figures explain the ratio: ingestFloorRatio is the same ingest against an in-memory S3
// (memoryS3.ts: the SDK signs and parses, nothing goes over a socket), i.e. this process's CPU
// alone; s3PutRoundTripMs is one small PutObject to the embedded S3, the least each of the publish's
// sequential steps (site objects → dates index → entry points) adds on top; s3PutSdkMs is the same
// PutObject against the in-memory S3, the SDK's own CPU per request.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../lib/log.ts';
import { createHttpClient } from '../ingest/fetch/client.ts';
import { embeddedS3Client } from '../local/embeddedClient.ts';
import { startEmbeddedS3 } from '../local/embeddedS3.ts';
import { runIngest } from '../ingest/pipeline.ts';
import { parsePage } from '../ingest/source/index.ts';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { memoryS3Client } from './memoryS3.ts';
import { round } from './stats.ts';

const PAGE = fileURLToPath(
  new URL(
    '../test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html',
    import.meta.url,
  ),
);
const CONTENT_TYPE = 'text/html; charset=utf-8';
const WARMUP = 3;
const RUNS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function timed(fn: () => unknown): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

async function startSource(body: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/latest_share_price_scroll_l.php`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Measured {
  ingest: number;
  parse: number;
  /** Keys the last ingest wrote: both S3s must carry out the same publish. */
  written: string[];
}

/** Medians of ingests and parses of the same bytes, interleaved so host load affects both alike. */
async function measure(s3: S3Client, bucket: string, url: string, body: Buffer): Promise<Measured> {
  const http = createHttpClient({ version: 'bench' });
  const deps = { http, s3, log: silentLogger, now: () => new Date() };
  const ingestMs: number[] = [];
  const parseMs: number[] = [];
  let written: string[] = [];
  const ingest = async (): Promise<void> => {
    const summary = await runIngest(deps, { bucket, source: 'dse', url, version: 'bench' });
    written = summary.keys.written;
  };
  for (let round = 0; round < 2; round++) {
    parseMs.push(...(await timed(() => parsePage({ body, contentType: CONTENT_TYPE }, { source: 'dse' }))));
    ingestMs.push(...(await timed(ingest)));
  }
  return { ingest: median(ingestMs), parse: median(parseMs), written };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The DSE page with its date heading moved to `days` after 2025-01-01: a new trading day's page. */
function dayPage(body: Buffer, days: number): Buffer {
  const d = new Date(Date.UTC(2025, 0, 1) + days * 86_400_000);
  const heading = `On ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at 2:30 PM`;
  const text = body.toString('latin1');
  if (!text.includes('On Apr 23, 2026 at 2:30 PM'))
    throw new Error('bench ingest: the DSE date heading moved');
  return Buffer.from(text.replace('On Apr 23, 2026 at 2:30 PM', heading), 'latin1');
}

/** Medians of new-day ingests (each its own date) and of their parses, in the in-memory S3. */
async function newDays(body: Buffer): Promise<{ ingest: number; parse: number }> {
  const s3 = memoryS3Client();
  const http = createHttpClient({ version: 'bench' });
  const deps = { http, s3, log: silentLogger, now: () => new Date('2026-06-01T00:00:00Z') };
  const ingestMs: number[] = [];
  const parseMs: number[] = [];
  try {
    for (let day = 0; day < WARMUP + RUNS * 2; day++) {
      const page = dayPage(body, day);
      const saved = [{ name: 'dse.html', read: async () => page }];
      const t0 = performance.now();
      await runIngest(deps, { bucket: 'bench-ingest', source: 'dse', version: 'bench', saved });
      const t1 = performance.now();
      parsePage({ body: page, contentType: CONTENT_TYPE }, { source: 'dse' });
      if (day >= WARMUP) {
        ingestMs.push(t1 - t0);
        parseMs.push(performance.now() - t1);
      }
    }
  } finally {
    s3.destroy();
  }
  return { ingest: median(ingestMs), parse: median(parseMs) };
}

/** One small PutObject after another: the round trip a sequential publish step cannot hide. */
async function putRoundTrip(s3: S3Client, bucket: string): Promise<number> {
  let n = 0;
  const put = () =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: `bench/rtt-${n++}.json`, Body: '{}' }));
  return median(await timed(put));
}

/** The floor is only a floor if the in-memory S3 made the ingest write what the embedded one did. */
function assertSamePublish(real: string[], floor: string[]): void {
  const shape = (keys: string[]): string =>
    keys
      .map((k) => k.replace(/\d{4}-\d{2}-\d{2}T[\d-]+\.\d+Z(-[0-9a-f]+)?/g, '<id>'))
      .sort()
      .join(' ');
  if (shape(real) !== shape(floor)) {
    throw new Error(
      `bench ingest: the in-memory S3 run wrote ${floor.length} keys (${shape(floor)}), the embedded one ` +
        `${real.length} (${shape(real)}); fix bench/memoryS3.ts until both publish the same objects`,
    );
  }
}

export async function run(): Promise<Record<string, number>> {
  const body = await readFile(PAGE);
  const dir = await mkdtemp(join(tmpdir(), 'exchange-bench-ingest-'));
  const s3server = await startEmbeddedS3({ dir, buckets: ['bench-ingest'] });
  const s3 = embeddedS3Client(s3server);
  const memory = memoryS3Client();
  const source = await startSource(body);
  try {
    const real = await measure(s3, 'bench-ingest', source.url, body);
    const floor = await measure(memory, 'bench-ingest', source.url, body);
    assertSamePublish(real.written, floor.written);
    const fresh = await newDays(body);
    return {
      ingestNewDayFloorRatio: round(fresh.ingest / fresh.parse, 2),
      ingestNewDayFloorMs: round(fresh.ingest, 1),
      ingestRatio: round(real.ingest / real.parse, 2),
      ingestMs: round(real.ingest, 1),
      ingestParseMs: round(real.parse, 1),
      ingestFloorRatio: round(floor.ingest / floor.parse, 2),
      ingestFloorMs: round(floor.ingest, 1),
      s3PutRoundTripMs: round(await putRoundTrip(s3, 'bench-ingest'), 2),
      s3PutSdkMs: round(await putRoundTrip(memory, 'bench-ingest'), 2),
    };
  } finally {
    s3.destroy();
    memory.destroy();
    await source.close();
    await s3server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
