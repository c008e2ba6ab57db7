// Every built-in layout on its committed excerpt and on the full real page: values, not just counts.
import assert from 'node:assert/strict';
import { parsePage } from '../../../ingest/source/index.ts';
import { MissingDateError } from '../../../ingest/source/errors.ts';
import { QUOTE_FIELDS } from '../../../contract/quote.ts';
import { page, quoteOf, REAL } from './helpers.ts';

const parse = (rel: string, opts: Parameters<typeof parsePage>[1] = {}) =>
  parsePage({ body: page(rel) }, opts);

describe('dse adapter', () => {
  it('full page: 396 quotes dated from h2.BodyHead, values from the table', () => {
    const r = parse(REAL.dse);
    assert.equal(r.source, 'dse');
    assert.equal(r.quotes.length, 396);
    assert.deepEqual(r.rejected, []);
    assert.ok(r.quotes.every((q) => q.date === '2026-04-23' && q.currency === 'BDT' && q.open === null));
    assert.deepEqual(quoteOf(r.quotes, 'GP'), {
      source: 'dse',
      date: '2026-04-23',
      symbol: 'GP',
      name: null,
      isin: null,
      currency: 'BDT',
      open: null,
      high: 246.5,
      low: 242.7,
      close: 245.2,
      previousClose: 242,
      change: 3.2,
      changePercent: null,
      volume: 140502,
      trades: 1051,
      turnover: 34295000,
    });
    assert.deepEqual(Object.keys(r.quotes[0]!), [...QUOTE_FIELDS]);
  });

  it('untraded rows: placeholder 0 prices are null, zero trades/value/volume stay 0', () => {
    const r = parse(REAL.dse);
    const untraded = r.quotes.filter((q) => q.high === null);
    assert.equal(untraded.length, 9);
    const ex = quoteOf(r.quotes, 'EXIMBANK');
    assert.deepEqual([ex.high, ex.low, ex.change, ex.close, ex.previousClose], [null, null, null, 3, 3]);
    assert.deepEqual([ex.trades, ex.turnover, ex.volume], [0, 0, 0]);
  });

  it('excerpt: keeps the nine chosen rows, ignores the marquee tables and the footnote table', () => {
    const r = parse('excerpts/dse.html');
    assert.deepEqual(
      r.quotes.map((q) => q.symbol),
      [
        '1JANATAMF',
        '1STPRIMFMF',
        'AAMRANET',
        'BATBC',
        'BDSERVICE',
        'BEXIMCO',
        'EXIMBANK',
        'GP',
        'SQURPHARMA',
      ],
    );
    const q = quoteOf(r.quotes, '1JANATAMF');
    assert.deepEqual(
      [q.close, q.high, q.low, q.previousClose, q.change, q.trades, q.volume],
      [3, 3.1, 3, 3.1, -0.1, 101, 364169],
    );
    assert.equal(q.turnover, 1104000); // VALUE (mn) 1.104
    assert.equal(quoteOf(r.quotes, 'BDSERVICE').low, null);
  });

  it('a malformed cell and a short row are rejected with reasons; the rest still parse', () => {
    const r = parse('crafted/dse-bad-rows.html');
    assert.equal(r.quotes.length, 7);
    assert.deepEqual(r.rejected, [
      { row: 1, reason: 'close: "3..0" is not a number in locale en: more than one "."' },
      { row: 6, reason: 'row has 10 cells, volume expects column 11' },
    ]);
  });

  it('an empty table parses to no quotes (the publish gate then refuses it)', () => {
    assert.deepEqual(parse('crafted/dse-empty-table.html'), { source: 'dse', quotes: [], rejected: [] });
  });
});

describe('gpw-archive adapter', () => {
  it('full page: 431 quotes, symbol = Name, ISIN column, turnover from thousands', () => {
    const r = parse(REAL.gpwArchive);
    assert.equal(r.quotes.length, 431);
    assert.deepEqual(r.rejected, []);
    const lpp = quoteOf(r.quotes, 'LPP');
    assert.deepEqual(
      [
        lpp.isin,
        lpp.currency,
        lpp.open,
        lpp.high,
        lpp.low,
        lpp.close,
        lpp.changePercent,
        lpp.volume,
        lpp.trades,
        lpp.turnover,
      ],
      ['PLLPP0000011', 'PLN', 8500, 8500, 8070, 8100, -2.23, 2287, 906, 18755470],
    );
    assert.equal(r.quotes.filter((q) => q.open === null).length, 33);
    assert.ok(r.quotes.every((q) => q.date === '2021-01-04'));
  });

  it('excerpt: untraded ATLANTIS keeps its closing price, 0.0000 prices become null', () => {
    const r = parse('excerpts/gpw-archive.html');
    assert.equal(r.quotes.length, 8);
    const a = quoteOf(r.quotes, 'ATLANTIS');
    assert.deepEqual(
      [a.open, a.high, a.low, a.close, a.volume, a.trades, a.turnover],
      [null, null, null, 0.71, 0, 0, 0],
    );
    assert.equal(quoteOf(r.quotes, '06MAGNA').turnover, 319910);
  });
});

