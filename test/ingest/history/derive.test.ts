// Change fields from the previous published day: filled only where the page gave none, listed in
// `derived`; the page's own values kept, and a disagreement beyond the page's rounding reported.
import assert from 'node:assert/strict';
import { beyondRounding, deriveFromPrevious } from '../../../ingest/history/derive.ts';
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

  it('without a previous day (or a new symbol) nothing is derived', () => {
    const quotes = [q('A', { close: 1, change: 0.1 })];
    assert.deepEqual(deriveFromPrevious(quotes, null).quotes, quotes);
    assert.deepEqual(deriveFromPrevious([q('Z', { close: 1 })], prev).quotes[0]?.derived, undefined);
  });

  it('rounding: half a unit of the last decimal the page shows', () => {
    assert.equal(beyondRounding(1.23, 1.234), false);
    assert.equal(beyondRounding(1.23, 1.236), true);
    assert.equal(beyondRounding(100, 100.4), false);
  });
});
