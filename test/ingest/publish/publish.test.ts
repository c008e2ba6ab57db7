import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CACHE_CONTROL } from '../../../contract/index.ts';
import { embeddedS3Client } from '../../../local/embeddedClient.ts';
import { PublishError } from '../../../ingest/publish/errors.ts';
import type { PublishInput } from '../../../ingest/publish/files.ts';
import { keepFailed, publish } from '../../../ingest/publish/publish.ts';
import { SITE_MANIFEST_KEY, digest } from '../../../ingest/publish/siteManifest.ts';
import { silentLogger } from '../../../lib/log.ts';
import {
  failFirst,
  failMatching,
  startFaultProxy,
  type FaultProxy,
  type FaultRule,
} from '../../helpers/faultProxy.ts';
import { getObject, listKeys, snapshot, startTestS3, type TestS3 } from '../../helpers/s3.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

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
  let s3: TestS3;
  let raw: Buffer;
  let proxy: FaultProxy | undefined;
  const clients: S3Client[] = [];

  beforeEach(async () => {
    s3 = await startTestS3('publish-test');
    raw = await readFile(DSE);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await proxy?.close();
    proxy = undefined;
    await s3.close();
  });

  async function viaProxy(rule: FaultRule, maxAttempts = 3): Promise<S3Client> {
    proxy = await startFaultProxy(s3.server.endpoint, rule);
    const client = embeddedS3Client(s3.server, { endpoint: proxy.endpoint, maxAttempts });
    clients.push(client);
    return client;
  }

  it('writes every key with its content type and cache control, raw bytes unchanged', async () => {
    const result = await publish(
      s3.client,
      input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    const raws = await listKeys(s3.client, s3.bucket, 'raw/');
    assert.deepEqual(raws, ['raw/dse/2026-04-23/2026-04-24T02-00-00.000Z.html']);
    assert.deepEqual(await listKeys(s3.client, s3.bucket, 'data/'), [
      'data/dse/2026-04-23.csv',
      'data/dse/2026-04-23.json',
      'data/latest.json',
    ]);
    assert.equal(result.keys.at(-1), 'data/latest.json');
    assert.deepEqual(new Set(result.keys), new Set(await listKeys(s3.client, s3.bucket)));

    const rawObject = await getObject(s3.client, s3.bucket, raws[0] ?? '');
    assert.ok(rawObject.body.equals(raw), 'raw copy is byte-identical');
    assert.equal(rawObject.contentType, 'text/html; charset=utf-8');
    assert.equal(rawObject.cacheControl, CACHE_CONTROL.raw);

    const json = await getObject(s3.client, s3.bucket, 'data/dse/2026-04-23.json');
    assert.equal(json.contentType, 'application/json');
    assert.equal(json.cacheControl, CACHE_CONTROL.dated);
    assert.equal(JSON.parse(json.body.toString()).quotes[0].close, 206.7);
    const csv = await getObject(s3.client, s3.bucket, 'data/dse/2026-04-23.csv');
    assert.equal(csv.contentType, 'text/csv; charset=utf-8');
    assert.equal(csv.body.toString().split('\n')[2], 'dse,2026-04-23,BXP,,,,,,,20.1,,,,,,');
    const index = await getObject(s3.client, s3.bucket, 'index.html');
    assert.equal(index.contentType, 'text/html; charset=utf-8');
    assert.equal(index.cacheControl, CACHE_CONTROL.page);
    const latest = await getObject(s3.client, s3.bucket, 'data/latest.json');
    assert.equal(latest.cacheControl, CACHE_CONTROL.pointer);
    assert.deepEqual(JSON.parse(latest.body.toString()), result.pointer);
  });

  it('writes the pointer last, after every object it points at', async () => {
    const client = await viaProxy(() => 'pass');
    await publish(client, input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'), silentLogger);
    const puts = (proxy?.requests ?? [])
      .filter((r) => r.method === 'PUT')
      .map((r) => r.path.replace('/publish-test/', ''));
    assert.equal(puts.at(-1), 'data/latest.json');
    assert.ok(puts.indexOf('index.html') > puts.indexOf('data/dse/2026-04-23.json'));
    assert.ok(puts.indexOf('data/dse/2026-04-23.json') > 0, 'raw first');
    assert.ok(
      puts.findIndex((k) => k.startsWith('assets/')) < puts.indexOf('index.html'),
      'assets before the page',
    );
  });

  it('re-running the same date replaces the same data keys', async () => {
    await publish(s3.client, input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'), silentLogger);
    const second = input(s3.bucket, raw, '2026-04-23', '2026-04-24T03:00:00.000Z');
    second.quotes = [{ source: 'dse', date: '2026-04-23', symbol: 'ZZZ', close: 1 }];
    await publish(s3.client, second, silentLogger);
    assert.deepEqual(await listKeys(s3.client, s3.bucket, 'data/'), [
      'data/dse/2026-04-23.csv',
      'data/dse/2026-04-23.json',
      'data/latest.json',
    ]);
    assert.equal((await listKeys(s3.client, s3.bucket, 'raw/')).length, 2);
    const json = JSON.parse(
      (await getObject(s3.client, s3.bucket, 'data/dse/2026-04-23.json')).body.toString(),
    );
    assert.deepEqual(
      json.quotes.map((q: { symbol: string }) => q.symbol),
      ['ZZZ'],
    );
  });

  const putKeys = (): string[] =>
    (proxy?.requests ?? [])
      .filter((r) => r.method === 'PUT' && r.fault === 'pass')
      .map((r) => r.path.replace('/publish-test/', ''));

  async function storedManifest(): Promise<unknown> {
    return JSON.parse((await getObject(s3.client, s3.bucket, SITE_MANIFEST_KEY)).body.toString());
  }

  it('a re-run writes only index.html of the site; the other site files keep their bytes', async () => {
    await publish(s3.client, input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'), silentLogger);
    const before = await snapshot(s3.client, s3.bucket);
    const client = await viaProxy(() => 'pass');
    const result = await publish(
      client,
      input(s3.bucket, raw, '2026-04-23', '2026-04-24T03:00:00.000Z'),
      silentLogger,
    );
    const written = [
      'raw/dse/2026-04-23/2026-04-24T03-00-00.000Z.html',
      'data/dse/2026-04-23.json',
      'data/dse/2026-04-23.csv',
      'index.html',
      'data/latest.json',
    ];
    assert.deepEqual(putKeys().slice(0, 1), written.slice(0, 1));
    assert.deepEqual(new Set(putKeys().slice(1, 3)), new Set(written.slice(1, 3)));
    assert.deepEqual(putKeys().slice(3), written.slice(3));
    assert.deepEqual(result.keys, written.slice(0, 1).concat(putKeys().slice(1, 3), written.slice(3)));
    const after = await snapshot(s3.client, s3.bucket);
    for (const key of ['assets/site.css', 'assets/site.js', 'error.html', SITE_MANIFEST_KEY]) {
      assert.ok(after.get(key)?.equals(before.get(key) ?? Buffer.alloc(0)), `${key} unchanged`);
    }
    const css = await getObject(s3.client, s3.bucket, 'assets/site.css');
    assert.equal(css.contentType, 'text/css; charset=utf-8');
    assert.equal(css.cacheControl, CACHE_CONTROL.page);
  });

  it('the record vouches only for stored bytes: it is emptied before a recorded file changes', async () => {
    await publish(s3.client, input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'), silentLogger);
    const recorded = (await storedManifest()) as { files: Record<string, string> };
    // As if the bucket held another version's script: the record names other bytes for it.
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: SITE_MANIFEST_KEY,
        Body: JSON.stringify({ files: { ...recorded.files, 'assets/site.js': 'b'.repeat(64) } }),
      }),
    );
    const pointerBefore = (await getObject(s3.client, s3.bucket, 'data/latest.json')).body;
    const failing = await viaProxy(failMatching(/\/index\.html$/, 'error-500'));
    const err = await publish(
      failing,
      input(s3.bucket, raw, '2026-04-24', '2026-04-25T02:00:00.000Z'),
      silentLogger,
    ).then(
      () => assert.fail('expected PublishError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PublishError);
    assert.equal(err.key, 'index.html');
    assert.deepEqual(
      putKeys().filter((k) => !k.startsWith('raw/') && !k.startsWith('data/dse/')),
      [SITE_MANIFEST_KEY, 'assets/site.js'],
      'emptied the record, then wrote only the changed file before the page failed',
    );
    assert.deepEqual(await storedManifest(), { files: {} });
    assert.ok((await getObject(s3.client, s3.bucket, 'data/latest.json')).body.equals(pointerBefore));

    await proxy?.close();
    const client = await viaProxy(() => 'pass');
    await publish(client, input(s3.bucket, raw, '2026-04-24', '2026-04-25T03:00:00.000Z'), silentLogger);
    assert.deepEqual(
      new Set(putKeys().filter((k) => !k.startsWith('raw/') && !k.startsWith('data/'))),
      new Set(['assets/site.css', 'assets/site.js', 'error.html', 'index.html', SITE_MANIFEST_KEY]),
      'with an empty record every site file is written again',
    );
    const final = (await storedManifest()) as { files: Record<string, string> };
    assert.deepEqual(Object.keys(final.files).sort(), ['assets/site.css', 'assets/site.js', 'error.html']);
    for (const [key, hash] of Object.entries(final.files)) {
      const stored = await getObject(s3.client, s3.bucket, key);
      const object = {
        key,
        body: stored.body,
        contentType: stored.contentType ?? '',
        cacheControl: stored.cacheControl ?? '',
      };
      assert.equal(digest(object), hash, `the record matches the stored ${key}`);
    }
  });

  it('an unreadable record costs a full site rewrite, never a skip', async () => {
    await publish(s3.client, input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'), silentLogger);
    const client = await viaProxy((req) =>
      req.method === 'GET' && req.path.endsWith(SITE_MANIFEST_KEY) ? 'error-500' : 'pass',
    );
    const result = await publish(
      client,
      input(s3.bucket, raw, '2026-04-23', '2026-04-24T03:00:00.000Z'),
      silentLogger,
    );
    assert.equal(result.pointer.generatedAt, '2026-04-24T03:00:00.000Z');
    const site = putKeys().filter((k) => !k.startsWith('raw/') && !k.startsWith('data/'));
    assert.equal(site[0], SITE_MANIFEST_KEY, 'the record is emptied before any site file');
    assert.deepEqual(new Set(site.slice(1, 3)), new Set(['assets/site.css', 'assets/site.js']));
    assert.deepEqual(new Set(site.slice(3, 5)), new Set(['error.html', 'index.html']));
    assert.equal(site[5], SITE_MANIFEST_KEY);
    assert.equal(putKeys().at(-1), 'data/latest.json');
  });

  it('retries S3 500s and succeeds', async () => {
    const client = await viaProxy(failFirst(2, 'error-500'));
    const result = await publish(
      client,
      input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'),
      silentLogger,
    );
    assert.equal(result.pointer.date, '2026-04-23');
    assert.deepEqual(
      proxy?.requests.slice(0, 2).map((r) => r.fault),
      ['error-500', 'error-500'],
    );
    assert.ok((await getObject(s3.client, s3.bucket, result.pointer.keys.raw)).body.equals(raw));
  });

  it('retries dropped connections on one key and succeeds', async () => {
    const client = await viaProxy(failMatching(/data\/dse\/2026-04-23\.json/, 'destroy', 2));
    await publish(client, input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'), silentLogger);
    const attempts = proxy?.requests
      .filter((r) => r.path.endsWith('data/dse/2026-04-23.json'))
      .map((r) => r.fault);
    assert.deepEqual(attempts, ['destroy', 'destroy', 'pass']);
    assert.deepEqual(await listKeys(s3.client, s3.bucket, 'data/dse/'), [
      'data/dse/2026-04-23.csv',
      'data/dse/2026-04-23.json',
    ]);
  });

  for (const [what, pattern] of [
    ['a data file', /data\/dse\/2026-04-24\.csv/],
    ['the pointer itself', /data\/latest\.json/],
  ] as const) {
    it(`when retries run out on ${what}, latest.json still points at the previous publish`, async () => {
      await publish(s3.client, input(s3.bucket, raw, '2026-04-23', '2026-04-24T02:00:00.000Z'), silentLogger);
      const before = await snapshot(s3.client, s3.bucket);
      const client = await viaProxy(failMatching(pattern, 'error-500'));
      const err = await publish(
        client,
        input(s3.bucket, raw, '2026-04-24', '2026-04-25T02:00:00.000Z'),
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
      assert.equal(proxy?.requests.filter((r) => pattern.test(r.path)).length, 3, 'SDK tried 3 times');
      const after = await snapshot(s3.client, s3.bucket);
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
    assert.equal(err.key, 'data/dse/2026-04-23.csv');
    assert.deepEqual(err.written, [
      'raw/dse/2026-04-23/2026-04-24T02-00-00.000Z.html',
      'data/dse/2026-04-23.json',
    ]);
    assert.match(
      err.message,
      /could not write s3:\/\/b\/data\/dse\/2026-04-23\.csv: AccessDenied: Access Denied/,
    );
  });

  it('keepFailed stores the page under failed/ with its content type', async () => {
    const key = await keepFailed(
      s3.client,
      s3.bucket,
      {
        source: 'dse',
        date: '2026-04-23',
        fetchedAt: '2026-04-24T02:00:00.000Z',
        raw: { body: raw, ext: 'html' },
      },
      silentLogger,
    );
    assert.equal(key, 'failed/dse/2026-04-23/2026-04-24T02-00-00.000Z.html');
    const stored = await getObject(s3.client, s3.bucket, key);
    assert.ok(stored.body.equals(raw));
    assert.equal(stored.contentType, 'text/html');
    assert.deepEqual(await listKeys(s3.client, s3.bucket), [key]);
  });
});
