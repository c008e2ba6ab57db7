import assert from 'node:assert/strict';
import type { Quote } from '../../../contract/quote.ts';
import { validateQuotes, type GateInput, type GateOptions } from '../../../ingest/validate/gate.ts';
import { ValidationError, type GateCheck } from '../../../ingest/validate/errors.ts';

const DATE = '2026-04-23';
const NOW = new Date('2026-04-24T02:00:00Z');

function q(symbol: string, fields: Partial<Quote> = {}): Quote {
  return {
    source: 'dse',
    date: DATE,
    symbol,
    open: 10,
    high: 12,
    low: 9,
    close: 11,
    previousClose: 10.5,
    volume: 100,
    trades: 5,
    turnover: 1_100,
    ...fields,
  };
}
const healthy = [q('AAA'), q('BBB'), q('CCC')];
const nine = Array.from({ length: 9 }, (_, i) => q(`S${i}`));
const base: GateOptions = { date: DATE, minQuotes: 3, now: NOW };

function checks(input: Partial<GateInput>, options: Partial<GateOptions> = {}): GateCheck[] {
  return validateQuotes(
    { source: 'dse', quotes: healthy, rejectedRows: 0, ...input },
    { ...base, ...options },
  ).map((f) => f.check);
}

describe('publish gate: core fields a source always carries', () => {
  const dse = Array.from({ length: 10 }, (_, i) => q(`S${i}`));
  const without = (n: number, field: keyof Quote): Quote[] =>
    dse.map((x, i) => (i < n ? { ...x, [field]: null } : x));

  it('a page whose closes are all n/a (null) is refused, naming the field and the share', () => {
    const failures = validateQuotes(
      { source: 'dse', quotes: without(10, 'close'), rejectedRows: 0 },
      { ...base, minQuotes: 1 },
    );
    assert.deepEqual(
      failures.map((f) => [f.check, f.message]),
      [['core-field-share', 'close present in 0 of 10 quotes (0%), fewer than the 50% dse always carries']],
    );
    const err = new ValidationError('dse', DATE, failures);
    assert.match(err.oneLine(), /inspect it with "exchange parse"/);
  });

  it('half of the quotes with a close is the floor: 5 of 10 pass, 4 of 10 do not', () => {
    assert.deepEqual(checks({ quotes: without(5, 'close') }, { minQuotes: 1 }), []);
    assert.deepEqual(checks({ quotes: without(6, 'close') }, { minQuotes: 1 }), ['core-field-share']);
  });

  it('per source: dse needs previousClose and volume too; ecb only close; a mapping only close', () => {
    assert.deepEqual(checks({ quotes: without(10, 'volume') }, { minQuotes: 1 }), ['core-field-share']);
    const ecb = without(10, 'volume').map((x) => ({ ...x, source: 'ecb-daily' }));
    assert.deepEqual(checks({ source: 'ecb-daily', quotes: ecb }, { minQuotes: 1 }), []);
    assert.deepEqual(
      checks({ source: 'my-mapping', quotes: without(10, 'previousClose') }, { minQuotes: 1 }),
      [],
    );
    assert.deepEqual(checks({ source: 'my-mapping', quotes: without(10, 'close') }, { minQuotes: 1 }), [
      'core-field-share',
    ]);
  });
});

