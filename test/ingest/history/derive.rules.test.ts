// What is derived from the previous published day and what never is (issue 19): a page that gives
// a change but no previous close gets close − change, never the history's close; rounding decides a disagreement at half a unit.
import assert from 'node:assert/strict';
import { beyondRounding, decimals, deriveFromPrevious } from '../../../ingest/history/derive.ts';
import type { Quote } from '../../../contract/quote.ts';

const q = (fields: Partial<Quote>): Quote => ({ source: 's', date: '2026-11-30', symbol: 'A', ...fields });
const prev = { date: '2026-11-27', closes: new Map([['A', 10]]) };

describe('history: derivation rules', () => {
  it("a page that gives a change but no previous close: the previous close is the page's (close − change), never the history's", () => {
    // The history says 10; the page's own close 10.5 and change 0.3 imply 10.2. The page's figures win
    // (its change may be against an adjusted close), the history's disagreement is reported.
    const { quotes, disagreements } = deriveFromPrevious([q({ close: 10.5, change: 0.3 })], prev);
    const [a] = quotes;
    assert.equal(
      a?.previousClose,
      10.2,
      "previousClose is close − change from the page, not the history's 10",
    );
    assert.equal(a?.change, 0.3, 'the change the page gave is kept');
    assert.equal(a?.changePercent, 2.9412, 'the percentage against the page-implied previous close');
    assert.deepEqual(a?.derived, ['previousClose', 'changePercent']);
    assert.deepEqual(disagreements, [{ symbol: 'A', field: 'change', page: 0.3, fromHistory: 0.5 }]);
  });

  it("a page's change that the previous close contradicts beyond rounding is reported", () => {
    const { disagreements } = deriveFromPrevious([q({ close: 10.5, change: 0.7 })], prev);
    assert.deepEqual(disagreements, [{ symbol: 'A', field: 'change', page: 0.7, fromHistory: 0.5 }]);
  });

  it('a derived change keeps the decimals of the closes; a percentage four', () => {
    const [a] = deriveFromPrevious([q({ close: 10.333 })], prev).quotes;
    assert.deepEqual({ c: a?.change, pct: a?.changePercent }, { c: 0.333, pct: 3.33 });
    const [b] = deriveFromPrevious([q({ close: 3 })], { date: 'x', closes: new Map([['A', 7]]) }).quotes;
    assert.deepEqual({ c: b?.change, pct: b?.changePercent }, { c: -4, pct: -57.1429 });
  });

  it('no percentage against a previous close of zero; no derivation without a previous day', () => {
    const [a] = deriveFromPrevious([q({ close: 1 })], { date: 'x', closes: new Map([['A', 0]]) }).quotes;
    assert.deepEqual(a?.derived, ['previousClose', 'change']);
    assert.equal(a?.changePercent, undefined);
    const page = q({ close: 1 });
    assert.equal(deriveFromPrevious([page], null).quotes[0], page, 'returned as the page gave it');
  });

  it('half a unit of the last decimal is within rounding; more is beyond', () => {
    assert.equal(decimals(1.23), 2);
    assert.equal(decimals(5), 0);
    assert.equal(decimals(1e-7), 10);
    assert.equal(beyondRounding(1.2, 1.25), false, '0.05 is half of 0.1');
    assert.equal(beyondRounding(1.2, 1.26), true);
    assert.equal(beyondRounding(12, 11.5), false);
    assert.equal(beyondRounding(12, 11.4), true);
  });
});
