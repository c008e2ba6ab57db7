// The ECB's whole history (ecb-hist): the XML and the zipped CSV give the same quotes, as streams of
// days; "N/A" is an absent rate, not an error; the page is detected from its start and end; the zip is
// read entry by entry with a cap on what it inflates to; the committed fixtures are what their
// generator derives from the real ECB files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { csvDays, xmlDays } from '../../../ingest/source/ecbHistory.ts';
import { ZipError, unzipEntry } from '../../../ingest/parse/unzip.ts';
import { LayoutError, PageTooLargeForSourceError } from '../../../ingest/source/errors.ts';
import { parsePage, parsePageDays } from '../../../ingest/source/index.ts';
import { SERIES_PAGE_MAX_BYTES } from '../../../ingest/source/types.ts';
import { derive } from '../../fixtures/pages/derived/ecbHistory.ts';
import { DERIVED, page, quoteOf } from './helpers.ts';

const key = (q: { date: string; symbol: string; close?: number | null }): string =>
  `${q.date} ${q.symbol} ${q.close}`;

describe('ecb-hist: the whole history, as XML or as the zipped CSV', () => {
  it('the committed fixtures are exactly what fixtures/pages/derived/ecbHistory.ts derives from the real files', () => {
    const { xml, zip } = derive();
    assert.equal(page(DERIVED.ecbHistXml).toString('utf8'), xml);
    assert.deepEqual(new Uint8Array(page(DERIVED.ecbHistZip)), zip);
  });

  it('detects both forms as ecb-hist and parses them to the same 2,079 rates of 65 days', () => {
    const xml = parsePage({ body: page(DERIVED.ecbHistXml) });
    const csv = parsePage({ body: page(DERIVED.ecbHistZip) });
    assert.equal(xml.source, 'ecb-hist');
    assert.equal(csv.source, 'ecb-hist');
    assert.equal(xml.quotes.length, 2079);
    assert.deepEqual(csv.quotes.map(key).sort(), xml.quotes.map(key).sort());
    assert.deepEqual([xml.rejected, csv.rejected], [[], []]);
    assert.equal(new Set(xml.quotes.map((q) => q.date)).size, 65);
    const usd = quoteOf(csv.quotes, 'USD', '2022-07-08');
    assert.deepEqual([usd.currency, usd.close], ['EUR', 1.0163]);
    // Both forms build quotes of one shape, so a date's digest does not depend on the form.
    assert.deepEqual(Object.keys(quoteOf(xml.quotes, 'USD', '2022-07-08')), Object.keys(usd));
  });

  it('"N/A" and empty CSV cells are absent rates, not rejected rows; a bad number is rejected by row', () => {
    const text = 'Date,USD,CYP,JPY,\n2024-01-05,1.0921,N/A,,\n2024-01-04,1.09x,N/A,158.61,\n';
    const days = [...csvDays([text], 'ecb-hist')];
    assert.deepEqual(
      days.map((d) => [d.date, d.quotes.map((q) => `${q.symbol}=${q.close}`)]),
      [
        ['2024-01-05', ['USD=1.0921']],
        ['2024-01-04', ['JPY=158.61']],
      ],
    );
    assert.deepEqual(days[0]!.rejected, []);
    assert.equal(days[1]!.rejected.length, 1);
    assert.match(days[1]!.rejected[0]!.reason, /1\.09x/);
  });

  it('streams: chunks cut anywhere (inside a tag, an attribute, a CSV cell) give the same days', () => {
    const xmlText = page(DERIVED.ecbHistXml).toString('utf8');
    const csvText = [...unzipEntry(page(DERIVED.ecbHistZip), { wanted: /csv$/, maxBytes: 1e7, what: 't' })]
      .map((b) => Buffer.from(b).toString('utf8'))
      .join('');
    const cut = (text: string, n: number): string[] =>
      Array.from({ length: Math.ceil(text.length / n) }, (_, i) => text.slice(i * n, (i + 1) * n));
    const whole = (days: Iterable<{ date: string; quotes: unknown[] }>): string =>
      JSON.stringify([...days].map((d) => [d.date, d.quotes]));
    for (const n of [7, 1000]) {
      assert.equal(whole(xmlDays(cut(xmlText, n), 'ecb-hist')), whole(xmlDays([xmlText], 'ecb-hist')));
      assert.equal(whole(csvDays(cut(csvText, n), 'ecb-hist')), whole(csvDays([csvText], 'ecb-hist')));
    }
  });

  it('yields days one at a time, newest first, as the page orders them', () => {
    const days = parsePageDays({ body: page(DERIVED.ecbHistZip) }).days[Symbol.iterator]();
    assert.equal(days.next().value?.date, '2022-07-08');
    assert.equal(days.next().value?.date, '2021-07-05');
  });

  it('a page larger than a daily page is still detected as the whole history, from its start and end', () => {
    // The fixture's days repeated until the page passes the 4 MiB daily cap.
    const text = page(DERIVED.ecbHistXml).toString('utf8');
    const open = text.indexOf('<Cube><Cube time=') + '<Cube>'.length;
    const close = text.lastIndexOf('</Cube></gesmes');
    const days = text.slice(open, close);
    const big = Buffer.from(`${text.slice(0, open)}${days.repeat(60)}${text.slice(close)}`);
    assert.ok(big.length > 4 * 1024 * 1024);
    const parsed = parsePageDays({ body: big });
    assert.equal(parsed.adapter.id, 'ecb-hist');
  });

  it('a page over the series cap is refused, naming the cap', () => {
    const body = Buffer.alloc(SERIES_PAGE_MAX_BYTES + 1, 32);
    assert.throws(() => parsePageDays({ body }, { source: 'ecb-hist' }), PageTooLargeForSourceError);
  });

  it('an XML without day cubes, or a CSV without its header, is a LayoutError', () => {
    assert.throws(() => [...xmlDays(['<?xml version="1.0"?><gesmes:Envelope/>'], 'ecb-hist')], LayoutError);
    assert.throws(() => [...csvDays(['USD,JPY\n1,2\n'], 'ecb-hist')], LayoutError);
  });
});

