// Detection picks exactly the right adapter for every fixture; layout changes fail with named columns.
import assert from 'node:assert/strict';
import { detectSource, getSource, parsePage, SOURCES } from '../../../ingest/source/index.ts';
import {
  LayoutError,
  UndetectedSourceError,
  UnknownSourceError,
  WrongSourceError,
} from '../../../ingest/source/errors.ts';
import { decodePage } from '../../../ingest/parse/decode.ts';
import { DERIVED, page, REAL } from './helpers.ts';

const EXPECTED: [string, string][] = [
  [REAL.dse, 'dse'],
  [REAL.gpwArchive, 'gpw-archive'],
  [REAL.gpwQuotations, 'gpw-quotations'],
  [REAL.gpw2016, 'gpw-2016'],
  [REAL.nseIndex, 'nse-index'],
  [REAL.nseFo, 'nse-fo'],
  [REAL.ecbDaily, 'ecb-daily'],
  [REAL.ecb90d, 'ecb-hist-90d'],
  [DERIVED.ecbHistXml, 'ecb-hist'],
  ['excerpts/dse.html', 'dse'],
  ['excerpts/gpw-archive.html', 'gpw-archive'],
  ['excerpts/gpw-quotations.html', 'gpw-quotations'],
  ['excerpts/gpw-2016.html', 'gpw-2016'],
  ['excerpts/nse-index.html', 'nse-index'],
  ['excerpts/nse-fo.html', 'nse-fo'],
  ['excerpts/ecb-daily.xml', 'ecb-daily'],
  ['excerpts/ecb-hist-90d.xml', 'ecb-hist-90d'],
  ['crafted/gpw-2016-windows-1250.html', 'gpw-2016'],
  ['crafted/dse-renamed-header.html', 'dse'],
];

describe('source registry', () => {
  for (const [file, id] of EXPECTED) {
    it(`detects ${file} as ${id} and no other`, () => {
      const text = decodePage(page(file)).text;
      assert.deepEqual(
        SOURCES.filter((s) => s.detect(text)).map((s) => s.id),
        [id],
      );
      assert.equal(detectSource(text).id, id);
    });
  }

  it('an unrecognized page lists the known sources', () => {
    assert.throws(
      () => detectSource('<html><table><tr><td>1</td></tr></table></html>'),
      (err: unknown) => {
        assert.ok(err instanceof UndetectedSourceError);
        assert.match(
          err.oneLine(),
          /known: dse, gpw-archive, gpw-quotations, gpw-2016, nse-index, nse-fo, ecb-daily, ecb-hist-90d/,
        );
        return true;
      },
    );
  });

  it('getSource: unknown id lists the known ids (exit code 2)', () => {
    assert.equal(getSource('nse-fo').id, 'nse-fo');
    assert.throws(
      () => getSource('nyse'),
      (err: unknown) => {
        assert.ok(err instanceof UnknownSourceError);
        assert.equal(err.exitCode, 2);
        assert.match(err.oneLine(), /unknown source "nyse" — use one of: dse, .*ecb-hist-90d/);
        return true;
      },
    );
  });

  it('every adapter has sane metadata', () => {
    for (const s of SOURCES) {
      assert.match(s.defaultUrl, /^https?:\/\/[^/]+\//, s.id);
      assert.ok(s.minQuotes >= 1, s.id);
      assert.equal(s.ext, s.id.startsWith('ecb') ? 'xml' : 'html');
    }
  });
});

describe('layout changes', () => {
  const cases: [string, string, string[], Record<string, string>][] = [
    ['crafted/dse-renamed-header.html', 'dse', ['"CLOSEP*" (close)'], {}],
    ['crafted/gpw-archive-missing-close.html', 'gpw-archive', ['"Closing price" (close)'], {}],
    ['crafted/gpw-2016-renamed-header.html', 'gpw-2016', ['"Kurs maks" (high)'], { date: '2016-09-09' }],
  ];
  for (const [file, source, missing, opts] of cases) {
    it(`${file}: LayoutError names ${missing.join(', ')}`, () => {
      assert.throws(
        () => parsePage({ body: page(file) }, { source, ...opts }),
        (err: unknown) => {
          assert.ok(err instanceof LayoutError);
          assert.equal(err.source, source);
          assert.deepEqual(err.missing, missing);
          assert.match(err.message, /page layout changed: missing column/);
          return true;
        },
      );
    });
  }

  it('a page recognisably of another source, given to an adapter, names that source (not "update the adapter")', () => {
    assert.throws(
      () => parsePage({ body: page(REAL.nseFo) }, { source: 'dse' }),
      (err: unknown) => {
        assert.ok(err instanceof WrongSourceError, String(err));
        assert.equal(err.named, 'dse');
        assert.equal(err.detected, 'nse-fo');
        assert.match(err.oneLine(), /the page is a nse-fo page, not dse .* pass --source nse-fo/);
        // The layout failure stays the cause, for the log.
        assert.ok(err.cause instanceof LayoutError);
        assert.deepEqual(err.cause.missing, ['table']);
        return true;
      },
    );
    assert.throws(
      () => parsePage({ body: page(REAL.dse) }, { source: 'gpw-archive' }),
      /the page is a dse page, not gpw-archive/,
    );
  });

  it('the wrong table for an adapter lists what it has instead, when no other source claims the page', () => {
    const body = Buffer.from(
      '<table><tr><th>Date</th><th>Open</th><th>Shares Traded</th></tr><tr><td>02-Nov-2015</td><td>1</td><td>2</td></tr></table>',
    );
    assert.throws(
      () => parsePage({ body }, { source: 'nse-fo' }),
      (err: unknown) =>
        err instanceof LayoutError &&
        err.missing.includes('"Symbol" (symbol)') &&
        /Shares Traded/.test(err.message),
    );
  });

  it('an XML page without rate cubes is a LayoutError', () => {
    assert.throws(
      () => parsePage({ body: Buffer.from('<?xml version="1.0"?><x/>') }, { source: 'ecb-daily' }),
      LayoutError,
    );
  });
});
