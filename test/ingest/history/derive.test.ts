// Change fields from the previous published day: filled only where the page gave none, listed in
// `derived`; the page's own values kept, and a disagreement beyond the page's rounding reported.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beyondRounding, deriveFromPrevious } from '../../../ingest/history/derive.ts';
import { fullQuote, quotesCsv } from '../../../ingest/publish/files.ts';
import { parsePage } from '../../../ingest/source/index.ts';
import { percentChange } from '../../../site/summary.ts';
import type { Quote } from '../../../contract/quote.ts';

const q = (symbol: string, fields: Partial<Quote>): Quote => ({
  source: 's',
  date: '2026-11-30',
  symbol,
  ...fields,
});
const prev = {
  date: '2026-11-27',
  closes: new Map([
    ['A', 10],
    ['B', 20],
    ['C', 5],
  ]),
};

describe('history: derive change from the previous published day', () => {
  it('fills previousClose, change and changePercent where the page has none, and says so', () => {
    const [a] = deriveFromPrevious([q('A', { close: 10.5 })], prev).quotes;
    assert.deepEqual(
      { p: a?.previousClose, c: a?.change, pct: a?.changePercent, d: a?.derived },
      { p: 10, c: 0.5, pct: 5, d: ['previousClose', 'change', 'changePercent'] },
    );
  });

  it("keeps the page's values and reports a previous close that disagrees beyond rounding", () => {
    const { quotes, disagreements } = deriveFromPrevious(
      [q('B', { close: 21, previousClose: 19.5 }), q('C', { close: 5.1, previousClose: 5 })],
      prev,
    );
    assert.equal(quotes[0]?.previousClose, 19.5, "the page's previous close is never replaced");
    assert.deepEqual(quotes[0]?.derived, ['change', 'changePercent']);
    assert.deepEqual(
      disagreements,
      [{ symbol: 'B', field: 'previousClose', page: 19.5, fromHistory: 20 }],
      'C agrees with history and is not reported',
    );
  });

  it("without a previous day (or a new symbol) only what the page's own values imply is filled", () => {
    const [a] = deriveFromPrevious([q('A', { close: 1, change: 0.1 })], null).quotes;
    assert.deepEqual(
      { p: a?.previousClose, pct: a?.changePercent, d: a?.derived },
      { p: 0.9, pct: 11.1111, d: ['previousClose', 'changePercent'] },
    );
    const only = [q('Z', { close: 1 })];
    assert.deepEqual(deriveFromPrevious(only, prev).quotes, only, 'a close alone implies nothing');
  });

  it('DSE: the page shows Change % from its change and previous close, so the downloads carry it (derived)', () => {
    const body = readFileSync(
      'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html',
    );
    const parsed = parsePage({ body }, { source: 'dse' }).quotes;
    const gp = parsed.find((x) => x.symbol === 'GP')!;
    assert.equal(gp.changePercent, null, 'the page prints no percent');
    const [done] = deriveFromPrevious([gp], null).quotes;
    assert.ok(typeof gp.change === 'number' && typeof gp.previousClose === 'number');
    assert.equal(done?.changePercent, Number(((gp.change / gp.previousClose) * 100).toFixed(4)));
    assert.deepEqual(done?.derived, ['changePercent']);
    assert.equal(percentChange(done!), done?.changePercent, 'the figure the page shows');
    assert.equal(fullQuote(done!).changePercent, done?.changePercent, 'the JSON carries it');
    assert.match(quotesCsv([done!]), new RegExp(`,${done?.changePercent},`), 'the CSV carries it');
  });

  it('rounding: half a unit of the last decimal the page shows', () => {
    assert.equal(beyondRounding(1.23, 1.234), false);
    assert.equal(beyondRounding(1.23, 1.236), true);
    assert.equal(beyondRounding(100, 100.4), false);
  });
});