describe('unzipEntry', () => {
  const csv = strToU8(`Date,USD,\n${'2024-01-05,1.0921,\n'.repeat(300_000)}`);
  const zip = zipSync({ 'notes.txt': strToU8('hello'), 'eurofxref-hist.csv': csv });

  it('yields the named entry in chunks of at most ~1 MiB, however compressible, that join to its bytes', () => {
    const chunks = [...unzipEntry(zip, { wanted: /\.csv$/, maxBytes: 1e8, what: 't' })];
    assert.ok(chunks.length > 3, `${chunks.length} chunks for ${csv.length} bytes`);
    assert.ok(chunks.every((c) => c.length <= 1100 * 1024));
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(csv));
  });

  it('refuses an entry that inflates past the cap, however small the archive (a zip bomb)', () => {
    assert.ok(zip.length < 40_000, `compressed ${zip.length} bytes`);
    assert.throws(
      () => [...unzipEntry(zip, { wanted: /\.csv$/, maxBytes: 100_000, what: 'ecb-hist' })],
      (e: unknown) => e instanceof ZipError && /inflates past the 100000-byte limit/.test(e.message),
    );
  });

  it('a truncated archive, or one without the entry, is a ZipError with the fix', () => {
    assert.throws(
      () => [...unzipEntry(zip.subarray(0, zip.length / 2), { wanted: /\.csv$/, maxBytes: 1e8, what: 't' })],
      ZipError,
    );
    assert.throws(
      () => [...unzipEntry(zip, { wanted: /\.xml$/, maxBytes: 1e8, what: 't' })],
      /holds no file matching/,
    );
  });
});

describe('ecb-hist fixtures come from the real files', () => {
  it('every rate of the 90-day file is in the derived history', () => {
    const ninety = parsePage({
      body: readFileSync(
        new URL('../../fixtures/pages/real/ecb/eurofxref-hist-90d_2021-07-05.xml', import.meta.url),
      ),
    });
    const hist = new Set(parsePage({ body: page(DERIVED.ecbHistXml) }).quotes.map(key));
    assert.ok(ninety.quotes.every((q) => hist.has(key(q))));
  });
});

describe('page caps', () => {
  it('the fetch client accepts the largest page a source does; a daily source asks for its own 4 MiB', async () => {
    const { DEFAULT_MAX_RESPONSE_BYTES } = await import('../../../ingest/fetch/client.ts');
    const { LARGEST_PAGE_BYTES, getSource } = await import('../../../ingest/source/index.ts');
    const { pageLimit } = await import('../../../ingest/source/types.ts');
    assert.equal(DEFAULT_MAX_RESPONSE_BYTES, LARGEST_PAGE_BYTES);
    assert.equal(pageLimit(getSource('dse')).maxBytes, 4 * 1024 * 1024);
    assert.equal(pageLimit(getSource('ecb-hist')).maxBytes, SERIES_PAGE_MAX_BYTES);
  });
});
