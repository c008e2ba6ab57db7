// Screenshots for a review (not a test): 25 years of ECB rates (the benchmark's generated history)
// backfilled into the embedded S3 beside the real Warsaw quotations and Dhaka pages, served by
// `serve`, photographed in Chromium. `node --import tsx test/browser/screenshots.ts <out-dir>`.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { generateEcbHistory } from '../../bench/ecbHistory.ts';
import { runBackfill } from '../../ingest/backfill.ts';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { runIngest } from '../../ingest/pipeline.ts';
import { silentLogger } from '../../lib/log.ts';
import { embeddedS3Client } from '../../local/embeddedClient.ts';
import { startEmbeddedS3 } from '../../local/embeddedS3.ts';
import { CHROMIUM } from '../helpers/chromium.ts';
import { startServe } from '../serve/http.ts';
import { PAGES } from '../serve/published.ts';

const out = process.argv[2] ?? 'test-artifacts';
const BUCKET = 'screenshots';
await mkdir(out, { recursive: true });
const dir = await mkdtemp(join(tmpdir(), 'exchange-shots-'));
const s3server = await startEmbeddedS3({ dir, buckets: [BUCKET] });
const s3 = embeddedS3Client(s3server);
const http = createHttpClient({ version: 'shots' });
const deps = { http, s3, log: silentLogger, now: () => new Date('2026-04-24T18:00:00Z') };
const history = generateEcbHistory(25);
const t0 = Date.now();
const ecb = await runBackfill(
  { ...deps, readFile: async () => Buffer.from(history.xml) },
  { bucket: BUCKET, source: 'ecb-hist', files: ['eurofxref-hist.xml'], version: 'shots' },
);
process.stderr.write(`backfilled ${ecb.dates.written.length} days in ${Date.now() - t0} ms\n`);
for (const [source, file] of [
  ['gpw-quotations', PAGES.gpwQuotations],
  ['dse', PAGES.dse],
] as const) {
  const body = await readFile(file);
  await runIngest(deps, {
    bucket: BUCKET,
    source,
    version: 'shots',
    saved: [{ name: file, read: async () => body }],
  });
}
const app = await startServe({
  s3,
  bucket: BUCKET,
  identity: { color: 'green', version: 'shots', imageTag: undefined, commit: undefined },
  maxAgeSeconds: 1e9,
  log: silentLogger,
});
const origin = `http://127.0.0.1:${app.port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const shot = async (
    path: string,
    file: string,
    viewport: { width: number; height: number },
    act?: (page: import('playwright-core').Page) => Promise<void>,
  ): Promise<void> => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    await act?.(page);
    await page.screenshot({ path: join(out, file), fullPage: viewport.width > 500 });
    await context.close();
  };
  await shot('/ecb-hist/', 'h18-ecb-25y-latest.png', { width: 1400, height: 900 });
  await shot('/data/ecb-hist/years/2008.html', 'h18-ecb-25y-year-2008.png', { width: 1400, height: 900 });
  await shot(
    '/data/ecb-hist/symbols.html#s-USD',
    'h18-ecb-25y-chart-usd-all.png',
    { width: 1400, height: 900 },
    async (page) => {
      await page.locator('#chart svg').waitFor();
      await page.locator('.range button', { hasText: 'All time' }).click();
    },
  );
  await shot('/', 'h18-landing.png', { width: 1400, height: 900 });
  await shot(
    '/gpw-quotations/',
    'h18-warsaw-quotations-1400.png',
    { width: 1400, height: 900 },
    async (page) => {
      await page.locator('.table-scroll').scrollIntoViewIfNeeded();
    },
  );
  await shot('/gpw-quotations/', 'h18-warsaw-quotations-phone.png', { width: 390, height: 844 });
  const latest = await (await fetch(`${origin}/ecb-hist/`)).text();
  process.stderr.write(
    `ECB latest page: ${latest.length} bytes, ${gzipSync(latest).length} gzip; ${(latest.match(/<a /g) ?? []).length} links\n`,
  );
} finally {
  await browser.close();
  await app.close();
  s3.destroy();
  await s3server.close();
  await rm(dir, { recursive: true, force: true });
}
