// ingestRatio (issue 2 §6): end-to-end ingest of the real DSE page — fetched from a loopback
// server, parsed, gated and published into the embedded S3 over HTTP — divided by the parse time
// of the same bytes in the same process. Medians of several runs after warm-up. Every run publishes
// into the same bucket, so after the first the stylesheet, script and error page are already there
// and skipped (assets/manifest.json): the steady state of a daily ingest, whose site files change
// only with the app version.
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

export async function run(): Promise<Record<string, number>> {
  const body = await readFile(PAGE);
  const dir = await mkdtemp(join(tmpdir(), 'exchange-bench-ingest-'));
  const s3server = await startEmbeddedS3({ dir, buckets: ['bench-ingest'] });
  const s3 = embeddedS3Client(s3server);
  const source = await startSource(body);
  try {
    const http = createHttpClient({ version: 'bench' });
    const deps = { http, s3, log: silentLogger, now: () => new Date() };
    const ingestMs: number[] = [];
    const parseMs: number[] = [];
    // Interleave the two so load on the host affects both alike.
    for (let round = 0; round < 2; round++) {
      parseMs.push(...(await timed(() => parsePage({ body, contentType: CONTENT_TYPE }, { source: 'dse' }))));
      ingestMs.push(
        ...(await timed(() =>
          runIngest(deps, { bucket: 'bench-ingest', source: 'dse', url: source.url, version: 'bench' }),
        )),
      );
    }
    const ingest = median(ingestMs);
    const parse = median(parseMs);
    return {
      ingestRatio: Math.round((ingest / parse) * 100) / 100,
      ingestMs: Math.round(ingest * 10) / 10,
      ingestParseMs: Math.round(parse * 10) / 10,
    };
  } finally {
    s3.destroy();
    await source.close();
    await s3server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