describe('gpw-quotations adapter', () => {
  it('full page: 392 quotes, the tfoot total is not a row, date from the footable capture time', () => {
    const r = parse(REAL.gpwQuotations);
    assert.equal(r.quotes.length, 392);
    assert.deepEqual(r.rejected, []);
    assert.ok(r.quotes.every((q) => q.date === '2021-07-02'));
    assert.equal(r.quotes.filter((q) => q.open === null).length, 15);
    const b = quoteOf(r.quotes, '11B');
    assert.deepEqual(
      [
        b.name,
        b.isin,
        b.previousClose,
        b.open,
        b.low,
        b.high,
        b.close,
        b.changePercent,
        b.trades,
        b.volume,
        b.turnover,
      ],
      ['11BIT', 'PL11BTS00015', 486, 486, 486, 496, 495, 1.85, 315, 6086, 3007590],
    );
    assert.ok(!r.quotes.some((q) => /total/i.test(q.symbol)));
  });

  it('excerpt: status suffix stays out of the name, "-" cells are null, --date overrides the inference', () => {
    const r = parse('excerpts/gpw-quotations.html', { date: '2021-07-05' });
    const p = quoteOf(r.quotes, 'IPF');
    assert.deepEqual(
      [p.name, p.isin, p.close, p.open, p.volume, p.date],
      ['PROVIDENT', 'GB00B1YKG049', 6.8, null, null, '2021-07-05'],
    );
    assert.equal(quoteOf(r.quotes, 'PLZ').name, 'PLAZACNTR');
    assert.equal(quoteOf(r.quotes, '06N').volume, 17506); // NBSP thousands in a comma table
  });
});

describe('gpw-2016 adapter', () => {
  it('without --date: MissingDateError telling the fix', () => {
    assert.throws(
      () => parse(REAL.gpw2016),
      (err: unknown) => {
        assert.ok(err instanceof MissingDateError);
        assert.equal(err.oneLine(), 'gpw-2016: page carries no trading date — pass --date YYYY-MM-DD');
        return true;
      },
    );
  });

  it('full page: 160 rows, repeated header rows skipped, Polish numbers', () => {
    const r = parse(REAL.gpw2016, { date: '2016-09-09' });
    assert.equal(r.quotes.length, 160);
    assert.deepEqual(r.rejected, []);
    const azoty = quoteOf(r.quotes, 'ATT');
    assert.deepEqual(
      [
        azoty.name,
        azoty.isin,
        azoty.open,
        azoty.low,
        azoty.close,
        azoty.changePercent,
        azoty.volume,
        azoty.turnover,
      ],
      ['GRUPAAZOTY', 'PLZATRM00012', 4133.05, 4013, 4096.55, -0.88, 1721, 7050760],
    );
  });

  it('excerpt: suffixes "&nbsp;/9" and " /Z" stripped, "---" null', () => {
    const r = parse('excerpts/gpw-2016.html', { date: '2016-09-09' });
    assert.equal(r.quotes.length, 7);
    assert.equal(quoteOf(r.quotes, 'ACT').name, 'ACTION');
    assert.equal(quoteOf(r.quotes, 'BML').name, 'BIOMEDLUB');
    const f = quoteOf(r.quotes, 'FGT');
    assert.deepEqual(
      [f.name, f.isin, f.open, f.close, f.trades],
      ['FENGHUA', 'DE000A13SX89', null, 17.52, null],
    );
  });

  it('windows-1250 page with <meta charset> decodes Polish names and headers', () => {
    const r = parse('crafted/gpw-2016-windows-1250.html', { date: '2016-09-09' });
    assert.deepEqual(
      r.quotes.slice(0, 3).map((q) => q.name),
      ['ŻYWIEC', 'ŚNIEŻKA', 'ABMSOLID'],
    );
  });

  it('ISO-8859-2 page with the charset only in Content-Type', () => {
    const r = parsePage(
      {
        body: page('crafted/gpw-2016-iso-8859-2-no-meta.html'),
        contentType: 'text/html; charset=iso-8859-2',
      },
      { date: '2016-09-09' },
    );
    assert.equal(quoteOf(r.quotes, 'ACT').name, 'ŁĘCZYCA');
  });
});

