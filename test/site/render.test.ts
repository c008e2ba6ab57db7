import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as cheerio from 'cheerio';
import { ASSET_KEY_PATTERN, CACHE_CONTROL, type LatestPointer } from '../../contract/index.ts';
import type { Quote } from '../../contract/quote.ts';
import { ASSET_KEYS, escapeHtml, renderSite } from '../../site/render.ts';
import type { SiteInput } from '../../site/types.ts';
import { getSource, parsePage } from '../../ingest/source/index.ts';

const EVIL = `<img src=x onerror=alert(1)> "double" 'single' & more`;

const pointer: LatestPointer = {
  source: 'tst',
  date: '2026-04-23',
  fetchedAt: '2026-04-24T02:03:40.000Z',
  generatedAt: '2026-04-24T02:04:00.000Z',
  version: '1.2.3',
  sourceUrl: 'https://www.example-exchange.test/prices?a=1&b=2',
  publishId: '2026-04-24T02-04-00.000Z-0123abcd',
  counts: { quotes: 3, rejected: 0 },
  keys: {
    raw: 'raw/tst/x.html',
    json: 'data/tst/2026-04-23/2026-04-24T02-04-00.000Z-0123abcd.json',
    csv: 'data/tst/2026-04-23/2026-04-24T02-04-00.000Z-0123abcd.csv',
    page: 'data/tst/2026-04-23/2026-04-24T02-04-00.000Z-0123abcd.html',
    index: 'index.html',
    assets: [],
  },
};

const quotes: Quote[] = [
  {
    source: 'tst',
    date: '2026-04-23',
    symbol: 'AAA',
    name: EVIL,
    close: 1234.5,
    high: 1240,
    previousClose: 1200,
    volume: 1000,
    turnover: 5000,
  },
  {
    source: 'tst',
    date: '2026-04-23',
    symbol: `B"B'<`,
    name: 'Beta',
    close: 9,
    change: -1,
    high: null,
    volume: 50,
  },
  {
    source: 'tst',
    date: '2026-04-23',
    symbol: 'CCC',
    name: 'Gamma',
    close: 5,
    previousClose: 5,
    volume: null,
  },
];

const input: SiteInput = {
  pointer,
  quotes,
  source: {
    id: 'tst',
    title: 'Test <Exchange>',
    homepage: 'https://example-exchange.test/',
    locale: 'en-US',
    currency: 'USD',
  },
};

function files(
  i: SiteInput = input,
): Map<string, { body: string; contentType: string; cacheControl: string }> {
  return new Map(renderSite(i).map((f) => [f.key, { ...f, body: String(f.body) }]));
}

function index(i: SiteInput = input): cheerio.CheerioAPI {
  return cheerio.load(files(i).get('index.html')!.body);
}

const ASSET_KEY_PATTERN_URL = new RegExp(`^/${ASSET_KEY_PATTERN.source.slice(1)}`);

