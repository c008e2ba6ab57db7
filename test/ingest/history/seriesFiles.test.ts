// The pure rules behind whole histories: when the per-symbol series files must be rewritten, what a
// rewrite holds, the compact day store (quotes come back exactly as they went in, so digests hold),
// and the previous published date of each day.
import assert from 'node:assert/strict';
import type { Quote } from '../../../contract/quote.ts';
import { DayStore, packQuotes, unpackQuotes } from '../../../ingest/history/dayStore.ts';
import { previousDates, quotesDigest } from '../../../ingest/history/plan.ts';
import {
  addedPoints,
  mergeSeries,
  needsRefresh,
  parseSeriesCsv,
  seriesCsv,
} from '../../../ingest/history/series.ts';
import type { HistoryWindow } from '../../../ingest/history/types.ts';
import { blankQuote } from '../../../ingest/source/generic/rows.ts';

const win = (dates: string[]): HistoryWindow => ({ source: 's', dates, closes: {} });
const d = (n: number): string => `2024-01-${String(n).padStart(2, '0')}`;
const range = (a: number, b: number): string[] => Array.from({ length: b - a + 1 }, (_, i) => d(a + i));

describe('series files: when to rewrite them', () => {
  it('not while the window holds every published date (no files yet, or none after them)', () => {
    assert.equal(needsRefresh(undefined, range(1, 5), win(range(1, 5)), [d(5)]), false);
    const series = { id: 'x', through: d(10), symbols: ['A'] };
    assert.equal(needsRefresh(series, range(1, 20), win(range(5, 20)), [d(20)]), false);
  });

  it('once a published date after them falls out of the window (a gap in the charts)', () => {
    assert.equal(
      needsRefresh(undefined, range(1, 6), win(range(2, 6)), [d(6)]),
      true,
      'no files, day 1 dropped',
    );
    const series = { id: 'x', through: d(10), symbols: ['A'] };
    // The window now starts at day 12: day 11 (after `through`) would be in neither.
    assert.equal(needsRefresh(series, range(1, 20), win(range(12, 20)), [d(20)]), true);
    // Starting at day 11 still covers every date after `through`.
    assert.equal(needsRefresh(series, range(1, 20), win(range(11, 20)), [d(20)]), false);
  });

  it('when a publish changes a date the files already hold (a backfill or a correction)', () => {
    const series = { id: 'x', through: d(10), symbols: ['A'] };
    assert.equal(
      needsRefresh(series, range(1, 12), win(range(1, 12)), [d(10)]),
      true,
      'the last covered day',
    );
    assert.equal(needsRefresh(series, range(1, 12), win(range(1, 12)), [d(11)]), false, 'a day after them');
  });
});

describe('series files: what a rewrite holds', () => {
  it('CSV round-trips: a date,close line per close', () => {
    const points: [string, number][] = [
      [d(1), 1.1866],
      [d(2), 0.86003],
    ];
    assert.equal(seriesCsv(points), 'date,close\n2024-01-01,1.1866\n2024-01-02,0.86003\n');
    assert.deepEqual(parseSeriesCsv(seriesCsv(points)), points);
  });

  it('the old file plus the window and the batch; the batch wins a date; dates stay ascending', () => {
    const window: HistoryWindow = { source: 's', dates: [d(3), d(4)], closes: { A: [3, null], B: [30, 40] } };
    const batch = [{ date: d(4), quotes: [{ source: 's', date: d(4), symbol: 'A', close: 4.5 }] }];
    const added = addedPoints(window, batch);
    assert.deepEqual(
      [...(added.get('A') ?? [])],
      [
        [d(3), 3],
        [d(4), 4.5],
      ],
    );
    assert.deepEqual(
      [...(added.get('B') ?? [])],
      [
        [d(3), 30],
        [d(4), 40],
      ],
    );
    const old = seriesCsv([
      [d(1), 1],
      [d(2), 2],
    ]);
    assert.equal(
      mergeSeries(old, added.get('A')),
      seriesCsv([
        [d(1), 1],
        [d(2), 2],
        [d(3), 3],
        [d(4), 4.5],
      ]),
    );
    // A date the old file holds is replaced, not repeated.
    assert.equal(
      mergeSeries(
        old,
        new Map([
          [d(2), 2.5],
          [d(5), 5],
        ]),
      ),
      seriesCsv([
        [d(1), 1],
        [d(2), 2.5],
        [d(5), 5],
      ]),
    );
    assert.equal(
      mergeSeries(
        null,
        new Map([
          [d(2), 2],
          [d(1), 1],
        ]),
      ),
      seriesCsv([
        [d(1), 1],
        [d(2), 2],
      ]),
    );
  });
});

describe('the compact day store', () => {
  const quotes = (): Quote[] => [
    { ...blankQuote('ecb-hist', d(1), 'USD'), currency: 'EUR', close: 1.1866 },
    { ...blankQuote('ecb-hist', d(1), 'JPY'), currency: 'EUR', close: 131.58 },
    { ...blankQuote('ecb-hist', d(1), 'X'), currency: 'EUR', close: null, change: -0 },
  ];

  it('gives back the same quotes, key order included, so a date digest does not change', () => {
    const packed = packQuotes(quotes());
    assert.ok(!('quotes' in packed), 'held as columns');
    assert.deepEqual(unpackQuotes(packed), quotes());
    assert.equal(quotesDigest(unpackQuotes(packed)), quotesDigest(quotes()));
    assert.ok(Object.is(unpackQuotes(packed)[2]?.change, -0));
  });

  it('keeps quotes of another shape as they are', () => {
    const odd = [{ source: 's', date: d(1), symbol: 'A', close: 1 }];
    assert.deepEqual(unpackQuotes(packQuotes(odd)), odd);
  });

  it('a later page of the same date replaces the earlier; dates come out ascending', () => {
    const store = new DayStore();
    const raw = {
      key: 'r',
      ext: 'xml' as const,
      contentType: 'application/xml',
      load: async () => Buffer.alloc(0),
    };
    assert.equal(store.add(d(2), quotes(), raw, { quotes: 3, rejected: 0 }), false);
    assert.equal(store.add(d(1), quotes(), raw, { quotes: 3, rejected: 0 }), false);
    assert.equal(store.add(d(2), quotes().slice(0, 1), raw, { quotes: 1, rejected: 0 }), true);
    assert.deepEqual(store.dates(), [d(1), d(2)]);
    assert.equal(store.quotes(d(2)).length, 1);
  });
});

describe('previousDates', () => {
  it('the latest date before each, in any order, or none', () => {
    const before = previousDates([d(5), d(1), d(3), d(3)]);
    assert.deepEqual([d(1), d(2), d(3), d(4), d(9)].map(before), [undefined, d(1), d(1), d(3), d(5)]);
    assert.equal(previousDates([])(d(1)), undefined);
  });
});