describe('nse adapters', () => {
  it('index history: 9 daily quotes for "NIFTY 50", crore turnover, caption and CSV rows skipped', () => {
    const r = parse(REAL.nseIndex);
    assert.equal(r.quotes.length, 9);
    assert.deepEqual(r.rejected, []);
    assert.deepEqual(
      r.quotes.map((q) => q.date),
      [
        '2015-11-02',
        '2015-11-03',
        '2015-11-04',
        '2015-11-05',
        '2015-11-06',
        '2015-11-09',
        '2015-11-10',
        '2015-11-11',
        '2015-11-13',
      ],
    );
    const q = quoteOf(r.quotes, 'NIFTY 50', '2015-11-02');
    assert.deepEqual(
      [q.open, q.high, q.low, q.close, q.volume, q.turnover, q.currency],
      [8054.55, 8060.7, 7995.6, 8050.8, 140323983, 65526700000, 'INR'],
    );
  });

  it('index excerpt: three rows', () => {
    assert.deepEqual(
      parse('excerpts/nse-index.html').quotes.map((q) => q.close),
      [8050.8, 7955.45, 7762.25],
    );
  });

  it('F&O contract history: symbol names the contract, lakh grouping and lakh turnover', () => {
    const r = parse(REAL.nseFo);
    assert.equal(r.quotes.length, 4);
    const q = quoteOf(r.quotes, 'NIFTY FUT 2015-11-26', '2015-11-09');
    assert.deepEqual(
      [q.open, q.high, q.low, q.close, q.volume, q.turnover],
      [7820, 7954.9, 7790, 7936.05, 226372, 133630959000],
    );
    assert.deepEqual(
      parse('excerpts/nse-fo.html').quotes.map((x) => x.date),
      ['2015-11-09', '2015-11-13'],
    );
  });
});

describe('ecb adapters', () => {
  it('daily: 31 rates, symbol = quoted currency, currency = EUR, close = rate', () => {
    const r = parse(REAL.ecbDaily);
    assert.equal(r.source, 'ecb-daily');
    assert.equal(r.quotes.length, 31);
    const usd = quoteOf(r.quotes, 'USD');
    assert.deepEqual([usd.date, usd.currency, usd.close], ['2022-07-08', 'EUR', 1.0163]);
    assert.equal(quoteOf(r.quotes, 'IDR').close, 15210.73);
    assert.ok(r.quotes.some((q) => q.symbol === 'HRK') && !r.quotes.some((q) => q.symbol === 'RUB'));
  });

  it('90 days: 2,048 rates over 64 dates', () => {
    const r = parse(REAL.ecb90d);
    assert.equal(r.quotes.length, 2048);
    assert.equal(new Set(r.quotes.map((q) => q.date)).size, 64);
    assert.equal(quoteOf(r.quotes, 'USD', '2021-07-05').close, 1.1866);
    assert.equal(quoteOf(r.quotes, 'ZAR', '2021-04-07').close, 17.2803);
  });

  it('excerpts parse with the same adapters', () => {
    assert.deepEqual(
      parse('excerpts/ecb-daily.xml').quotes.map((q) => q.symbol),
      ['USD', 'JPY', 'GBP', 'HRK'],
    );
    const h = parse('excerpts/ecb-hist-90d.xml');
    assert.equal(h.source, 'ecb-hist-90d');
    assert.deepEqual(
      h.quotes.map((q) => `${q.date} ${q.symbol}`),
      [
        '2021-07-05 USD',
        '2021-07-05 PLN',
        '2021-07-05 RUB',
        '2021-04-07 USD',
        '2021-04-07 PLN',
        '2021-04-07 RUB',
      ],
    );
  });

  it('a rate that is not a number is rejected with its reason', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube><Cube time="2022-07-08"><Cube currency="USD" rate="1.0163"/><Cube currency="JPY" rate="N/A1"/></Cube></Cube></gesmes:Envelope>`;
    const r = parsePage({ body: Buffer.from(xml) });
    assert.equal(r.quotes.length, 1);
    assert.equal(r.rejected.length, 1);
    assert.equal(r.rejected[0]!.row, 2);
    assert.match(r.rejected[0]!.reason, /^rate: "N\/A1" is not a number/);
  });
});
