// History on the page: sparklines, the chart page, day navigation by month and year, the year
// calendars, the FX summary, and the page weight for 400 symbols × 30 days with 25 years published.
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { firstViewBytesGzip, sampleSiteInput } from '../../bench/site.ts';
import type { Quote } from '../../contract/quote.ts';
import { fxSummary, strengthPercent } from '../../site/fx.ts';
import { symbolsPageKey, yearPageKey } from '../../contract/index.ts';
import { renderYear } from '../../site/calendar.ts';
import { sparkline, symbolId } from '../../site/history.ts';
import { renderIndex } from '../../site/page.ts';
import { assetUrls } from '../../site/render.ts';
import { renderSymbols } from '../../site/symbols.ts';

const fx = (symbol: string, close: number, previousClose: number): Quote => ({
  source: 'ecb-daily',
  date: '2026-11-30',
  symbol,
  currency: 'EUR',
  close,
  previousClose,
});

describe('site: history', () => {
  it('first view of 400 symbols × 30 days stays under 300 kB gzip (page + css + js)', () => {
    const bytes = firstViewBytesGzip(sampleSiteInput(400, 30));
    assert.ok(bytes <= 300_000, `${bytes} bytes gzip: trim the sparklines or the row markup`);
  });

  it('a sparkline per row and the symbol linking to its chart on the per-symbol page', () => {
    const input = sampleSiteInput(3, 5);
    const $ = cheerio.load(renderIndex(input, assetUrls()));
    assert.equal($('tbody tr').length, 3);
    assert.equal($('tbody svg.spark').length, 3, 'one sparkline per row');
    assert.equal(
      $('tbody svg.spark polyline').first().attr('points')?.split(' ').length,
      5,
      'five days, five points',
    );
    const href = $('tbody th a').first().attr('href');
    assert.equal(href, `/${symbolsPageKey('bench')}#${symbolId('SYM0000')}`);
  });

  it('the chart page lists every symbol, each naming its series file; its script draws the one the fragment names', () => {
    const sym = cheerio.load(
      renderSymbols({
        source: {
          id: 'ecb-hist',
          title: 'ECB',
          homepage: 'https://x.test/',
          locale: 'en-GB',
          currency: 'EUR',
          kind: 'fx',
        },
        symbols: [
          { symbol: 'USD', name: null },
          { symbol: 'A&B', name: 'Odd <name>' },
        ],
        seriesKeys: new Map([['USD', 'data/ecb-hist/series/id/USD.csv']]),
        through: '2024-05-31',
        windowKey: 'data/ecb-hist/history/w.json',
        latestDate: '2024-06-28',
        latestHref: '/ecb-hist/',
      }),
    );
    const usd = sym(`#${symbolId('USD')} a`);
    assert.equal(usd.attr('href'), `#${symbolId('USD')}`);
    assert.equal(usd.attr('data-series'), '/data/ecb-hist/series/id/USD.csv');
    assert.equal(usd.attr('data-label'), 'USD per 1 EUR', 'a rate says what it is');
    assert.equal(
      sym(`#${symbolId('A&B')} a`).attr('data-series'),
      undefined,
      'a symbol without a file: the window only',
    );
    assert.equal(sym(`#${symbolId('A&B')} a`).attr('data-name'), 'Odd <name>');
    assert.equal(sym('#chart').attr('data-window'), '/data/ecb-hist/history/w.json');
    assert.equal(sym('#chart').attr('data-through'), '2024-05-31');
    assert.match(sym('script').attr('src') ?? '', /^\/assets\/chart\.[0-9a-f]{12}\.js$/);
    assert.equal(
      sym('[style]').length + sym('script:not([src])').length,
      0,
      'no inline style or script (CSP)',
    );
  });

  it("navigation: previous day, latest, the month's days and every year — never a list of every day", () => {
    const input = sampleSiteInput(2, 30);
    const $ = cheerio.load(renderIndex(input, assetUrls()));
    assert.equal($('nav.days a[rel="prev"]').attr('href'), `/${input.nav?.previous?.page}`);
    assert.equal($('nav.days a[rel="home"]').attr('href'), '/bench/');
    const month = input.nav?.month ?? [];
    assert.ok(month.length > 0 && month.every((d) => d.date.slice(0, 7) === input.pointer.date.slice(0, 7)));
    assert.equal($('nav.days ol.day-list li').length, month.length, "the page's month only");
    assert.equal($('nav.days [aria-current="page"]').text(), input.pointer.date.slice(8));
    assert.equal($('nav.days ol.year-list a').length, 26, 'a link per year, to its calendar');
    assert.equal($('nav.days ol.year-list a').first().attr('href'), `/${yearPageKey('bench', '1999')}`);
  });

  it("a year's calendar: twelve Monday-first months, each published day a link", () => {
    const $ = cheerio.load(
      renderYear({
        source: { id: 'ecb-hist', title: 'ECB', homepage: 'https://x.test/', locale: 'en-GB' },
        year: '2024',
        days: [
          { date: '2024-01-01', page: 'data/ecb-hist/2024-01-01/p.html' },
          { date: '2024-02-29', page: 'data/ecb-hist/2024-02-29/p.html' },
        ],
        years: [
          { year: '2023', page: yearPageKey('ecb-hist', '2023') },
          { year: '2024', page: yearPageKey('ecb-hist', '2024') },
        ],
        latestHref: '/ecb-hist/',
      }),
    );
    assert.equal($('section.month').length, 12);
    assert.equal($('table.calendar td.on a').length, 2);
    // 1 January 2024 was a Monday: the first cell of the first week.
    assert.equal($('section.month').first().find('tbody tr').first().find('td').first().text(), '1');
    assert.equal($('section.month').eq(1).find('td.on a').text(), '29', 'leap day');
    assert.equal($('ol.year-list a').attr('href'), `/${yearPageKey('ecb-hist', '2023')}`);
    assert.equal($('[style], script').length, 0);
  });

  it('symbol ids are safe fragment ids for any symbol', () => {
    assert.match(symbolId('BRK.B & "x"'), /^s-[A-Za-z0-9_-]+$/);
    assert.notEqual(symbolId('A.B'), symbolId('A_B'));
  });

  it('no sparkline from fewer than two closes', () => {
    assert.equal(sparkline('X', [null, 3]), '');
    assert.match(sparkline('X', [1, null, 3]), /<polyline/);
    assert.match(sparkline('X', [1, 3]), /stroke="#1a7f37"/, 'a rising close is green');
    assert.match(
      sparkline('USD', [1.2, 1.1], true),
      /stroke="#1a7f37"/,
      'a falling rate is a stronger currency: green',
    );
  });

  it('FX: a falling rate is a strengthening currency; strongest and weakest against the base', () => {
    assert.ok(
      Math.abs((strengthPercent(fx('USD', 1.1, 1.21)) ?? 0) - 10) < 1e-9,
      '1.21 → 1.10 per EUR is +10 % for USD',
    );
    const s = fxSummary([
      fx('USD', 1.1, 1.21),
      fx('JPY', 132, 130),
      fx('BGN', 1.9558, 1.9558),
      { ...fx('X', 2, 2), previousClose: null },
    ]);
    assert.deepEqual(
      { up: s.strengthened, down: s.weakened, flat: s.unchanged, unknown: s.unknown },
      { up: 1, down: 1, flat: 1, unknown: 1 },
    );
    assert.equal(s.strongest[0]?.quote.symbol, 'USD');
    assert.equal(s.weakest[0]?.quote.symbol, 'JPY');
  });
});
