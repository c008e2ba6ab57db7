// The generic table adapter: mapping validation, a committed JSON mapping, header matching rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adapterFromMapping, getSource, parsePage } from '../../../ingest/source/index.ts';
import { DSE_MAPPING } from '../../../ingest/source/dse.ts';
import { LayoutError, MappingError } from '../../../ingest/source/errors.ts';
import { validateMapping } from '../../../ingest/source/generic/mapping.ts';
import { flattenHeaders } from '../../../ingest/source/generic/columns.ts';
import { splitRows } from '../../../ingest/source/generic/adapter.ts';
import { extract } from '../../../ingest/source/generic/extract.ts';
import { parseSelector } from '../../../ingest/source/generic/select.ts';
import { page, REAL } from './helpers.ts';

const dseJson = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../ingest/source/mappings/dse.json', import.meta.url)), 'utf8'),
) as Record<string, unknown>;

const minimal = {
  id: 'demo',
  table: 'table.q',
  date: { fixed: '2024-05-06' },
  columns: { symbol: { header: 'Ticker' }, close: { headerRegex: '^last' } },
};

const html = (rows: string): Buffer =>
  Buffer.from(`<table class="q"><thead><tr><th>Ticker</th><th>Last (PLN)</th></tr></thead>${rows}</table>`);

describe('generic mapping: validation', () => {
  const bad: [string, unknown, RegExp][] = [
    ['a non-object', 3, /mapping \(root\): must be a JSON object/],
    [
      'an unknown top-level key',
      { ...minimal, tabel: 'x' },
      /mapping \(root\)\.tabel: is not a known key — allowed: id, title/,
    ],
    ['a missing table', { ...minimal, table: undefined }, /mapping table: is required/],
    ['a bad id', { ...minimal, id: 'Demo X' }, /mapping id: "Demo X" is not a lowercase id/],
    [
      'an unknown column field',
      { ...minimal, columns: { ...minimal.columns, price: { index: 1 } } },
      /columns\.price: is not a known key — allowed: symbol, name, isin, currency, open/,
    ],
    [
      'an unknown column key',
      { ...minimal, columns: { symbol: { header: 'T', heading: 'x' } } },
      /columns\.symbol\.heading: is not a known key — allowed: header, headerRegex, index/,
    ],
    [
      'two ways to find a column',
      { ...minimal, columns: { symbol: { header: 'T', index: 0 } } },
      /columns\.symbol: needs exactly one of header, headerRegex, index/,
    ],
    [
      'a bad unit',
      { ...minimal, columns: { ...minimal.columns, turnover: { index: 2, unit: 'millions' } } },
      /columns\.turnover\.unit: "millions" is not allowed — allowed: one, thou, mn, lakh, crore, bn/,
    ],
    [
      'a bad locale',
      { ...minimal, numbers: { locale: 'de' } },
      /numbers\.locale: "de" is not allowed — allowed: en, en-IN, pl/,
    ],
    [
      'a bad regex',
      { ...minimal, columns: { symbol: { headerRegex: '(' } } },
      /columns\.symbol\.headerRegex: is not a valid regular expression/,
    ],
    [
      'a bad date format',
      { ...minimal, date: { selector: 'h1', format: 'MM/DD/YYYY' } },
      /date\.format: "MM\/DD\/YYYY" is not allowed — allowed: MMM D, YYYY, DD-MM-YYYY/,
    ],
    ['no symbol', { ...minimal, columns: { close: { index: 1 } } }, /columns\.symbol: is required/],
    ['no date', { ...minimal, date: undefined }, /mapping date: is required \(or columns\.date\)/],
    [
      'an unsupported selector',
      { ...minimal, table: 'div > table' },
      /mapping table: "div > table" is not a supported selector — allowed: tag, \.class/,
    ],
    [
      'a negative index',
      { ...minimal, columns: { symbol: { index: -1 } } },
      /columns\.symbol\.index: "-1" must be an integer >= 0/,
    ],
  ];
  for (const [what, input, msg] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(
        () => validateMapping(JSON.parse(JSON.stringify(input ?? null))),
        (err: unknown) => {
          assert.ok(err instanceof MappingError);
          assert.equal(err.exitCode, 2);
          assert.match(err.oneLine(), msg);
          return true;
        },
      );
    });
  }

  it('accepts the committed example mapping', () => {
    assert.equal(validateMapping(dseJson).id, 'dse');
  });
});

