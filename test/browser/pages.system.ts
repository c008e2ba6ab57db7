// What a new user saw on the pages (issue 18 §4), in Chromium: the Warsaw current-quotations table
// (14 columns) fits a 1400-pixel window and its names never break inside a word; on a phone the
// table's note is whole, chart labels keep a readable size and the footer prints no publish id; the
// ECB page reads one way (JPY on 2021-07-02 is +0.52 % and green in the table and the movers alike).
// Saves test-artifacts/warsaw-quotations-1400.png. Skips without chromium unless CI=true.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { runIngest } from '../../ingest/pipeline.ts';
import { silentLogger } from '../../lib/log.ts';
import { CHROMIUM, requireChromium } from '../helpers/chromium.ts';
import { countingClient, IDENTITY, startServe, type Running } from '../serve/http.ts';
import { startPublishedBucket, type PublishedBucket } from '../serve/published.ts';

const ECB90 = 'test/fixtures/pages/real/ecb/eurofxref-hist-90d_2021-07-05.xml';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

describe('the pages, as a new user saw them', function () {
  this.timeout(90_000);
  let bucket: PublishedBucket;
  let app: Running;
  let browser: Browser;
  let origin: string;

  before(async function () {
    requireChromium(this);
    bucket = await startPublishedBucket('pages-site');
    await bucket.publish({ page: 'gpwQuotations' });
    // The ECB's 64 days into the same bucket: two sources, each under its own path.
    const body = await readFile(ECB90);
    await runIngest(
      {
        http: createHttpClient({ version: 't' }),
        s3: bucket.s3,
        log: silentLogger,
        now: () => new Date('2021-07-05T16:30:00Z'),
      },
      {
        bucket: bucket.bucket,
        source: 'ecb-hist-90d',
        version: 't',
        saved: [{ name: ECB90, read: async () => body }],
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
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await bucket?.close();
  });

  async function open(
    path: string,
    viewport: { width: number; height: number },
  ): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport });
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

  it('Warsaw current quotations at 1400 px: every column fits its box, names wrap only between words', async () => {
    const { page, problems } = await open('/gpw-quotations/', { width: 1400, height: 900 });
    assert.ok((await page.locator('thead th').count()) >= 12, 'the wide layout, not the archive');
    const box = await page.locator('.table-scroll').evaluate((el) => {
      const last = [...el.querySelectorAll('thead th')].at(-1)!.getBoundingClientRect();
      return {
        table: el.scrollWidth,
        box: el.clientWidth,
        lastRight: last.right,
        boxRight: el.getBoundingClientRect().right,
        pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
      };
    });
    assert.ok(
      box.table <= box.box,
      `the table is ${box.table} px in a ${box.box} px box: the last column is clipped`,
    );
    assert.ok(box.lastRight <= box.boxRight + 1, JSON.stringify(box));
    assert.equal(box.pageOverflow, 0);
    // Every word of every name sits on one line ("ACAUTOGA /Z" never becomes "ACAUTOG" + "A /Z").
    const split = await page.locator('td.c-name').evaluateAll((cells) =>
      cells.flatMap((cell) => {
        const text = cell.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) return [];
        const out: string[] = [];
        for (const m of (text.textContent ?? '').matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(text, m.index);
          range.setEnd(text, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) out.push(m[0]);
        }
        return out;
      }),
    );
    assert.deepEqual(split, [], `words broken across lines: ${split.slice(0, 5).join(', ')}`);
    await mkdir('test-artifacts', { recursive: true });
    await page.locator('.table-scroll').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-artifacts/warsaw-quotations-1400.png', fullPage: false });
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('on a phone: the table note is whole, chart labels stay readable, the footer prints no publish id', async () => {
    const { page, problems } = await open('/gpw-quotations/', { width: 390, height: 844 });
    const note = await page.locator('#quotes-note').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, width: window.innerWidth, visible: r.height > 0 };
    });
    assert.ok(
      note.visible && note.left >= 0 && note.right <= note.width,
      `the note is cut: ${JSON.stringify(note)}`,
    );
    const sizes = await page.locator('svg.chart-movers text').evaluateAll((texts) =>
      texts.map((t) => {
        const scale = (t as SVGTextElement).getScreenCTM()?.a ?? 1;
        return scale * parseFloat(getComputedStyle(t).fontSize);
      }),
    );
    assert.ok(sizes.length > 0);
    assert.ok(Math.min(...sizes) >= 12, `chart labels render at ${Math.min(...sizes)} px on a phone`);
    const footer = (await page.locator('footer').textContent()) ?? '';
    assert.doesNotMatch(footer, /\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}/, 'no raw publish id in the footer');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it("ECB 2021-07-02: JPY's move is +0.52 % and green in the table and in the movers, one colour meaning", async () => {
    const { page, problems } = await open('/ecb-hist-90d/', { width: 1280, height: 900 });
    await page.locator('nav.days ol.day-list a', { hasText: '02' }).first().click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('.lede time').getAttribute('datetime'), '2021-07-02');
    const header = await page.locator('thead th').allTextContents();
    const col = header.findIndex((h) => h.trim().startsWith('Against EUR'));
    assert.ok(col > 0, header.join(' | '));
    const cell = page
      .locator('tbody tr', { has: page.locator('th', { hasText: /^JPY$/ }) })
      .locator('th, td')
      .nth(col);
    assert.equal((await cell.textContent())?.trim(), '+0.52%');
    const tableColour = await cell.evaluate((el) => getComputedStyle(el).color);
    const moverColour = await page
      .locator('#movers-h ~ .movers h3.up')
      .evaluate((el) => getComputedStyle(el).color);
    assert.equal(
      tableColour,
      moverColour,
      'a stronger currency is the same green in the table and the movers',
    );
    assert.match((await page.locator('#fx-up-desc').textContent()) ?? '', /JPY \+0\.52%/);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('a chart of a single day says so instead of drawing a lone dot; a wide box gets a wide chart', async () => {
    const { page, problems } = await open('/gpw-quotations/', { width: 1400, height: 900 });
    await page.locator('tbody th a').first().click();
    await page.waitForLoadState('load');
    await page.locator('#chart .status.single').waitFor();
    assert.equal(await page.locator('#chart svg').count(), 0, 'no chart from one close');
    assert.match(
      (await page.locator('#chart .status.single').textContent()) ?? '',
      /^One close in this range: /,
    );
    await page.goto(`${origin}/ecb-hist-90d/`, { waitUntil: 'load' });
    await page.locator('tbody th a', { hasText: 'USD' }).click();
    const svg = page.locator('#chart svg.chart-close');
    await svg.waitFor();
    const widths = await page.evaluate(() => ({
      chart: document.querySelector('#chart svg')!.getBoundingClientRect().width,
      card: document.getElementById('chart')!.clientWidth,
    }));
    assert.ok(widths.chart >= widths.card * 0.9, `the chart uses ${widths.chart} of ${widths.card} px`);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('two sources in one bucket: / lists both, each linking its own site', async () => {
    const { page, problems } = await open('/', { width: 1280, height: 900 });
    assert.equal(await page.locator('h1').textContent(), 'Exchanges');
    const links = await page
      .locator('.source-card h2 a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links.sort(), ['/ecb-hist-90d/', '/gpw-quotations/']);
    await page.locator('.source-card h2 a[href="/ecb-hist-90d/"]').click();
    await page.waitForLoadState('load');
    assert.match((await page.locator('h1').textContent()) ?? '', /European Central Bank/);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
