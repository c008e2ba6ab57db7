import assert from 'node:assert/strict';
import type { Quote } from '../../contract/quote.ts';
import { absoluteChange, direction, percentChange, summarize } from '../../site/summary.ts';

function q(symbol: string, fields: Partial<Quote> = {}): Quote {
  return { source: 't', date: '2026-04-23', symbol, ...fields };
}

describe('site summary', () => {
  describe('change of one quote', () => {
    const cases: [string, Partial<Quote>, number | null, number | null, 1 | -1 | 0 | null][] = [
      ['change given', { change: 1.5, previousClose: 10 }, 1.5, 15, 1],
      ['close − previousClose', { close: 9, previousClose: 10 }, -1, -10, -1],
      ['percent given wins', { change: 1, previousClose: 10, changePercent: 9.5 }, 1, 9.5, 1],
      ['percent only', { changePercent: -2.5 }, null, -2.5, -1],
      ['previous close derived from close − change', { close: 11, change: 1 }, 1, 10, 1],
      ['unchanged', { close: 10, previousClose: 10 }, 0, 0, 0],
      ['float noise is unchanged', { close: 0.3, previousClose: 0.1 + 0.2 }, 0.3 - (0.1 + 0.2), 0, 0],
      ['nothing known', { close: 10 }, null, null, null],
      [
        'null fields are missing, not zero',
        { close: null, previousClose: null, change: null },
        null,
        null,
        null,
      ],
      ['previous close 0 gives no percent', { close: 1, previousClose: 0 }, 1, null, 1],
    ];
    for (const [name, fields, abs, pct, dir] of cases) {
      it(name, () => {
        const quote = q('X', fields);
        assert.equal(absoluteChange(quote), abs);
        const p = percentChange(quote);
        if (pct === null) assert.equal(p, null);
        else assert.ok(p !== null && Math.abs(p - pct) < 1e-6, `percent ${p} ≠ ${pct}`);
        assert.equal(direction(quote), dir);
      });
    }
  });

  it('counts breadth, sums turnover and ranks the top movers', () => {
    const quotes = [
      q('UP1', { close: 11, previousClose: 10, turnover: 1000 }), // +10 %
      q('UP2', { change: 2, previousClose: 10, turnover: 500 }), // +20 %
      q('UP3', { changePercent: 5 }),
      q('DN1', { close: 9, previousClose: 10, turnover: null }), // −10 %
      q('DN2', { changePercent: -30 }),
      q('FLAT', { change: 0, previousClose: 10 }),
      q('NONE', { close: 10 }),
    ];
    const s = summarize(quotes);
    assert.deepEqual(
      { i: s.instruments, a: s.advancers, d: s.decliners, u: s.unchanged, n: s.unknown, t: s.turnover },
      { i: 7, a: 3, d: 2, u: 1, n: 1, t: 1500 },
    );
    assert.deepEqual(
      s.gainers.map((m) => [m.quote.symbol, Math.round(m.percent)]),
      [
        ['UP2', 20],
        ['UP1', 10],
        ['UP3', 5],
      ],
    );
    assert.deepEqual(
      s.losers.map((m) => [m.quote.symbol, Math.round(m.percent)]),
      [
        ['DN2', -30],
        ['DN1', -10],
      ],
    );
  });

  it('keeps only the top N, ties broken by symbol, and reports no turnover as null', () => {
    const quotes = ['F', 'E', 'D', 'C', 'B', 'A', 'G'].map((s, i) => q(s, { changePercent: i < 6 ? 3 : 1 }));
    const s = summarize(quotes, 5);
    assert.deepEqual(
      s.gainers.map((m) => m.quote.symbol),
      ['A', 'B', 'C', 'D', 'E'],
    );
    assert.equal(s.turnover, null);
    assert.deepEqual(s.losers, []);
  });

  it('handles an empty day', () => {
    const s = summarize([]);
    assert.deepEqual([s.instruments, s.advancers, s.gainers.length, s.turnover], [0, 0, 0, null]);
  });
});
