// History on the page: sparklines, the per-symbol page, day navigation, the FX summary, and the
// page weight for 400 symbols × 30 days.
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { firstViewBytesGzip, sampleSiteInput } from '../../bench/site.ts';
import type { Quote } from '../../contract/quote.ts';
import { fxSummary, strengthPercent } from '../../site/fx.ts';
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
    assert.equal(href, `/${input.nav?.symbolsPage}#${symbolId('SYM0000')}`);
    const sym = cheerio.load(renderSymbols(input));
    assert.equal(sym(`#${symbolId('SYM0000')} svg.chart-close`).length, 1, 'the link target holds the chart');
    assert.equal(sym('[style], script').length, 0, 'no inline style or script (CSP)');
  });

  it('navigation: previous day, latest, and every published day up to this one', () => {
    const input = sampleSiteInput(2, 4);
    const $ = cheerio.load(renderIndex(input, assetUrls()));
    assert.equal($('nav.days a[rel="prev"]').attr('href'), `/${input.nav?.previous?.page}`);
    assert.equal($('nav.days ol.day-list li').length, 4);
    assert.equal($('nav.days [aria-current="page"]').text(), input.pointer.date);
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
