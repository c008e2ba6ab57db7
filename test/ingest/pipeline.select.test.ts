import assert from 'node:assert/strict';
import type { Quote } from '../../contract/quote.ts';
import { selectDate } from '../../ingest/run/selectDate.ts';
import { appInfo } from '../../ingest/run/version.ts';

const q = (date: string, symbol = 'NIFTY 50'): Quote => ({ source: 'nse-index', date, symbol, close: 1 });
const series = ['2015-11-03', '2015-11-02', '2015-11-13', '2015-11-04', '2015-11-05', '2015-11-06'].map((d) =>
  q(d),
);

describe('choosing the published date', () => {
  it('takes the latest date on the page when none is asked for', () => {
    const s = selectDate(series, undefined, '2020-01-01');
    assert.equal(s.date, '2015-11-13');
    assert.deepEqual(s.quotes, [q('2015-11-13')]);
    assert.deepEqual(s.pageDates, [
      '2015-11-02',
      '2015-11-03',
      '2015-11-04',
      '2015-11-05',
      '2015-11-06',
      '2015-11-13',
    ]);
    assert.equal(s.mismatch, undefined);
  });

  it('takes the asked date and only its quotes', () => {
    const s = selectDate([...series, q('2015-11-03', 'BANKNIFTY')], '2015-11-03', '2020-01-01');
    assert.deepEqual(
      s.quotes.map((x) => x.symbol),
      ['NIFTY 50', 'BANKNIFTY'],
    );
  });

  it('reports an asked date the page does not carry, abbreviating long lists', () => {
    const s = selectDate(series, '2015-11-07', '2020-01-01');
    assert.deepEqual(s.quotes, []);
    assert.deepEqual(s.mismatch, {
      check: 'date-mismatch',
      message: 'the page has no quotes for 2015-11-07; it carries 2015-11-02, 2015-11-03 … 2015-11-13',
    });
  });

  it('falls back to the given day for a page without quotes', () => {
    const s = selectDate([], undefined, '2026-04-24');
    assert.deepEqual(
      [s.date, s.quotes.length, s.pageDates.length, s.mismatch],
      ['2026-04-24', 0, 0, undefined],
    );
  });
});

describe('app version', () => {
  it('EXCHANGE_VERSION wins over package.json', () => {
    assert.equal(appInfo({ EXCHANGE_VERSION: '2.0.0-rc1' }).version, '2.0.0-rc1');
  });
  it('defaults to the package.json version', () => {
    assert.match(appInfo({}).version, /^\d+\.\d+\.\d+/);
  });
});
