import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as cheerio from 'cheerio';
import { FetchError } from '../../ingest/fetch/errors.ts';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { runIngest, type IngestOptions } from '../../ingest/pipeline.ts';
import { LayoutError, UndetectedSourceError, UnknownSourceError } from '../../ingest/source/errors.ts';
import { ValidationError } from '../../ingest/validate/errors.ts';
import { silentLogger } from '../../lib/log.ts';
import { sendBytes, startLoopback, type LoopbackHandler, type LoopbackServer } from '../helpers/loopback.ts';
import { getObject, listKeys, snapshot, startTestS3, type TestS3 } from '../helpers/s3.ts';

const REAL = 'test/fixtures/pages/real';
const DSE = `${REAL}/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html`;
const ECB = `${REAL}/ecb/eurofxref-daily_2022-07-08.xml`;
const NSE = `${REAL}/nse-india/index-historical_NIFTY50_2015-11-02_to_2015-11-16.html`;
const GPW2016 = `${REAL}/gpw-warsaw/tab03-table-fragment_equities_2016_pl_partial.html`;
const HTML = { 'content-type': 'text/html; charset=utf-8' };

/** The UTF-8 GPW 2016 table re-encoded as windows-1250 (its only non-ASCII letters are ń ó ż). */
function toWindows1250(utf8: Buffer): Buffer {
  const map: Record<string, number> = { ń: 0xf1, ó: 0xf3, ż: 0xbf };
  return Buffer.from([...utf8.toString('utf8')].map((ch) => map[ch] ?? ch.charCodeAt(0)));
}

