import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CACHE_CONTROL, LAYOUT, datesKey, symbolsPageKey, yearPageKey } from '../../../contract/index.ts';
import { PublishError } from '../../../ingest/publish/errors.ts';
import type { PublishInput } from '../../../ingest/publish/files.ts';
import { keepFailed, type PublishOptions } from '../../../ingest/publish/publish.ts';
import { publishDay as publishAt } from '../../helpers/publish.ts';
import { ASSET_KEYS } from '../../../site/render.ts';
import { silentLogger } from '../../../lib/log.ts';
import { failFirst, failMatching } from '../../helpers/faultProxy.ts';
import { getObject, listKeys, snapshot } from '../../helpers/s3.ts';
import { useProxiedS3 } from '../../helpers/proxiedS3.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

/** Publishes as if one second after the fetch (the real clock would make every fixture stale). */
function publish(
  client: S3Client,
  data: PublishInput,
  log = silentLogger,
  options: PublishOptions = {},
): ReturnType<typeof publishAt> {
  return publishAt(client, data, log, { now: () => Date.parse(data.fetchedAt) + 1000, ...options });
}

function input(bucket: string, raw: Buffer, date: string, fetchedAt: string): PublishInput {
  return {
    bucket,
    source: {
      id: 'dse',
      title: 'Dhaka Stock Exchange',
      homepage: 'https://www.dsebd.org/',
      locale: 'en-BD',
      currency: 'BDT',
    },
    date,
    quotes: [
      { source: 'dse', date, symbol: 'ACI', close: 206.7, high: 208, low: 205, volume: 1200 },
      { source: 'dse', date, symbol: 'BXP', close: 20.1 },
    ],
    rejectedCount: 0,
    raw: { body: raw, contentType: 'text/html; charset=utf-8', ext: 'html' },
    sourceUrl: 'http://127.0.0.1/dse',
    fetchedAt,
    generatedAt: fetchedAt,
    version: '1.0.0',
  };
}

