// The site cache's rules against a scripted S3 (issue 19): a new generation re-reads a cached key, a
// 403 is a cached 404, a missing key is remembered for its TTL, entries are revalidated with their
// ETag after their age, the oldest entry goes first, and S3 trouble serves the cached copy or a 503.
import assert from 'node:assert/strict';
import type { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { silentLogger } from '../../lib/log.ts';
import { SiteStore, StoreUnavailableError } from '../../serve/store.ts';

type Answer = { body: string; etag?: string; type?: string } | { status: number } | Error;

/** An S3 client whose GetObject answers from a script and records each call's key and If-None-Match. */
function scriptedS3(answer: (key: string, ifNoneMatch: string | undefined) => Answer) {
  const calls: { key: string; ifNoneMatch: string | undefined }[] = [];
  const s3 = {
    async send(cmd: GetObjectCommand) {
      const { Key = '', IfNoneMatch } = cmd.input;
      calls.push({ key: Key, ifNoneMatch: IfNoneMatch });
      const a = answer(Key, IfNoneMatch);
      if (a instanceof Error) throw a;
      if ('status' in a)
        throw Object.assign(new Error(`status ${a.status}`), { $metadata: { httpStatusCode: a.status } });
      return {
        Body: { transformToByteArray: async () => new TextEncoder().encode(a.body) },
        ETag: a.etag,
        ContentType: a.type,
      };
    },
  } as unknown as S3Client;
  return { s3, calls };
}

function store(
  s3: S3Client,
  now: () => number,
  extra: Partial<ConstructorParameters<typeof SiteStore>[0]> = {},
) {
  return new SiteStore({ s3, bucket: 'b', log: silentLogger, now, ...extra });
}

describe('serve: site cache rules', () => {
  it('a new generation re-reads a cached latest.json: a new publish is served at once', async () => {
    let version = 1;
    const { s3, calls } = scriptedS3((_k, inm) =>
      inm === `"v${version}"` ? { status: 304 } : { body: `{"v":${version}}`, etag: `"v${version}"` },
    );
    const st = store(s3, () => 0);
    assert.equal((await st.get('latest.json'))?.body.toString(), '{"v":1}');
    assert.equal((await st.get('latest.json'))?.body.toString(), '{"v":1}');
    assert.equal(calls.length, 1, 'the same generation answers from memory');
    version = 2;
    st.newGeneration();
    assert.equal(
      (await st.get('latest.json'))?.body.toString(),
      '{"v":2}',
      'the new publish, not the cached one',
    );
    assert.deepEqual(
      calls[1],
      { key: 'latest.json', ifNoneMatch: '"v1"' },
      'revalidated with the cached ETag',
    );
  });

  it('an unchanged object after a new generation costs a 304 and keeps the cached bytes', async () => {
    const { s3, calls } = scriptedS3((_k, inm) =>
      inm === '"a"' ? { status: 304 } : { body: 'page', etag: '"a"' },
    );
    const st = store(s3, () => 0);
    const first = await st.get('index.html');
    st.newGeneration();
    assert.equal(await st.get('index.html'), first);
    assert.equal(await st.get('index.html'), first, 'the 304 refreshed the entry for this generation');
    assert.equal(calls.length, 2);
  });

  // S3 GetObject (API reference, Permissions): without s3:ListBucket a missing key is a 403, not a 404
  // (also aws/aws-cli#2041): a role that may only read objects sees every missing page as a 403.
  it('a 403 is a cached 404: S3 answers 403 for a missing key when the role may not list', async () => {
    const { s3, calls } = scriptedS3(() => ({ status: 403 }));
    const st = store(s3, () => 0);
    assert.equal(await st.get('data/x/2026-01-01.json'), null, 'a 403 is "no such page", not a 503');
    assert.equal(await st.get('data/x/2026-01-01.json'), null);
    assert.equal(calls.length, 1, 'and it is remembered like a 404');
  });

  it('a missing key is remembered for its TTL and read again after it', async () => {
    let t = 0;
    const { s3, calls } = scriptedS3(() => ({ status: 404 }));
    const st = store(s3, () => t, { negativeTtlMs: 10_000 });
    await st.get('nope.html');
    t = 9_999;
    await st.get('nope.html');
    assert.equal(calls.length, 1, 'within the TTL');
    t = 10_000;
    await st.get('nope.html');
    assert.equal(calls.length, 2, 'at the TTL it is read again');
  });

  it('an entry is revalidated once it is as old as maxEntryAgeMs, not before', async () => {
    let t = 0;
    const { s3, calls } = scriptedS3((_k, inm) => (inm ? { status: 304 } : { body: 'x', etag: '"x"' }));
    const st = store(s3, () => t, { maxEntryAgeMs: 60_000 });
    await st.get('a.html');
    t = 59_999;
    await st.get('a.html');
    assert.equal(calls.length, 1);
    t = 60_000;
    await st.get('a.html');
    assert.equal(calls.length, 2);
    assert.equal(calls[1]?.ifNoneMatch, '"x"');
  });

  it('concurrent requests for one key share one S3 read', async () => {
    const { s3, calls } = scriptedS3(() => ({ body: 'x', etag: '"x"' }));
    const st = store(s3, () => 0);
    const [a, b] = await Promise.all([st.get('a.html'), st.get('a.html')]);
    assert.equal(a, b);
    assert.equal(calls.length, 1);
  });

  it('the oldest entry is dropped beyond maxEntries; a recently used one is kept', async () => {
    const { s3, calls } = scriptedS3((k) => ({ body: k, etag: `"${k}"` }));
    const st = store(s3, () => 0, { maxEntries: 2 });
    await st.get('a');
    await st.get('b');
    await st.get('c'); // a is dropped
    await st.get('b');
    await st.get('c');
    assert.equal(calls.length, 3, 'b and c stay cached');
    await st.get('a');
    assert.equal(calls.length, 4, 'a was dropped and is read again');
  });

  it('S3 unreachable: the cached copy is served; with nothing cached, StoreUnavailableError (a 503)', async () => {
    let down = false;
    const { s3 } = scriptedS3(() => (down ? new Error('ECONNREFUSED') : { body: 'x', etag: '"x"' }));
    const st = store(s3, () => 0);
    const cached = await st.get('a.html');
    down = true;
    st.newGeneration();
    assert.equal(await st.get('a.html'), cached);
    await assert.rejects(st.get('b.html'), (err: unknown) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.match(err.message, /cannot read s3:\/\/b\/b\.html/);
      return true;
    });
    const { s3: s5 } = scriptedS3(() => ({ status: 500 }));
    await assert.rejects(store(s5, () => 0).get('c.html'), StoreUnavailableError, 'a 500 is not a 404');
  });

  it('content type: S3 metadata unless missing or octet-stream; text over 512 bytes precompressed, smaller not', async () => {
    const big = 'a'.repeat(512);
    const { s3 } = scriptedS3((k) =>
      k === 'big.html'
        ? { body: big, etag: '"b"', type: 'application/octet-stream' }
        : k === 'small.css'
          ? { body: 'a'.repeat(511) }
          : { body: big, type: 'application/x-custom' },
    );
    const st = store(s3, () => 0);
    const b = await st.get('big.html');
    assert.match(b?.contentType ?? '', /^text\/html/);
    assert.ok(b?.br && b.gzip, 'a 512-byte page is compressed');
    const s = await st.get('small.css');
    assert.match(s?.contentType ?? '', /^text\/css/);
    assert.equal(s?.br, undefined);
    assert.match(s?.etag ?? '', /^"[0-9a-f]{32}"$/, 'an ETag derived from the body when S3 gave none');
    assert.equal((await st.get('x.bin'))?.contentType, 'application/x-custom');
  });
});
