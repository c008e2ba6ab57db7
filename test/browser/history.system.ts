// History in a real browser: the ECB 90-day page ingested through the real pipeline into the
// embedded S3 and served by `serve`. Date navigation, the per-symbol chart, the FX summary; no
// console errors or CSP violations. Saves test-artifacts/history-*.png. Skips without chromium unless CI=true.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { runIngest } from '../../ingest/pipeline.ts';
import { silentLogger } from '../../lib/log.ts';
import { CHROMIUM, requireChromium } from '../helpers/chromium.ts';
import { sendBytes, startLoopback, type LoopbackServer } from '../helpers/loopback.ts';
import { countingClient, IDENTITY, startServe, type Running } from '../serve/http.ts';
import { startPublishedBucket, type PublishedBucket } from '../serve/published.ts';

const ECB90 = 'test/fixtures/pages/real/ecb/eurofxref-hist-90d_2021-07-05.xml';

describe('history in a real browser', function () {
  this.timeout(60_000);
  let bucket: PublishedBucket;
  let source: LoopbackServer;
  let app: Running;
  let browser: Browser;
  let origin: string;

  before(async function () {
    requireChromium(this);
    const body = await readFile(ECB90);
    source = await startLoopback((_req, res) => sendBytes(res, body, { 'content-type': 'application/xml' }));
    bucket = await startPublishedBucket('history-site');
    const http = createHttpClient({
      version: 't',
      backoffBaseMs: 10,
      retryLimit: 1,
      requestTimeoutMs: 2000,
      maxResponseBytes: 4_000_000,
    });
    await runIngest(
      { http, s3: bucket.s3, log: silentLogger, now: () => new Date('2021-07-05T16:30:00.000Z') },
      {
        bucket: bucket.bucket,
        source: 'ecb-hist-90d',
        url: `${source.origin}/x`,
        version: 't',
      },
    );
    app = await startServe({
      s3: countingClient(bucket.env, []),
      bucket: bucket.bucket,
      identity: IDENTITY,
      maxAgeSeconds: 1e9,
      log: silentLogger,
    });
    origin = `http://127.0.0.1:${app.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await bucket?.close();
    await source?.close();
  });

  async function open(path = '/'): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    return { page, problems };
  }

  it('the latest day: FX summary, a sparkline per row; navigation to the previous day and back', async () => {
    const { page, problems } = await open();
    assert.match(
      (await page.locator('h2#movers-h').textContent()) ?? '',
      /moves against EUR/,
      'an FX source shows currencies against the base',
    );
    assert.equal(
      await page.locator('svg.chart-breadth').count(),
      0,
      'no advancers/decliners for exchange rates',
    );
    const rows = await page.locator('tbody tr').count();
    assert.equal(await page.locator('tbody svg.spark').count(), rows, 'every row has a sparkline');
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/history-latest.png', fullPage: true });
    await page.locator('a[rel="prev"]').click();
    await page.waitForLoadState('load');
    assert.match(
      (await page.locator('.lede time').getAttribute('datetime')) ?? '',
      /^2021-07-02$/,
      'previous published day (the weekend skipped)',
    );
    await page.locator('a[rel="next"]').click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('.lede time').getAttribute('datetime'), '2021-07-05');
    // The month's days, then a year's calendar: any day is two clicks away, no page lists them all.
    await page.locator('nav.days ol.day-list a[title="2021-07-01"]').click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('.lede time').getAttribute('datetime'), '2021-07-01');
    await page.locator('nav.days ol.year-list a', { hasText: '2021' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('section.month').count(), 12);
    await page.locator('table.calendar td.on a[title="2021-06-01"]').click();
    await page.waitForLoadState('load');
    assert.equal(
      await page.locator('.lede time').getAttribute('datetime'),
      '2021-06-01',
      'the year calendar links each published day',
    );
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('the chart page: one month, one year, all time, from the series file and the window', async () => {
    const { page, problems } = await open();
    await page.locator('tbody th a', { hasText: 'USD' }).click();
    await page.waitForLoadState('load');
    const chart = page.locator('#chart svg.chart-close');
    await chart.waitFor();
    assert.match((await page.locator('#chart-h').textContent()) ?? '', /^USD per 1 EUR/);
    const points = async (): Promise<number> =>
      ((await chart.locator('polyline').getAttribute('points')) ?? '').split(' ').length;
    await page.locator('.range button', { hasText: 'All time' }).click();
    assert.equal(await points(), 64, 'every published day');
    await page.locator('.range button', { hasText: '1 month' }).click();
    const month = await points();
    assert.ok(month >= 19 && month <= 23, `a month of trading days: ${month}`);
    assert.equal(await page.locator('.range button[aria-pressed="true"]').textContent(), '1 month');
    // Labels in CSS pixels, not scaled with the drawing.
    const size = await chart
      .locator('text')
      .first()
      .evaluate((t) => parseFloat(getComputedStyle(t).fontSize));
    assert.ok(size >= 12, `axis labels at ${size} px`);
    assert.match(
      (await page.locator('#chart a[download]').first().getAttribute('download')) ?? '',
      /^ecb-hist-90d-USD-to-2021-07-05\.csv$/,
    );
    await page.screenshot({ path: 'test-artifacts/history-symbol.png', fullPage: false });
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