describe('renderSite', () => {
  it('produces the page, the error page and the assets with their types', () => {
    const out = renderSite(input);
    assert.deepEqual(
      out.map((f) => [f.key, f.contentType, f.cacheControl]),
      [
        [ASSET_KEYS.css, 'text/css; charset=utf-8', CACHE_CONTROL.dated],
        [ASSET_KEYS.js, 'text/javascript; charset=utf-8', CACHE_CONTROL.dated],
        [ASSET_KEYS.chart, 'text/javascript; charset=utf-8', CACHE_CONTROL.dated],
        ['error.html', 'text/html; charset=utf-8', 'public, max-age=60'],
        ['index.html', 'text/html; charset=utf-8', 'public, max-age=60'],
      ],
    );
    assert.deepEqual(renderSite(input), out, 'pure: same input, same bytes');
  });

  it('escapes every scraped string: no element or attribute is injected', () => {
    const html = files().get('index.html')!.body;
    assert.ok(!html.includes('<img src=x'), 'raw tag must not appear');
    assert.ok(
      html.includes('&lt;img src=x onerror=alert(1)&gt; &quot;double&quot; &#39;single&#39; &amp; more'),
    );
    const $ = cheerio.load(html);
    assert.equal($('img').length, 0);
    assert.equal($('tbody tr').first().find('td').first().text(), EVIL, 'name round-trips as text');
    assert.equal($('tbody tr').eq(1).find('th').text(), `B"B'<`);
    assert.equal($('tbody tr').eq(1).attr('data-search'), `b"b'< beta`);
    assert.equal($('h1').text(), 'Test <Exchange>');
    assert.equal(escapeHtml(`<a href="x">'`), '&lt;a href=&quot;x&quot;&gt;&#39;');
  });

  it('works under a strict CSP: no inline script, style or event handler anywhere', () => {
    for (const key of ['index.html', 'error.html']) {
      const $ = cheerio.load(files().get(key)!.body);
      assert.equal($('style').length, 0, `${key}: <style>`);
      assert.equal($('[style]').length, 0, `${key}: style attribute`);
      $('script').each((_, el) =>
        assert.ok($(el).attr('src')?.startsWith('/assets/'), `${key}: inline script`),
      );
      $('*').each((_, el) => {
        for (const name of Object.keys((el as { attribs?: Record<string, string> }).attribs ?? {})) {
          assert.ok(!/^on/i.test(name), `${key}: handler attribute ${name}`);
        }
      });
      $('link[rel=stylesheet]').each((_, el) => {
        const href = $(el).attr('href') ?? '';
        // /env.css is the serving side's (its colour); every other stylesheet is an asset.
        if (href !== '/env.css')
          assert.match(
            href,
            ASSET_KEY_PATTERN_URL,
            'assets are linked by their content-addressed key (immutable)',
          );
      });
    }
  });

  it('is accessible: lang, caption, header scopes, labelled charts, labelled filter', () => {
    const $ = index();
    assert.equal($('html').attr('lang'), 'en');
    assert.match($('table caption').text(), /^3 quotes from Test <Exchange> for 2026-04-23/);
    assert.ok($('thead th').length > 3);
    $('thead th').each((_, th) => assert.equal($(th).attr('scope'), 'col'));
    $('tbody th').each((_, th) => assert.equal($(th).attr('scope'), 'row'));
    assert.equal($('svg[role=img]').length, 3, 'breadth + gainers + losers');
    $('svg[role=img]').each((_, svg) => {
      const ids = ($(svg).attr('aria-labelledby') ?? '').split(' ');
      assert.ok(
        ids.every((id) => $(svg).find(`#${id}`).length === 1),
        'labelled by its own title/desc',
      );
    });
    assert.equal($('label[for=filter]').length, 1);
    assert.equal($('.table-scroll').attr('tabindex'), '0', 'the scrolling table is keyboard-reachable');
  });

  it('shows the table with formatted, right-aligned numbers and "—" for missing values', () => {
    const $ = index();
    const headers = $('thead th')
      .map((_, th) => $(th).text().trim())
      .get();
    // Columns without any value on this page (ISIN, open, trades, …) are left out.
    assert.deepEqual(headers, [
      'Symbol',
      'Name',
      'Close USD',
      'Change',
      'Change %',
      'High',
      'Prev. close',
      'Volume',
      'Turnover USD',
    ]);
    const row = (i: number): string[] =>
      $('tbody tr')
        .eq(i)
        .children()
        .map((_, c) => $(c).text())
        .get();
    assert.deepEqual(row(0), [
      'AAA',
      EVIL,
      '1,234.50',
      '+34.50',
      '+2.88%',
      '1,240.00',
      '1,200.00',
      '1,000',
      '5,000',
    ]);
    assert.deepEqual(row(1), [`B"B'<`, 'Beta', '9.00', '-1.00', '-10.00%', '—', '—', '50', '—']);
    assert.deepEqual(row(2), ['CCC', 'Gamma', '5.00', '0.00', '0.00%', '—', '5.00', '—', '—']);
    const close = $('tbody tr').eq(0).children().eq(2);
    assert.equal(close.attr('class'), 'num');
    assert.equal(close.attr('data-v'), '1234.5');
    assert.equal($('tbody tr').eq(1).children().eq(3).attr('class'), 'num down');
  });

  it('has the summary, provenance, downloads named by source and date, and an empty badge the serving side fills', () => {
    const $ = index();
    const stats = $('.stats .stat')
      .map((_, s) => `${$(s).find('dt').text()}=${$(s).find('dd').text()}`)
      .get();
    assert.deepEqual(stats, [
      'Instruments=3',
      'Advancers=1',
      'Decliners=1',
      'Unchanged=1',
      'Total turnover=$5K',
    ]);
    assert.equal($('.stats .stat dd').last().attr('title'), '$5,000');
    assert.equal($(`a[href="/${pointer.keys.json}"]`).first().text(), 'Download JSON');
    assert.equal($(`a[href="/${pointer.keys.csv}"]`).first().text(), 'Download CSV');
    assert.deepEqual(
      $('a[download]')
        .map((_, a) => $(a).attr('download'))
        .get(),
      ['tst-2026-04-23.json', 'tst-2026-04-23.csv', 'tst-2026-04-23.json', 'tst-2026-04-23.csv'],
      'downloads are saved under the source and the trading date, not the publish id',
    );
    assert.ok(!$('footer').text().includes(pointer.publishId), 'the footer prints no raw publish id');
    // The badge belongs to whoever serves the page: serve's /env.css names its colour.
    assert.equal($('#env-badge').attr('class'), 'badge env-badge');
    assert.equal($('#env-badge').text(), '');
    assert.equal($('link[href="/env.css"]').length, 1);
    const prov = $('.provenance').text();
    for (const text of ['2026-04-24 02:03 UTC', '2026-04-24 02:04 UTC', '1.2.3', 'example-exchange.test']) {
      assert.ok(prov.includes(text), `provenance shows ${text}`);
    }
    assert.equal($('.lede a').attr('href'), 'https://www.example-exchange.test/prices?a=1&b=2');
    assert.match($('.movers').text(), /Top 1 gainers[\s\S]*Top 1 losers/);
    assert.match($('#movers-up-desc').text(), /^AAA \+2\.88%$/);
  });

  it('never links a non-http URL', () => {
    const $ = index({
      ...input,
      pointer: { ...pointer, sourceUrl: 'javascript:alert(1)' },
    });
    assert.equal($('a[href^="javascript"]').length, 0);
    assert.equal($('script').length, 1);
  });

  it('renders a real DSE page: every quote a row, BDT totals in en-BD', async () => {
    const body = await readFile(
      'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html',
    );
    const parsed = parsePage({ body });
    const source = getSource(parsed.source);
    const $ = index({ pointer: { ...pointer, source: 'dse' }, quotes: parsed.quotes, source });
    assert.equal($('tbody tr').length, parsed.quotes.length);
    assert.equal($('tbody tr').length, 396);
    const sum = parsed.quotes.reduce((s, q) => s + (q.turnover ?? 0), 0);
    const title = ($('.stats .stat dd').last().attr('title') ?? '').replace(/\u00a0/g, ' ');
    assert.equal(title, `BDT ${Math.round(sum).toLocaleString('en-US')}`);
    const counts = $('.stats .stat dd')
      .map((_, d) => Number($(d).text().replace(/,/g, '')))
      .get()
      .slice(0, 4);
    assert.equal(counts[0], 396);
    assert.equal(
      counts[1]! + counts[2]! + counts[3]!,
      396,
      'every DSE row has a change, so breadth covers all',
    );
  });

  it('renders a proper error page with absolute asset URLs', () => {
    const $ = cheerio.load(files().get('error.html')!.body);
    assert.equal($('html').attr('lang'), 'en');
    assert.equal($('a[href="/"]').length, 1);
    assert.match($('link[rel=stylesheet]').attr('href') ?? '', /^\/assets\//);
  });
});
