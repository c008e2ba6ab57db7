// Exchange rates on the page say what they are and read one way: the table's rates are "units per
// 1 EUR"; the currency's move is shown with one sign and colour convention (+ stronger, green) in the
// table and in the strongest/weakest panels alike; each currency keeps its own fixed decimals.
// The case is the real ECB 2021-07-02 page, which showed JPY −0.51% red beside JPY +0.52% green.
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { readFileSync } from 'node:fs';
import { deriveFromPrevious } from '../../ingest/history/derive.ts';
import { parsePage } from '../../ingest/source/index.ts';
import { getSource } from '../../ingest/source/index.ts';
import { renderIndex } from '../../site/page.ts';
import { assetUrls } from '../../site/render.ts';
import { symbolPlaces } from '../../site/table.ts';
import { publishKeys, type LatestPointer } from '../../contract/index.ts';

const ECB90 = 'test/fixtures/pages/real/ecb/eurofxref-hist-90d_2021-07-05.xml';

function page(): cheerio.CheerioAPI {
  const all = parsePage({ body: readFileSync(ECB90) }).quotes;
  const day = (d: string) => all.filter((q) => q.date === d);
  const previous = {
    date: '2021-07-01',
    closes: new Map(day('2021-07-01').map((q) => [q.symbol, q.close!])),
  };
  const quotes = deriveFromPrevious(day('2021-07-02'), previous).quotes;
  const dates = ['2021-06-30', '2021-07-01', '2021-07-02'];
  const closes: Record<string, (number | null)[]> = {};
  for (const q of quotes)
    closes[q.symbol] = dates.map(
      (d) => all.find((x) => x.date === d && x.symbol === q.symbol)?.close ?? null,
    );
  closes.DKK = [7.4885, 7.436, 7.436];
  const id = '2021-07-02T16-00-00.000Z-0123abcd';
  const pointer: LatestPointer = {
    source: 'ecb-hist-90d',
    date: '2021-07-02',
    fetchedAt: '2021-07-02T16:00:00.000Z',
    generatedAt: '2021-07-02T16:00:00.000Z',
    version: 't',
    sourceUrl: 'https://www.ecb.europa.eu/x.xml',
    publishId: id,
    counts: { quotes: quotes.length, rejected: 0 },
    keys: { raw: 'raw/x', ...publishKeys('ecb-hist-90d', '2021-07-02', id), index: 'index.html', assets: [] },
  };
  return cheerio.load(
    renderIndex(
      { pointer, quotes, source: getSource('ecb-hist-90d'), history: { dates, closes } },
      assetUrls(),
    ),
  );
}

describe('site: exchange rates read one way', () => {
  const $ = page();
  const header = $('thead th')
    .map((_, th) => $(th).text().trim())
    .get();
  const col = (label: string): number => header.indexOf(label);
  const cell = (symbol: string, label: string) =>
    $('tbody tr')
      .filter((_, tr) => $(tr).find('th').text() === symbol)
      .find('th, td')
      .eq(col(label));

  it('heads the rate as units per 1 EUR (not "Close EUR") and says so above the table', () => {
    assert.ok(header.includes('Units per 1 EUR'), header.join(' | '));
    assert.ok(!header.some((h) => /^Close/.test(h)), header.join(' | '));
    assert.match($('#quotes-note').text(), /units of each currency per 1 EUR/);
  });

  it('JPY on 2021-07-02: +0.52% and green in the table and in "Strongest vs EUR" alike', () => {
    const strength = cell('JPY', 'Against EUR');
    assert.equal(strength.text(), '+0.52%');
    assert.match(strength.attr('class') ?? '', /\bup\b/);
    assert.match($('#fx-up-desc').text(), /JPY \+0\.52%/);
    // The rate's own change (131.74 − 132.42) is shown signed but not coloured: colour means strength.
    const change = cell('JPY', 'Change');
    assert.equal(change.text(), '-0.68');
    assert.doesNotMatch(change.attr('class') ?? '', /\b(up|down)\b/);
  });

  it('each currency keeps its own fixed decimals: DKK 7.4360 beside 7.4885, GBP 0.86003, JPY 131.74', () => {
    assert.equal(cell('DKK', 'Units per 1 EUR').text(), '7.4360');
    assert.equal(cell('GBP', 'Units per 1 EUR').text(), '0.86003');
    assert.equal(cell('GBP', 'Previous').text(), '0.86033');
    assert.equal(cell('JPY', 'Units per 1 EUR').text(), '131.74');
    assert.deepEqual(
      [
        ...symbolPlaces([{ source: 's', date: 'd', symbol: 'X', close: 0.86 }], {
          dates: ['a'],
          closes: { X: [0.85665] },
        }),
      ],
      [['X', 5]],
      '0.86 after 0.85665 is 0.86000',
    );
  });
});
