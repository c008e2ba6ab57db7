// Streaming parse: chunked decoding gives exactly the whole-page text, and a table parsed from
// chunks (split anywhere, even inside a character, a tag or an entity) gives exactly the whole-page
// result, including when the page values a row needs come after the table.
import assert from 'node:assert/strict';
import { decodeChunks, decodePage, sniffCharset } from '../../../ingest/parse/decode.ts';
import { getSource, parsePage } from '../../../ingest/source/index.ts';
import { page, quoteOf, REAL } from './helpers.ts';

const chunksOf = (body: Buffer, size: number): string[] => [...decodeChunks(body, sniffCharset(body), size)];

describe('decodeChunks', () => {
  const polish = Buffer.from('<p>Zażółć gęślą jaźń — ₿ 𝄞</p>', 'utf8');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>Łódź €</p>', 'utf16le')]);
  const cp1250 = Buffer.concat([
    Buffer.from('<meta charset="windows-1250"><p>'),
    Buffer.from([0xa3, 0xf3, 0x64, 0x9f]), // "Łódź"
    Buffer.from('</p>'),
  ]);

  for (const [label, body, text] of [
    ['UTF-8 with 2-, 3- and 4-byte characters', polish, '<p>Zażółć gęślą jaźń — ₿ 𝄞</p>'],
    ['UTF-16LE after a BOM', utf16, '<p>Łódź €</p>'],
    ['windows-1250 declared by <meta>', cp1250, '<meta charset="windows-1250"><p>Łódź</p>'],
  ] as const) {
    it(`${label}: every chunk size joins to the decodePage text`, () => {
      assert.equal(decodePage(body).text, text);
      for (const size of [1, 2, 3, 5, 64]) assert.equal(chunksOf(body, size).join(''), text, `size ${size}`);
    });
  }

  it('yields bounded chunks rather than one string for a large page', () => {
    const body = page(REAL.gpwArchive);
    const chunks = chunksOf(body, 4096);
    assert.ok(chunks.length >= Math.floor(body.length / 4096));
    assert.ok(chunks.every((c) => c.length <= 4096));
    assert.equal(chunks.join(''), decodePage(body).text);
  });
});

describe('streaming table parse', () => {
  for (const [id, file, symbol] of [
    ['gpw-archive', REAL.gpwArchive, 'PKNORLEN'],
    ['dse', REAL.dse, 'GP'],
    ['gpw-quotations', REAL.gpwQuotations, '11B'],
  ] as const) {
    it(`${id}: chunks of 7 and 4096 bytes give the whole-text result`, () => {
      const body = page(file);
      const adapter = getSource(id);
      const whole = adapter.parse(decodePage(body).text, {});
      assert.ok(whole.quotes.length > 100);
      quoteOf(whole.quotes, symbol);
      for (const size of [7, 4096]) {
        assert.deepEqual(adapter.parseChunks!(decodeChunks(body, sniffCharset(body), size), {}), whole);
      }
      assert.deepEqual(parsePage({ body }, { source: id }), whole);
    });
  }

  const mapping = {
    id: 'demo',
    table: 'table.q',
    date: { selector: 'h2.day', pattern: '(\\d{4}-\\d{2}-\\d{2})' },
    columns: { symbol: { header: 'Ticker' }, close: { header: 'Last' } },
  };
  const table =
    '<table class="q"><tr><th>Ticker</th><th>Last</th></tr><tr><td>AAA</td><td>1.5</td></tr>' +
    '<tr><td>BBB</td><td>x</td></tr><tr><td>CCC</td><td>2,000.25</td></tr></table>';
  const expected = {
    source: 'demo',
    quotes: [
      { symbol: 'AAA', close: 1.5 },
      { symbol: 'CCC', close: 2000.25 },
    ],
    rejected: [{ row: 2 }],
  };
  const summary = (r: ReturnType<typeof parsePage>): unknown => ({
    source: r.source,
    quotes: r.quotes.map((q) => ({ symbol: q.symbol, close: q.close })),
    rejected: r.rejected.map((x) => ({ row: x.row })),
  });

  it('a date heading after the table still dates every row (rows wait for it)', () => {
    const before = parsePage(
      { body: Buffer.from(`<h2 class="day">On 2024-05-06</h2>${table}`) },
      { mapping },
    );
    const after = parsePage({ body: Buffer.from(`${table}<h2 class="day">On 2024-05-06</h2>`) }, { mapping });
    assert.deepEqual(summary(before), expected);
    assert.deepEqual(after, before);
    assert.deepEqual(
      after.quotes.map((q) => q.date),
      ['2024-05-06', '2024-05-06'],
    );
  });

  it('a date heading that wraps the table is read once it ends, not cut at the first row', () => {
    const body = Buffer.from(`<div class="day">Prices 2024-05-06 ${table} (final)</div>`);
    const r = parsePage(
      { body },
      { mapping: { ...mapping, date: { ...mapping.date, selector: 'div.day' } } },
    );
    assert.deepEqual(summary(r), expected);
    assert.equal(r.quotes[0]!.date, '2024-05-06');
  });

  it('rows left open by a truncated page are still read', () => {
    const cut = table.replace(/<\/td><\/tr><\/table>$/, '');
    const r = parsePage({ body: Buffer.from(`<h2 class="day">2024-05-06</h2>${cut}`) }, { mapping });
    assert.deepEqual(summary(r), expected);
  });

  it('a missing page date is still the LayoutError it was, after all rows streamed', () => {
    assert.throws(
      () => parsePage({ body: Buffer.from(table) }, { mapping }),
      /trading date not found \("h2\.day"/,
    );
  });
});