describe('publish to the embedded S3 over HTTP', function () {
  this.timeout(20_000);
  const t = useProxiedS3('publish-test', { maxAttempts: 3 });
  let raw: Buffer;

  beforeEach(async () => {
    raw = await readFile(DSE);
  });

  it('writes every key with its content type and cache control, raw bytes unchanged', async () => {
    const result = await publish(
      t.s3.client,
      input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    const { keys } = result.pointer;
    assert.deepEqual(await listKeys(t.s3.client, t.s3.bucket, 'raw/'), [
      'raw/dse/2026-04-23/2026-04-24T02-00-00.000Z.html',
    ]);
    assert.deepEqual(
      await listKeys(t.s3.client, t.s3.bucket),
      [
        keys.raw,
        keys.json,
        keys.csv,
        keys.page,
        keys.symbols,
        keys.dates,
        keys.history,
        yearPageKey('dse', '2026'),
        LAYOUT.sourcesKey,
        ...keys.assets,
        'index.html',
        'error.html',
        LAYOUT.latestKey,
      ].sort(),
    );
    assert.deepEqual(new Set(result.keys), new Set(await listKeys(t.s3.client, t.s3.bucket)));

    const rawStored = await getObject(t.s3.client, t.s3.bucket, keys.raw);
    assert.ok(rawStored.body.equals(raw), 'raw copy is byte-identical');
    assert.equal(rawStored.contentType, 'text/html; charset=utf-8');
    assert.equal(rawStored.cacheControl, CACHE_CONTROL.raw);

    const json = await getObject(t.s3.client, t.s3.bucket, keys.json);
    assert.equal(json.contentType, 'application/json');
    assert.equal(json.cacheControl, CACHE_CONTROL.dated);
    assert.equal(JSON.parse(json.body.toString()).quotes[0].close, 206.7);
    const csv = await getObject(t.s3.client, t.s3.bucket, keys.csv);
    assert.equal(csv.contentType, 'text/csv; charset=utf-8');
    assert.equal(csv.body.toString().split('\n')[2], 'dse,2026-04-23,BXP,,,,,,,20.1,,,,,,');
    const index = await getObject(t.s3.client, t.s3.bucket, 'index.html');
    assert.equal(index.contentType, 'text/html; charset=utf-8');
    assert.equal(index.cacheControl, CACHE_CONTROL.page);
    assert.ok(index.body.equals((await getObject(t.s3.client, t.s3.bucket, keys.page)).body));
    const latest = await getObject(t.s3.client, t.s3.bucket, 'data/latest.json');
    assert.equal(latest.cacheControl, CACHE_CONTROL.pointer);
    assert.deepEqual(JSON.parse(latest.body.toString()), result.pointer);
  });

  const putKeys = (): string[] =>
    (t.proxy?.requests ?? [])
      .filter((r) => r.method === 'PUT' && r.fault === 'pass')
      .map((r) => r.path.replace('/publish-test/', ''));

  it('writes the entry points only after every object they name is written', async () => {
    const client = await t.viaProxy(() => 'pass');
    const result = await publish(
      client,
      input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    // The last step: the entry points, the sources registry, and the pages rewritten in place
    // (the year's calendar, the chart page) that link what the dates index now names.
    const entry = new Set([
      'index.html',
      'error.html',
      LAYOUT.latestKey,
      LAYOUT.sourcesKey,
      yearPageKey('dse', '2026'),
      symbolsPageKey('dse'),
    ]);
    assert.deepEqual(new Set(result.keys.slice(-entry.size)), entry, 'the entry points are the last step');
    const firstEntry = Math.min(...[...entry].map((k) => putKeys().indexOf(k)));
    assert.equal(
      firstEntry,
      putKeys().length - entry.size,
      `PUT order ${putKeys().join(', ')}: an entry point was sent early`,
    );
    assert.equal(putKeys().at(-entry.size - 1), datesKey('dse'), 'after the dates index');
  });

  it('a same-date re-run writes new keys: no immutable object is rewritten', async () => {
    const first = await publish(
      t.s3.client,
      input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    const before = await snapshot(t.s3.client, t.s3.bucket);
    const second = input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T03:00:00.000Z');
    second.quotes = [{ source: 'dse', date: '2026-04-23', symbol: 'ZZZ', close: 1 }];
    const client = await t.viaProxy(() => 'pass');
    const again = await publish(client, second, silentLogger);
    const rewritten = putKeys().filter((k) => before.has(k));
    assert.deepEqual(
      rewritten.sort(),
      [
        datesKey('dse'),
        LAYOUT.latestKey,
        'index.html',
        LAYOUT.sourcesKey,
        yearPageKey('dse', '2026'),
        symbolsPageKey('dse'),
      ].sort(),
      'only the entry points, the dates index, the registry and the pages kept in place are rewritten',
    );
    assert.notEqual(again.pointer.keys.json, first.pointer.keys.json);
    assert.ok(
      !putKeys().some((k) => k.startsWith('assets/')),
      'assets the last pointer named are not written again',
    );
    const json = JSON.parse(
      (await getObject(t.s3.client, t.s3.bucket, again.pointer.keys.json)).body.toString(),
    );
    assert.deepEqual(
      json.quotes.map((q: { symbol: string }) => q.symbol),
      ['ZZZ'],
    );
    const css = await getObject(t.s3.client, t.s3.bucket, ASSET_KEYS.css);
    assert.equal(css.cacheControl, CACHE_CONTROL.dated);
  });

  it('an unreadable previous pointer costs the assets again, never a skip', async () => {
    await publish(
      t.s3.client,
      input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    const client = await t.viaProxy((req) =>
      req.method === 'GET' && req.path.endsWith(LAYOUT.latestKey) ? 'error-500' : 'pass',
    );
    await publish(client, input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T03:00:00.000Z'), silentLogger);
    assert.deepEqual(
      putKeys()
        .filter((k) => k.startsWith('assets/'))
        .sort(),
      [ASSET_KEYS.css, ASSET_KEYS.js, ASSET_KEYS.chart].sort(),
    );
  });

  it('retries S3 500s and succeeds', async () => {
    const client = await t.viaProxy(failFirst(2, 'error-500'));
    const result = await publish(
      client,
      input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    assert.equal(result.pointer.date, '2026-04-23');
    assert.deepEqual(
      t.proxy?.requests.slice(0, 2).map((r) => r.fault),
      ['error-500', 'error-500'],
    );
    assert.ok((await getObject(t.s3.client, t.s3.bucket, result.pointer.keys.raw)).body.equals(raw));
  });

  it('retries dropped connections on one key and succeeds', async () => {
    const client = await t.viaProxy(failMatching(/data\/dse\/2026-04-23\/.*\.json$/, 'destroy', 2));
    const result = await publish(
      client,
      input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    const attempts = t.proxy?.requests
      .filter((r) => r.method === 'PUT' && r.path.endsWith(result.pointer.keys.json))
      .map((r) => r.fault);
    assert.deepEqual(attempts, ['destroy', 'destroy', 'pass']);
  });

  for (const [what, pattern] of [
    ['a data file', /data\/dse\/2026-04-24\/.*\.csv$/],
    ['the pointer itself', /data\/latest\.json$/],
  ] as const) {
    it(`when retries run out on ${what}, latest.json still points at the previous publish`, async () => {
      await publish(
        t.s3.client,
        input(t.s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
        silentLogger,
      );
      const before = await snapshot(t.s3.client, t.s3.bucket);
      const client = await t.viaProxy((req) =>
        req.method === 'PUT' && pattern.test(req.path) ? 'error-500' : 'pass',
      );
      const err = await publish(
        client,
        input(t.s3.bucket, raw, '2026-04-24', '2026-04-25T02:00:00.000Z'),
        silentLogger,
      ).then(
        () => assert.fail('expected PublishError'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof PublishError);
      assert.match(err.key, pattern);
      assert.match(
        err.oneLine(),
        /could not write s3:\/\/publish-test\/.* — data\/latest\.json was not changed/,
      );
      assert.match(
        err.oneLine(),
        /a re-run fetches again and writes new keys; objects already written stay, named by nothing \(the raw\/ page expires by the bucket's raw\/ lifecycle rule\)$/,
        'the hint must say what happens to the keys already written, raw/ included',
      );
      const puts = t.proxy?.requests.filter((r) => r.method === 'PUT' && pattern.test(r.path)) ?? [];
      assert.equal(puts.length, 3, 'SDK tried 3 times');
      const after = await snapshot(t.s3.client, t.s3.bucket);
      assert.ok(after.get('data/latest.json')?.equals(before.get('data/latest.json') ?? Buffer.alloc(0)));
      assert.equal(JSON.parse(after.get('data/latest.json')?.toString() ?? '{}').date, '2026-04-23');
      if (what === 'a data file') {
        assert.ok(
          after.get('index.html')?.equals(before.get('index.html') ?? Buffer.alloc(0)),
          'site untouched',
        );
      }
    });
  }

  it('a client error names the key and the keys already written (mocked client)', async () => {
    const failing = {
      send: async (command: { input: { Key?: string } }) => {
        if (command.input.Key?.endsWith('.csv'))
          throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
        if (command instanceof GetObjectCommand)
          throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
        return {};
      },
    } as unknown as S3Client;
    const err = await publish(
      failing,
      input('b', raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    ).then(
      () => assert.fail('expected PublishError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PublishError);
    assert.match(err.key, /^data\/dse\/2026-04-23\/.*\.csv$/);
    assert.ok(err.written.includes('raw/dse/2026-04-23/2026-04-24T02-00-00.000Z.html'), 'raw written');
    assert.ok(
      !err.written.some((k) => ['index.html', LAYOUT.latestKey].includes(k)),
      'no entry point written',
    );
    assert.match(
      err.message,
      /could not write s3:\/\/b\/data\/dse\/2026-04-23\/.*\.csv: AccessDenied: Access Denied/,
    );
  });

  it('keepFailed stores the page under failed/ with its content type', async () => {
    const key = await keepFailed(
      t.s3.client,
      t.s3.bucket,
      {
        source: 'dse',
        date: '2026-04-23',
        fetchedAt: '2026-04-24T02:00:00.000Z',
        raw: { body: raw, ext: 'html' },
      },
      silentLogger,
    );
    assert.equal(key, 'failed/dse/2026-04-23/2026-04-24T02-00-00.000Z.html');
    const stored = await getObject(t.s3.client, t.s3.bucket, key);
    assert.ok(stored.body.equals(raw));
    assert.equal(stored.contentType, 'text/html');
    assert.deepEqual(await listKeys(t.s3.client, t.s3.bucket), [key]);
  });
});
