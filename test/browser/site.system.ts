// A real browser (Debian's chromium via playwright-core) loads the page served by `serve` from the
// embedded S3 holding real ingest output: no console errors or CSP violations, sorting, filtering,
// charts, the colour badge; saves test-artifacts/site.png. Skips without chromium unless CI=true.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { silentLogger } from '../../lib/log.ts';
import { CHROMIUM, requireChromium } from '../helpers/chromium.ts';
import { countingClient, IDENTITY, startServe, type Running } from '../serve/http.ts';
import { startPublishedBucket, type PublishedBucket } from '../serve/published.ts';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const EVIL = `<img src=x onerror=alert(1)> "quoted" 'name'`;

describe('site in a real browser', function () {
  this.timeout(60_000);
  let bucket: PublishedBucket;
  let app: Running;
  let browser: Browser;
  let origin: string;

  before(async function () {
    requireChromium(this);
    bucket = await startPublishedBucket();
    await bucket.publish({
      page: 'gpw',
      edit: (quotes) => {
        quotes[1]!.name = EVIL;
      },
    });
    app = await startServe({
      s3: countingClient(bucket.env, []),
      bucket: bucket.bucket,
      identity: IDENTITY,
      maxAgeSeconds: 36 * 3600,
      log: silentLogger,
    });
    origin = `http://127.0.0.1:${app.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await bucket?.close();
  });

  /** Opens the page and collects every console error, page error, failed request and dialog. */
  async function open(
    viewport = { width: 1280, height: 900 },
    javaScriptEnabled = true,
  ): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    return { page, problems };
  }

  async function columnValues(page: Page, header: string): Promise<(number | null)[]> {
    return page.evaluate((label) => {
      const table = document.getElementById('quotes') as HTMLTableElement;
      const index = [...table.tHead!.rows[0]!.cells].findIndex((c) =>
        c.textContent!.trim().startsWith(label),
      );
      return [...table.tBodies[0]!.rows]
        .filter((r) => !r.hidden)
        .map((r) => r.cells[index]!.getAttribute('data-v'))
        .map((v) => (v === null || v === '' ? null : Number(v)));
    }, header);
  }

  it("loads without console errors or CSP violations, with charts and the serving colour's badge", async () => {
    const { page, problems } = await open();
    assert.deepEqual(problems, []);
    // The page was published without any colour: the badge is the serving side's (serve's /env.css).
    assert.equal(await page.locator('#env-badge').isVisible(), true);
    assert.equal(
      await page.locator('#env-badge').evaluate((el) => getComputedStyle(el, '::after').content),
      '"blue environment"',
    );
    assert.equal(await page.locator('svg.chart-movers').count(), 2);
    assert.equal(await page.locator('svg.chart-breadth').isVisible(), true);
    const bars = await page.locator('svg.chart-movers rect').count();
    assert.equal(bars, 10, 'five gainers and five losers');
    assert.equal(await page.locator('#filter').isVisible(), true, 'the filter appears once the script runs');
    // The hostile name is shown as text: no image element, no dialog.
    assert.equal(await page.locator('table.quotes img').count(), 0);
    assert.equal(await page.locator('tbody tr').nth(1).locator('td').first().textContent(), EVIL);
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/site.png', fullPage: true });
    await page.context().close();
  });

  it('sorts by a column when its header is clicked, and from the keyboard', async () => {
    const { page, problems } = await open();
    const close = page.locator('thead th', { hasText: 'Close' });
    await close.getByRole('button').click();
    assert.equal(await close.getAttribute('aria-sort'), 'ascending');
    const asc = (await columnValues(page, 'Close')).filter((v): v is number => v !== null);
    assert.ok(asc.length > 100);
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => a - b),
    );
    await close.getByRole('button').click();
    assert.equal(await close.getAttribute('aria-sort'), 'descending');
    const desc = await columnValues(page, 'Close');
    assert.deepEqual(
      desc.filter((v) => v !== null),
      [...asc].reverse(),
    );
    // Keyboard: focus the Volume header button and press Enter.
    const volume = page.locator('thead th', { hasText: 'Volume' });
    await volume.getByRole('button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await volume.getAttribute('aria-sort'), 'ascending');
    assert.equal(await close.getAttribute('aria-sort'), null, 'only one column is sorted');
    assert.match(
      (await page.locator('#table-status').textContent()) ?? '',
      /^Sorted by Volume, ascending\.$/,
    );
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('filters by symbol or name', async () => {
    const { page, problems } = await open();
    const total = await page.locator('tbody tr').count();
    await page.locator('#filter').fill('pko');
    const visible = page.locator('tbody tr:not([hidden])');
    const shown = await visible.count();
    assert.ok(shown >= 1 && shown < total, `${shown} of ${total}`);
    const keys = await visible.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-search') ?? ''));
    assert.ok(keys.every((k) => k.includes('pko')));
    assert.equal(
      await page.locator('#table-status').textContent(),
      `Showing ${shown} of ${total} instruments.`,
    );
    await page.locator('#filter').fill('');
    assert.equal(await visible.count(), total);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('at 1400 px wide the Warsaw table fits: the turnover column is not clipped', async () => {
    const { page, problems } = await open({ width: 1400, height: 900 });
    const box = await page.locator('.table-scroll').evaluate((el) => {
      const turnover = [...el.querySelectorAll('thead th')].at(-1)!.getBoundingClientRect();
      const scroller = el.getBoundingClientRect();
      return {
        fits: el.scrollWidth <= el.clientWidth,
        scrolls: getComputedStyle(el).overflowX === 'auto' && el.scrollWidth > el.clientWidth,
        turnoverRight: turnover.right,
        boxRight: scroller.right,
        pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
      };
    });
    assert.ok(box.fits, `at 1400 px the Warsaw table must fit its box (names wrap): ${JSON.stringify(box)}`);
    assert.ok(
      box.turnoverRight <= box.boxRight + 1,
      `turnover header ends at ${box.turnoverRight}, past the box at ${box.boxRight}`,
    );
    assert.equal(box.pageOverflow, 0, 'the page itself does not scroll sideways');
    await page.screenshot({
      path: 'test-artifacts/site-1400.png',
      fullPage: false,
      clip: { x: 0, y: 0, width: 1400, height: 900 },
    });
    await page.locator('.table-scroll').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-artifacts/site-1400-table.png', fullPage: false });
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('works without JavaScript and on a phone-sized screen', async () => {
    const noJs = await open({ width: 1280, height: 900 }, false);
    assert.equal(
      await noJs.page.locator('#filter-box').isVisible(),
      false,
      'no dead filter box without the script',
    );
    assert.ok((await noJs.page.locator('tbody tr').count()) > 400);
    await noJs.page.context().close();
    const phone = await open({ width: 390, height: 844 });
    assert.deepEqual(phone.problems, []);
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.equal(overflow, 0, 'the page does not scroll sideways; only the table does');
    const scroller = await phone.page
      .locator('.table-scroll')
      .evaluate((el) => el.scrollWidth > el.clientWidth);
    assert.equal(scroller, true);
    await phone.page.screenshot({ path: 'test-artifacts/site-phone.png', fullPage: false });
    await phone.page.context().close();
  });
});