describe('generic mapping: parsing', () => {
  it('the committed dse.json is the built-in DSE preset, and parses the full page identically', () => {
    const { $comment, ...rest } = dseJson;
    assert.equal(typeof $comment, 'string');
    assert.deepEqual(rest, DSE_MAPPING);
    const viaJson = parsePage({ body: page(REAL.dse) }, { mapping: dseJson });
    const builtIn = parsePage({ body: page(REAL.dse) }, { source: 'dse' });
    assert.deepEqual(viaJson, builtIn);
    assert.equal(viaJson.quotes.length, 396);
  });

  it('a new page needs no code: header text, header regex, fixed date, currency, units', () => {
    const mapping = {
      ...minimal,
      currency: 'PLN',
      columns: { ...minimal.columns, turnover: { header: 'Value', unit: 'thou', required: false } },
    };
    const r = parsePage(
      { body: html('<tr><td> ABC </td><td>1,5</td></tr><tr><td>XYZ</td><td>12.25</td></tr>') },
      { mapping },
    );
    assert.equal(r.source, 'demo');
    assert.deepEqual(
      r.quotes.map((q) => [q.symbol, q.close, q.currency, q.date, q.turnover]),
      [['XYZ', 12.25, 'PLN', '2024-05-06', null]],
    );
    assert.deepEqual(r.rejected, [
      { row: 1, reason: 'close: "1,5" is not a number in locale en: digit grouping is not valid' },
    ]);
  });

  it('locale pl and custom missing markers apply per mapping', () => {
    const mapping = { ...minimal, numbers: { locale: 'pl', missing: ['b.d.'] } };
    const r = parsePage(
      { body: html('<tr><td>ABC</td><td>1\u00a0234,5</td></tr><tr><td>XYZ</td><td>b.d.</td></tr>') },
      { mapping },
    );
    assert.deepEqual(
      r.quotes.map((q) => q.close),
      [1234.5, null],
    );
  });

  it('columns by position, date from a selector', () => {
    const mapping = {
      id: 'pos',
      table: 'table',
      date: { selector: 'h1', pattern: '(\\d{2}-\\d{2}-\\d{4})', format: 'DD-MM-YYYY' },
      columns: { symbol: { index: 0 }, volume: { index: 1 } },
    };
    const body = Buffer.from('<h1>Session 31-12-2024</h1><table><tr><td>AAA</td><td>1,000</td></tr></table>');
    assert.deepEqual(
      parsePage({ body }, { mapping }).quotes.map((q) => [q.date, q.volume]),
      [['2024-12-31', 1000]],
    );
  });

  it('a required header that is absent is a LayoutError naming it; an optional one is skipped', () => {
    const mapping = { ...minimal, columns: { ...minimal.columns, volume: { header: 'Volume' } } };
    assert.throws(
      () => parsePage({ body: html('<tr><td>A</td><td>1</td></tr>') }, { mapping }),
      (err: unknown) => {
        assert.ok(err instanceof LayoutError);
        assert.deepEqual(err.missing, ['"Volume" (volume)']);
        assert.match(err.message, /the table has "Ticker", "Last \(PLN\)"/);
        return true;
      },
    );
  });

  it('a header matching two columns is a LayoutError rather than a guess', () => {
    const mapping = { ...minimal, columns: { symbol: { header: 'Ticker' }, volume: { header: 'Volume' } } };
    const body = Buffer.from(
      '<table class="q"><tr><th rowspan="2">Ticker</th><th colspan="2">Best bid</th></tr><tr><th>Volume</th><th>Volume</th></tr><tr><td>A</td><td>1</td><td>2</td></tr></table>',
    );
    assert.throws(
      () => parsePage({ body }, { mapping }),
      /matches several columns: "Best bid \/ Volume", "Best bid \/ Volume"/,
    );
  });

  it('flattens the GPW two-row grouped header into one path per column', () => {
    const { rows } = extract(page(REAL.gpwQuotations).toString('utf8'), {
      source: 'test',
      table: parseSelector('table.footable')!,
      values: [],
      cellAttrs: [],
    });
    const { header, body } = splitRows(rows!);
    assert.equal(header.length, 2);
    assert.equal(body.filter((r) => r.inFoot).length, 1); // the tfoot total row
    const headers = flattenHeaders(header);
    assert.equal(headers.length, 23);
    assert.deepEqual(
      headers.slice(13, 19).map((h) => h.path),
      [
        'Best bid / No. of orders',
        'Best bid / Volume',
        'Best bid / Limit',
        'Best ask / Limit',
        'Best ask / Volume',
        'Best ask / No. of orders',
      ],
    );
    assert.equal(headers[22]!.leaf, 'Cumulated value (PLN thous.)');
  });

  it('detection rules of a mapping are opt-in and all must match', () => {
    const a = adapterFromMapping({ ...minimal, detect: { contains: ['class="q"', 'Ticker'] } });
    assert.equal(a.detect('<table class="q"><th>Ticker</th>'), true);
    assert.equal(a.detect('<table class="q">'), false);
    assert.equal(adapterFromMapping(minimal).detect('<table class="q"><th>Ticker</th>'), false);
    assert.equal(getSource('dse').detect('<table class="q">'), false);
  });
});
