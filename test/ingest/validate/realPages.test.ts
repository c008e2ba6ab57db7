// Every real page passes the publish gate with its source's own defaults for the date ingest would
// publish, and one quote fewer than a source's minQuotes fails it: the per-source minimums are sane.
import assert from 'node:assert/strict';
import { getSource, parsePage } from '../../../ingest/source/index.ts';
import { selectDate } from '../../../ingest/run/selectDate.ts';
import { validateQuotes } from '../../../ingest/validate/index.ts';
import { page, REAL } from '../parse/helpers.ts';

const NOW = new Date('2026-11-30T12:00:00Z');
const CASES: [keyof typeof REAL, string, string | undefined][] = [
  ['dse', 'dse', undefined],
  ['gpwArchive', 'gpw-archive', undefined],
  ['gpwQuotations', 'gpw-quotations', undefined],
  ['gpw2016', 'gpw-2016', '2016-09-09'],
  ['nseIndex', 'nse-index', undefined],
  ['nseFo', 'nse-fo', undefined],
  ['ecbDaily', 'ecb-daily', undefined],
  ['ecb90d', 'ecb-hist-90d', undefined],
];

describe('publish gate over every real page with the source defaults', () => {
  for (const [fixture, id, date] of CASES) {
    it(`${id}: the latest date passes; fewer quotes than minQuotes fail`, () => {
      const result = parsePage({ body: page(REAL[fixture]) }, { source: id, ...(date ? { date } : {}) });
      const selected = selectDate(result.quotes, undefined, '2000-01-01');
      const { minQuotes } = getSource(id);
      const input = { source: id, quotes: selected.quotes, rejectedRows: result.rejected.length };
      assert.deepEqual(validateQuotes(input, { date: selected.date, minQuotes, now: NOW }), []);
      assert.ok(selected.quotes.length >= minQuotes, `${id}: ${selected.quotes.length} < ${minQuotes}`);
      const short = { ...input, quotes: selected.quotes.slice(0, minQuotes - 1) };
      const failures = validateQuotes(short, { date: selected.date, minQuotes, now: NOW });
      assert.deepEqual(
        failures.map((f) => f.check),
        ['min-quotes'],
      );
    });
  }
});