describe('publish gate', () => {
  const cases: [string, Partial<GateInput>, Partial<GateOptions>, GateCheck[]][] = [
    ['a healthy page passes', {}, {}, []],
    ['too few quotes', {}, { minQuotes: 4 }, ['min-quotes']],
    ['an empty table', { quotes: [] }, {}, ['min-quotes']],
    ['rejected share at the limit passes', { quotes: nine, rejectedRows: 1 }, {}, []],
    ['rejected share over the limit', { rejectedRows: 1 }, {}, ['rejected-share']],
    ['a raised rejected share passes', { rejectedRows: 1 }, { maxRejectedShare: 0.5 }, []],
    ['series page: share counts the whole page', { rejectedRows: 1, pageQuotes: 99 }, {}, []],
    ['duplicate symbol on the date', { quotes: [...healthy, q('AAA')] }, {}, ['duplicate-symbol']],
    ['empty symbol', { quotes: [...healthy, q(' ')] }, {}, ['missing-symbol']],
    [
      'low above high',
      { quotes: [...healthy, q('DDD', { low: 13, open: null, close: null })] },
      {},
      ['low-above-high'],
    ],
    ['close above high', { quotes: [...healthy, q('DDD', { close: 12.5 })] }, {}, ['price-outside-range']],
    ['open below low', { quotes: [...healthy, q('DDD', { open: 8.9 })] }, {}, ['price-outside-range']],
    ['close within the rounding tolerance', { quotes: [...healthy, q('DDD', { close: 12.01 })] }, {}, []],
    [
      'range unchecked when low is missing',
      { quotes: [...healthy, q('DDD', { low: null, close: 50 })] },
      {},
      [],
    ],
    ['negative price', { quotes: [...healthy, q('DDD', { previousClose: -1 })] }, {}, ['non-positive-price']],
    [
      'zero price (should have been null)',
      { quotes: [...healthy, q('DDD', { open: 0, low: 0 })] },
      {},
      ['non-positive-price', 'non-positive-price'],
    ],
    ['negative volume', { quotes: [...healthy, q('DDD', { volume: -5 })] }, {}, ['negative-count']],
    [
      'negative change is fine',
      { quotes: [...healthy, q('DDD', { change: -1.5, changePercent: -3 })] },
      {},
      [],
    ],
    ['NaN turnover', { quotes: [...healthy, q('DDD', { turnover: Number.NaN })] }, {}, ['not-finite']],
    [
      'name decoded with the wrong charset',
      { quotes: [...healthy, q('DDD', { name: 'Skr\uFFFDt' })] },
      {},
      ['undecodable-text'],
    ],
    [
      'quote of another date',
      { quotes: [...healthy, q('DDD', { date: '2026-04-22' })] },
      {},
      ['date-mismatch'],
    ],
    [
      'same symbol on two dates is not a duplicate',
      { quotes: [...healthy, q('AAA', { date: '2026-04-22' })] },
      {},
      ['date-mismatch'],
    ],
    ['impossible date', { quotes: [] }, { date: '2026-02-30', minQuotes: 0 }, ['bad-date']],
    ['not ISO date', { quotes: [] }, { date: '23.04.2026', minQuotes: 0 }, ['bad-date']],
    [
      'future date',
      { quotes: healthy.map((x) => ({ ...x, date: '2026-04-26' })) },
      { date: '2026-04-26' },
      ['future-date'],
    ],
    [
      'tomorrow in UTC is today east of UTC',
      { quotes: healthy.map((x) => ({ ...x, date: '2026-04-24' })) },
      { date: '2026-04-24', now: new Date('2026-04-23T20:00:00Z') },
      [],
    ],
  ];
  for (const [name, input, options, expected] of cases) {
    it(name, () => assert.deepEqual(checks(input, options), expected));
  }

  it('names the bad value in each failure', () => {
    const [failure] = validateQuotes(
      { source: 'dse', quotes: [q('ZED', { low: 13, open: null, close: null })], rejectedRows: 0 },
      { ...base, minQuotes: 1, coreFieldShares: {} },
    );
    assert.deepEqual(failure, {
      check: 'low-above-high',
      symbol: 'ZED',
      message: 'ZED 2026-04-23: low 13 is above high 12',
    });
  });

  it('ValidationError summarises the first failures in one line with a fix', () => {
    const failures = validateQuotes(
      { source: 'dse', quotes: [q('A'), q('A'), q('A'), q('A')], rejectedRows: 0 },
      { ...base, minQuotes: 5 },
    );
    const err = new ValidationError('dse', DATE, failures, { failedKey: 'failed/dse/2026-04-23/x.html' });
    assert.equal(err.failures.length, 4);
    assert.equal(
      err.oneLine(),
      'dse 2026-04-23: publish gate failed, nothing published: 4 quotes for 2026-04-23, fewer than the minimum 5; ' +
        'symbol "A" appears twice on 2026-04-23; symbol "A" appears twice on 2026-04-23; and 1 more — ' +
        'the page is kept at failed/dse/2026-04-23/x.html; check the URL serves the full quotes table for that date, or lower --min-quotes on purpose',
    );
  });
});
