// A series page through the whole ingest into the embedded S3: every gated date in one publish, the
// pointer moved once, re-ingesting writes no date twice, a changed date is republished and logged,
// and reading history costs a fixed number of GETs however many dates are published.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { datesKey, LAYOUT, type LatestPointer } from '../../../contract/index.ts';
import { HistoryUnreadableError } from '../../../ingest/history/read.ts';
import { createHttpClient } from '../../../ingest/fetch/client.ts';
import { entryKeys, type DatesIndex, type HistoryWindow } from '../../../ingest/history/types.ts';
import { runIngest } from '../../../ingest/pipeline.ts';
import { createLogger } from '../../../lib/log.ts';
import { sendBytes, startLoopback, type LoopbackServer } from '../../helpers/loopback.ts';
import { getObject, listKeys, startTestS3, type TestS3 } from '../../helpers/s3.ts';

const ECB90 = 'test/fixtures/pages/real/ecb/eurofxref-hist-90d_2021-07-05.xml';

describe('history: a series page publishes every date it carries', function () {
  this.timeout(30_000);
  let s3: TestS3;
  let source: LoopbackServer;
  let body: Buffer;
  let logs: { msg: string; fields: Record<string, unknown> }[];
  let gets: string[];

  before(async () => {
    body = await readFile(ECB90);
    source = await startLoopback((_req, res) => sendBytes(res, body, { 'content-type': 'application/xml' }));
  });
  after(() => source.close());
  beforeEach(async () => {
    s3 = await startTestS3('history-test');
    logs = [];
    gets = [];
    s3.client.middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName === 'GetObjectCommand') gets.push((args.input as { Key: string }).Key);
        return next(args);
      },
      { step: 'initialize' },
    );
  });
  afterEach(() => s3.close());

  function ingest(now: string) {
    const http = createHttpClient({
      version: 't',
      backoffBaseMs: 10,
      retryLimit: 1,
      requestTimeoutMs: 2000,
      maxResponseBytes: 4_000_000,
    });
    const log = createLogger({
      write: (line: string) => {
        const o = JSON.parse(line);
        logs.push({ msg: o.msg, fields: o });
      },
    });
    return runIngest(
      { http, s3: s3.client, log, now: () => new Date(now) },
      { bucket: s3.bucket, source: 'ecb-hist-90d', url: `${source.origin}/hist`, version: 't' },
    );
  }
  async function json<T>(key: string): Promise<T> {
    return JSON.parse((await getObject(s3.client, s3.bucket, key)).body.toString()) as T;
  }

  it('publishes all 64 dates in one publish, the pointer once on the latest, change derived from the previous day', async () => {
    const summary = await ingest('2021-07-05T16:30:00.000Z');
    assert.equal(summary.counts.pageDates, 64, 'the fixture carries 64 days');
    assert.equal(
      summary.dates.written.length,
      64,
      `every gated date must be written; refused: ${summary.dates.refused.join(', ')}`,
    );
    const pointer = await json<LatestPointer>(LAYOUT.latestKey);
    assert.equal(pointer.date, '2021-07-05', 'the pointer names the latest date of the page');
    const index = await json<DatesIndex>(datesKey('ecb-hist-90d'));
    assert.deepEqual(
      index.dates.map((d) => d.date),
      summary.dates.written,
      'the dates index lists every written date, ascending',
    );
    const pointerWrites = summary.keys.written.filter((k) => k === LAYOUT.latestKey);
    assert.equal(pointerWrites.length, 1, 'one publish writes the pointer exactly once');
    assert.equal(
      summary.keys.written.at(-1) === LAYOUT.latestKey ||
        summary.keys.written.slice(-4).includes(LAYOUT.latestKey),
      true,
      'the pointer is among the entry points written last',
    );

    const latest = await json<{
      quotes: { symbol: string; close: number; previousClose: number; change: number; derived?: string[] }[];
    }>(pointer.keys.json);
    const usd = latest.quotes.find((q) => q.symbol === 'USD');
    const before = index.dates.at(-2);
    assert.ok(usd && before, 'USD on the latest day and a previous day');
    const prev = await json<{ quotes: { symbol: string; close: number }[] }>(
      entryKeys('ecb-hist-90d', before).json,
    );
    const usdPrev = prev.quotes.find((q) => q.symbol === 'USD')?.close;
    assert.equal(
      usd.previousClose,
      usdPrev,
      'previousClose is the close of the previous published date (a weekend skipped), not the calendar day',
    );
    assert.deepEqual(
      usd.derived,
      ['previousClose', 'change', 'changePercent'],
      'derived values are listed in the data',
    );
    const window = await json<HistoryWindow>(pointer.keys.history ?? '');
    assert.equal(window.dates.length, 30, 'the window keeps the last 30 trading days');
    assert.equal(window.closes.USD?.at(-1), usd.close);
  });

  it('re-ingesting writes no date twice; a changed date is republished and logged; history costs 2 GETs (+ the registry)', async () => {
    await ingest('2021-07-05T16:30:00.000Z');
    const dataKeys = (await listKeys(s3.client, s3.bucket, 'data/ecb-hist-90d/')).filter(
      (k) => k.endsWith('.json') && !k.includes('/history/') && !k.endsWith('dates.json'),
    );
    assert.equal(dataKeys.length, 64);

    gets.length = 0;
    const again = await ingest('2021-07-05T16:40:00.000Z');
    assert.deepEqual(again.dates.written, [], 'no date is written again when its data is unchanged');
    assert.equal(again.dates.unchanged.length, 64);
    const after = (await listKeys(s3.client, s3.bucket, 'data/ecb-hist-90d/')).filter(
      (k) => k.endsWith('.json') && !k.includes('/history/') && !k.endsWith('dates.json'),
    );
    assert.deepEqual(after, dataKeys, 'no new data file for an unchanged date');
    assert.equal(
      again.historyReads,
      2,
      'history is read with the dates index and the window: 2 GETs, not one per date',
    );
    const seen = [...gets];
    const windowKey = (await json<DatesIndex>(datesKey('ecb-hist-90d'))).history;
    assert.deepEqual(
      seen.filter((k) => k !== LAYOUT.latestKey && k !== LAYOUT.sourcesKey),
      [datesKey('ecb-hist-90d'), windowKey],
      `GETs other than the pointer and the sources registry: ${gets.join(', ')}`,
    );

    // The ECB corrects one rate on 2021-06-01.
    body = Buffer.from(
      body.toString().replace(/(<Cube time="2021-06-01">[\s\S]*?currency="USD" rate=")[0-9.]+/, '$11.2300'),
    );
    const changed = await ingest('2021-07-05T16:50:00.000Z');
    assert.deepEqual(
      changed.dates.changed,
      ['2021-06-01', '2021-06-02'],
      'the corrected date and the next (whose change derives from it) are republished',
    );
    const logged = logs
      .filter((l) => l.msg === 'date republished: its data changed')
      .map((l) => l.fields.date);
    assert.deepEqual(logged, ['2021-06-01', '2021-06-02'], 'each republished date is logged');
  });

  it('a dates index that is not one fails the run before any write, naming the key and the fix', async () => {
    await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: datesKey('ecb-hist-90d'), Body: 'not json' }),
    );
    await assert.rejects(ingest('2021-07-05T16:30:00.000Z'), HistoryUnreadableError);
    await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: datesKey('ecb-hist-90d'), Body: '{"x":1}' }),
    );
    await assert.rejects(
      ingest('2021-07-05T16:30:00.000Z'),
      /data\/ecb-hist-90d\/dates\.json is not a dates index/,
    );
    assert.deepEqual(await listKeys(s3.client, s3.bucket, 'data/ecb-hist-90d/2'), [], 'no date written');
  });
});