describe('runIngest: loopback source → embedded S3', function () {
  this.timeout(20_000);
  let s3: TestS3;
  let source: LoopbackServer;
  let handler: LoopbackHandler;
  let dse: Buffer;

  before(async () => {
    dse = await readFile(DSE);
    source = await startLoopback((req, res, i) => handler(req, res, i));
  });
  after(() => source.close());
  beforeEach(async () => {
    s3 = await startTestS3('ingest-test');
    source.requests.length = 0;
  });
  afterEach(() => s3.close());

  function ingest(opts: Partial<IngestOptions> = {}, now = '2026-04-24T02:00:00.000Z') {
    const http = createHttpClient({
      version: '1.0.0-test',
      backoffBaseMs: 10,
      retryLimit: 1,
      requestTimeoutMs: 400,
      maxResponseBytes: 2_000_000,
    });
    return runIngest(
      { http, s3: s3.client, log: silentLogger, now: () => new Date(now) },
      { bucket: s3.bucket, url: `${source.origin}/page`, version: '1.0.0-test', ...opts },
    );
  }
  function serve(body: Buffer, headers: Record<string, string> = HTML): void {
    handler = (_req, res) => sendBytes(res, body, headers);
  }
  async function rejection(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
      () => assert.fail('expected the ingest to fail'),
      (e: unknown) => e,
    );
  }

  it('publishes the DSE page: summary, data values, raw bytes, pointer', async () => {
    serve(dse);
    const summary = await ingest();
    assert.equal(summary.source, 'dse');
    assert.equal(summary.date, '2026-04-23');
    assert.deepEqual(summary.counts, { quotes: 396, rejected: 0, pageQuotes: 396, pageDates: 1, pages: 1 });
    assert.match(summary.keys.json, /^data\/dse\/2026-04-23\/2026-04-24T02-00-00\.000Z-[0-9a-f]{8}\.json$/);
    assert.equal(summary.keys.latest, 'data/latest.json');
    assert.equal(source.requests[0]?.headers['user-agent'], 'exchange-ingest/1.0.0-test');

    const data = JSON.parse((await getObject(s3.client, s3.bucket, summary.keys.json)).body.toString());
    assert.deepEqual(data.quotes[0], {
      source: 'dse',
      date: '2026-04-23',
      symbol: '1JANATAMF',
      name: null,
      isin: null,
      currency: 'BDT',
      open: null,
      high: 3.1,
      low: 3,
      close: 3,
      previousClose: 3.1,
      change: -0.1,
      // The page shows it (change ÷ previous close), so the download carries it, marked derived.
      changePercent: -3.2258,
      volume: 364169,
      trades: 101,
      turnover: 1104000,
      derived: ['changePercent'],
    });
    assert.ok((await getObject(s3.client, s3.bucket, summary.keys.raw)).body.equals(dse));
    const pointer = JSON.parse((await getObject(s3.client, s3.bucket, 'data/latest.json')).body.toString());
    assert.equal(pointer.sourceUrl, `${source.origin}/page`);
    assert.deepEqual(
      [pointer.keys.raw, pointer.keys.json, pointer.keys.csv, pointer.keys.page, pointer.keys.index],
      [summary.keys.raw, summary.keys.json, summary.keys.csv, summary.keys.page, 'index.html'],
    );
  });

  it('the same page again (a weekend, a re-run): only its raw copy, the pointer and the registry — a heartbeat', async () => {
    serve(dse);
    const first = await ingest();
    const before = await listKeys(s3.client, s3.bucket);
    const again = await ingest({}, '2026-04-25T02:00:00.000Z');
    const added = (await listKeys(s3.client, s3.bucket)).filter((k) => !before.includes(k));
    assert.deepEqual(added, ['raw/dse/2026-04-23/2026-04-25T02-00-00.000Z.html'], 'nothing else is new');
    assert.deepEqual([...again.keys.written].sort(), [
      'data/latest.json',
      'data/sources.json',
      'raw/dse/2026-04-23/2026-04-25T02-00-00.000Z.html',
    ]);
    const pointer = JSON.parse((await getObject(s3.client, s3.bucket, 'data/latest.json')).body.toString());
    assert.equal(pointer.generatedAt, '2026-04-25T02:00:00.000Z', 'readiness sees this run');
    assert.deepEqual(
      [pointer.keys.page, pointer.keys.json, pointer.keys.csv],
      [first.keys.page, first.keys.json, first.keys.csv],
      'the published page and files, not new copies',
    );
  });

  it('publishes the ECB daily XML by detection, keeping its content type', async () => {
    serve(await readFile(ECB), { 'content-type': 'application/xml' });
    const summary = await ingest();
    assert.equal(summary.source, 'ecb-daily');
    assert.equal(summary.date, '2022-07-08');
    assert.match(summary.keys.raw, /^raw\/ecb-daily\/2022-07-08\/.*\.xml$/);
    const raw = await getObject(s3.client, s3.bucket, summary.keys.raw);
    assert.equal(raw.contentType, 'application/xml');
    const data = JSON.parse((await getObject(s3.client, s3.bucket, summary.keys.json)).body.toString());
    assert.equal(data.quotes.find((q: { symbol: string }) => q.symbol === 'USD').close, 1.0163);
  });

  it('publishes a page through a generic --mapping, under the mapping id', async () => {
    serve(dse);
    const mapping = JSON.parse(await readFile('ingest/source/mappings/dse.json', 'utf8'));
    const summary = await ingest({ mapping: { ...mapping, id: 'dhaka-generic', minQuotes: 390 } });
    assert.equal(summary.source, 'dhaka-generic');
    assert.equal(summary.counts.quotes, 396);
    assert.match(summary.keys.json, /^data\/dhaka-generic\/2026-04-23\/[^/]+\.json$/);
  });

  it('an unknown --source fails before any request', async () => {
    serve(dse);
    const err = await rejection(ingest({ source: 'nope' }));
    assert.ok(err instanceof UnknownSourceError);
    assert.equal(err.exitCode, 2);
    assert.equal(source.requests.length, 0);
  });

  describe('series pages', () => {
    beforeEach(async () => serve(await readFile(NSE)));

    it('publish the latest date when --date is absent', async () => {
      const summary = await ingest({ source: 'nse-index' });
      assert.equal(summary.date, '2015-11-13');
      assert.deepEqual(summary.counts, { quotes: 1, rejected: 0, pageQuotes: 9, pageDates: 9, pages: 1 });
    });

    it('publish the --date quotes', async () => {
      const summary = await ingest({ source: 'nse-index', date: '2015-11-03' });
      const data = JSON.parse((await getObject(s3.client, s3.bucket, summary.keys.json)).body.toString());
      assert.deepEqual([data.quotes.length, data.quotes[0].close, data.quotes[0].open], [1, 8060.7, 8086.35]);
    });

    it('refuse a --date the page does not carry, keeping the page', async () => {
      const err = await rejection(ingest({ source: 'nse-index', date: '2015-11-07' }));
      assert.ok(err instanceof ValidationError);
      assert.deepEqual(
        err.failures.map((f) => f.check),
        ['date-mismatch', 'min-quotes'],
      );
      assert.match(err.message, /no quotes for 2015-11-07; it carries 2015-11-02, 2015-11-03 … 2015-11-13/);
      assert.deepEqual(await listKeys(s3.client, s3.bucket, 'data/'), []);
      assert.equal((await listKeys(s3.client, s3.bucket, 'failed/nse-index/2015-11-07/')).length, 1);
    });
  });

  describe('charsets', () => {
    it('decodes a windows-1250 page by the Content-Type charset', async () => {
      const bytes = toWindows1250(await readFile(GPW2016));
      serve(bytes, { 'content-type': 'text/html; charset=windows-1250' });
      const summary = await ingest({ source: 'gpw-2016', date: '2016-09-09' }, '2016-09-10T12:00:00Z');
      assert.equal(summary.counts.quotes, 160);
      const raw = await getObject(s3.client, s3.bucket, summary.keys.raw);
      assert.ok(raw.body.equals(bytes), 'raw keeps the windows-1250 bytes');
      assert.equal(raw.contentType, 'text/html; charset=windows-1250');
      const data = JSON.parse((await getObject(s3.client, s3.bucket, summary.keys.json)).body.toString());
      assert.deepEqual(
        [data.quotes[0].symbol, data.quotes[0].name, data.quotes[0].close],
        ['06N', '06MAGNA', 1.99],
      );
    });

    it('reads an undeclared UTF-8 page correctly (no charset anywhere)', async () => {
      serve(await readFile(GPW2016), { 'content-type': 'text/html' });
      const summary = await ingest({ source: 'gpw-2016', date: '2016-09-09' }, '2016-09-10T12:00:00Z');
      assert.equal(summary.counts.quotes, 160);
    });
  });

  describe('failures publish nothing', () => {
    let before: Map<string, Buffer>;
    beforeEach(async () => {
      serve(dse);
      await ingest();
      before = await snapshot(s3.client, s3.bucket);
      source.requests.length = 0;
    });

    /** Every published object byte-identical, and `failed` pages kept under failed/. */
    async function assertUnchanged(failed: number): Promise<string[]> {
      const after = await snapshot(s3.client, s3.bucket);
      const failedKeys = [...after.keys()].filter((k) => k.startsWith('failed/'));
      assert.equal(failedKeys.length, failed, `failed/ keys: ${failedKeys.join(', ')}`);
      for (const k of failedKeys) after.delete(k);
      assert.deepEqual([...after.keys()], [...before.keys()]);
      for (const [key, bytes] of before) assert.ok(after.get(key)?.equals(bytes), `${key} unchanged`);
      return failedKeys;
    }

    it('500 then 200 is retried and publishes', async () => {
      handler = (_req, res, i) => (i === 0 ? void res.writeHead(500).end() : sendBytes(res, dse, HTML));
      const summary = await ingest({ source: 'dse' }, '2026-04-24T03:00:00.000Z');
      assert.equal(summary.attempts, 2);
      assert.equal(source.requests.length, 2);
      assert.equal((await listKeys(s3.client, s3.bucket, 'raw/')).length, 2);
    });

    it('429 with Retry-After waits, then publishes', async () => {
      handler = (_req, res, i) =>
        i === 0 ? void res.writeHead(429, { 'retry-after': '1' }).end() : sendBytes(res, dse, HTML);
      const summary = await ingest({ source: 'dse' }, '2026-04-24T03:00:00.000Z');
      assert.equal(summary.attempts, 2);
      const [a, b] = source.requests;
      assert.ok(a && b && b.at - a.at >= 950, 'honoured Retry-After');
    });

    const fetchFaults: [string, LoopbackHandler, string][] = [
      ['persistent 503', (_req, res) => void res.writeHead(503).end(), 'http-status'],
      ['timeout', () => undefined, 'timeout'],
      ['connection reset', (req) => void req.socket.destroy(), 'connection-reset'],
      [
        'truncated body',
        (_req, res) => {
          res.writeHead(200, { 'content-length': '600000' });
          res.write(dse.subarray(0, 1000));
          setTimeout(() => res.socket?.destroy(), 10);
        },
        'truncated',
      ],
      [
        'too-large body',
        (_req, res) => sendBytes(res, Buffer.concat([dse, dse, dse, dse]), HTML),
        'too-large',
      ],
    ];
    for (const [name, h, kind] of fetchFaults) {
      it(`${name}: FetchError(${kind}), nothing published or kept`, async () => {
        handler = h;
        const err = await rejection(ingest({ source: 'dse' }));
        assert.ok(err instanceof FetchError, String(err));
        assert.equal(err.kind, kind);
        assert.ok(err.oneLine().includes(`${source.origin}/page`));
        await assertUnchanged(0);
      });
    }

    it('an empty table fails the gate and keeps the page', async () => {
      const $ = cheerio.load(dse);
      $('table.shares-table tr:has(td)').remove();
      const page = Buffer.from($.html());
      serve(page);
      const err = await rejection(ingest({ source: 'dse' }));
      assert.ok(err instanceof ValidationError, String(err));
      assert.deepEqual(
        err.failures.map((f) => f.check),
        ['min-quotes'],
      );
      const [kept] = await assertUnchanged(1);
      assert.ok(err.oneLine().includes(`the page is kept at ${kept}`));
      assert.ok((await getObject(s3.client, s3.bucket, kept ?? '')).body.equals(page));
    });

    it('a changed layout is a LayoutError naming the column, page kept', async () => {
      const $ = cheerio.load(dse);
      $('table.shares-table th')
        .filter((_i, el) => $(el).text().trim() === 'TRADING CODE')
        .text('CODE');
      serve(Buffer.from($.html()));
      const err = await rejection(ingest({ source: 'dse' }));
      assert.ok(err instanceof LayoutError, String(err));
      assert.match(err.message, /missing column\(s\) "TRADING CODE"/);
      const [kept] = await assertUnchanged(1);
      assert.match(kept ?? '', /^failed\/dse\/2026-04-24\//);
    });

    it('a wrong charset (windows-1250 bytes labelled utf-8) is refused, page kept', async () => {
      serve(toWindows1250(await readFile(GPW2016)), { 'content-type': 'text/html; charset=utf-8' });
      const err = await rejection(ingest({ source: 'gpw-2016', date: '2016-09-09' }));
      assert.ok(err instanceof LayoutError, String(err));
      assert.match(err.message, /missing column\(s\) "Skrót"/);
      const [kept] = await assertUnchanged(1);
      assert.match(kept ?? '', /^failed\/gpw-2016\/2016-09-09\/.*\.html$/);
    });

    it('a page no adapter recognises is kept under failed/unknown', async () => {
      serve(Buffer.from('<html><body><p>Service unavailable</p></body></html>'));
      const err = await rejection(ingest());
      assert.ok(err instanceof UndetectedSourceError, String(err));
      const [kept] = await assertUnchanged(1);
      assert.match(kept ?? '', /^failed\/unknown\/2026-04-24\//);
    });

    it('a page detected as dse that then fails to parse is kept under failed/dse, not failed/unknown', async () => {
      // Detected by its markers, but the quotes table's headers were renamed: a LayoutError of dse.
      serve(Buffer.from(dse.toString('utf8').replace('CLOSEP*', 'CLOSING')));
      const err = await rejection(ingest());
      assert.ok(err instanceof LayoutError, String(err));
      const [kept] = await assertUnchanged(1);
      assert.match(kept ?? '', /^failed\/dse\/2026-04-24\/.*\.html$/);
    });

    it('too few quotes for --min-quotes fails the gate', async () => {
      serve(dse);
      const err = await rejection(ingest({ source: 'dse', minQuotes: 1000 }));
      assert.ok(err instanceof ValidationError);
      assert.match(err.message, /396 quotes for 2026-04-23, fewer than the minimum 1000/);
      await assertUnchanged(1);
    });
  });
});
