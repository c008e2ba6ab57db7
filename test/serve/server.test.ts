// `serve` against the embedded S3 holding real ingest output (the DSE page through parsePage and publish).
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { LatestPointer } from '../../contract/index.ts';
import { ASSET_KEYS, SITE_CSP } from '../../site/render.ts';
import { envCss } from '../../site/styles.ts';
import { countingClient, IDENTITY, rawStatus, request, startServe, type Running } from './http.ts';
import { startPublishedBucket, type PublishedBucket } from './published.ts';

describe('serve: site from the bucket', () => {
  let bucket: PublishedBucket;
  let pointer: LatestPointer;
  let app: Running;
  const calls: { command: string; key: string }[] = [];

  async function s3Bytes(key: string): Promise<Buffer> {
    const res = await bucket.s3.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  before(async () => {
    bucket = await startPublishedBucket();
    pointer = await bucket.publish();
    await bucket.put(`failed/dse/2026-04-23/x.html`, '<p>broken page</p>', 'text/html');
    const s3 = countingClient(bucket.env, calls);
    app = await startServe({
      s3,
      bucket: bucket.bucket,
      identity: IDENTITY,
      maxAgeSeconds: 36 * 3600,
    });
  });
  after(async () => {
    await app?.close();
    await bucket?.close();
  });

  it('serves / as the page the pointer names, byte-identical to index.html, with security and identity headers', async () => {
    const res = await request(app.port, '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.deepEqual(res.body, await s3Bytes(pointer.keys.page));
    assert.deepEqual(res.body, await s3Bytes('index.html'));
    assert.match(res.body.toString(), /Dhaka Stock Exchange/);
    assert.equal(res.headers['cache-control'], 'public, max-age=60');
    assert.match(String(res.headers.etag), /^"[0-9a-f]{32}"$/);
    assert.equal(res.headers['content-security-policy'], SITE_CSP);
    assert.match(SITE_CSP, /default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.match(String(res.headers['permissions-policy']), /camera=\(\)/);
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(res.headers['x-exchange-color'], 'blue');
    assert.equal(res.headers['x-exchange-version'], '2.0.0-test');
    assert.equal(res.headers['x-exchange-image-tag'], 'img-abc');
    const again = await request(app.port, '/index.html');
    assert.deepEqual(again.body, res.body);
  });

  it('serves the assets, the error page, the pointer and the dated data files', async () => {
    const expected: [string, string][] = [
      [`/${ASSET_KEYS.css}?v=1`, 'text/css; charset=utf-8'],
      [`/${ASSET_KEYS.js}`, 'text/javascript; charset=utf-8'],
      ['/error.html', 'text/html; charset=utf-8'],
      ['/data/latest.json', 'application/json'],
      [`/${pointer.keys.json}`, 'application/json'],
      [`/${pointer.keys.csv}`, 'text/csv; charset=utf-8'],
    ];
    for (const [path, type] of expected) {
      const res = await request(app.port, path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['content-type'], type, path);
      assert.deepEqual(res.body, await s3Bytes(path.slice(1).split('?')[0]!), path);
    }
    const latest = JSON.parse(
      (await request(app.port, '/data/latest.json')).body.toString(),
    ) as LatestPointer;
    assert.deepEqual(latest, pointer);
    for (const key of [pointer.keys.json, pointer.keys.csv, ASSET_KEYS.css, ASSET_KEYS.js]) {
      const dated = await request(app.port, `/${key}`);
      assert.equal(dated.headers['cache-control'], 'public, max-age=31536000, immutable', key);
    }
    const csv = (await request(app.port, `/${pointer.keys.csv}`)).body.toString();
    assert.equal(
      csv.split('\n')[0],
      'source,date,symbol,name,isin,currency,open,high,low,close,previousClose,change,changePercent,volume,trades,turnover',
    );
  });

  it('never serves raw/ or failed/ (404 with the error page), even though they exist', async () => {
    for (const path of [`/${pointer.keys.raw}`, '/failed/dse/2026-04-23/x.html', '/nope.html', '/data/']) {
      const res = await request(app.port, path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body.toString(), /This page is not available/, path);
    }
    assert.ok(
      calls.every((c) => !c.key.startsWith('raw/') && !c.key.startsWith('failed/')),
      'S3 never asked for raw/ or failed/',
    );
  });

  it('answers most requests from memory: repeated GETs do not reach S3', async () => {
    await request(app.port, '/');
    const before = calls.length;
    for (let i = 0; i < 20; i++) assert.equal((await request(app.port, '/')).status, 200);
    assert.equal(calls.length, before);
  });

  it('revalidates with If-None-Match: 304 with the same ETag and no body', async () => {
    const first = await request(app.port, `/${pointer.keys.json}`);
    const etag = String(first.headers.etag);
    const second = await request(app.port, `/${pointer.keys.json}`, { headers: { 'if-none-match': etag } });
    assert.equal(second.status, 304);
    assert.equal(second.body.length, 0);
    assert.equal(second.headers.etag, etag);
    assert.equal(second.headers['cache-control'], 'public, max-age=31536000, immutable');
    const other = await request(app.port, `/${pointer.keys.json}`, {
      headers: { 'if-none-match': '"nope"' },
    });
    assert.equal(other.status, 200);
  });

  it('negotiates br and gzip from bodies compressed once; the bytes decode to the original', async () => {
    const plain = await request(app.port, '/');
    const br = await request(app.port, '/', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.ok(br.body.length < plain.body.length / 4, 'compressed');
    assert.equal(br.headers.etag, String(plain.headers.etag).replace(/"$/, '-br"'));
    const gz = await request(app.port, '/', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    const revalidated = await request(app.port, '/', {
      headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) },
    });
    assert.equal(revalidated.status, 304);
  });

  it('HEAD returns the headers and length of GET without a body', async () => {
    const get = await request(app.port, '/');
    const head = await request(app.port, '/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(Number(head.headers['content-length']), get.body.length);
    assert.equal(head.headers.etag, get.headers.etag);
    assert.equal((await request(app.port, '/healthz', { method: 'HEAD' })).status, 200);
  });

  it('405 with Allow for other methods', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const res = await request(app.port, '/', { method });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.allow, 'GET, HEAD');
      assert.equal(res.headers['content-security-policy'], SITE_CSP);
    }
  });

  it('refuses traversal, encoded and double-encoded, backslashes and NUL without touching S3 outside the site', async () => {
    const cases: [string, number][] = [
      ['/data/../raw/x.html', 400],
      ['/../../etc/passwd', 400],
      ['/data/%2e%2e/raw/dse', 400],
      ['/data/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', 400],
      ['/data/%252e%252e/raw/dse', 400],
      ['/data/..%5craw%5cx', 400],
      ['/data\\..\\raw\\x', 400],
      ['/data/x.json%00.html', 400],
      ['/raw%2fdse', 404],
    ];
    for (const [path, status] of cases) {
      assert.equal(
        await rawStatus(app.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
        status,
        path,
      );
    }
    assert.equal(
      await rawStatus(app.port, `GET /data/x\0y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      400,
    );
    assert.ok(
      calls.every((c) => /^(index\.html|error\.html|assets\/|data\/)/.test(c.key) && !c.key.includes('..')),
    );
  });

  it('414 for URLs over 8 KiB (also past the header limit), 431 for headers over it, keeps serving', async () => {
    assert.equal((await request(app.port, `/data/${'a'.repeat(9000)}`)).status, 414);
    // Node counts the request line in its 16 KiB header limit: a 20 KB URL must still be a 414.
    assert.equal(
      await rawStatus(app.port, `GET /data/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
      414,
    );
    assert.equal(
      await rawStatus(app.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`),
      431,
    );
    assert.equal((await request(app.port, '/')).status, 200);
  });

  it('/healthz: 200 with colour, version, data date and age', async () => {
    const res = await request(app.port, '/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const { sources, ...body } = JSON.parse(res.body.toString()) as Record<string, unknown>;
    assert.deepEqual(
      (sources as { source: string; ok: boolean }[]).map((s) => [s.source, s.ok]),
      [['dse', true]],
      "each source's freshness, from the sources registry",
    );
    assert.deepEqual(
      { ...body, ageSeconds: typeof body.ageSeconds },
      {
        status: 'ok',
        color: 'blue',
        version: '2.0.0-test',
        imageTag: 'img-abc',
        commit: 'c0ffee',
        source: 'dse',
        dataDate: '2026-04-23',
        generatedAt: pointer.generatedAt,
        ageSeconds: 'number',
      },
    );
    assert.ok((body.ageSeconds as number) < 60);
  });

  it('/env.css: the badge names the serving colour, whoever published the page; never cached', async () => {
    const res = await request(app.port, '/env.css');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/css/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body.toString(), /\.env-badge::after \{ content: "blue environment"; \}/);
    assert.equal(envCss(undefined).includes('::after'), false, 'no colour: the badge stays hidden');
    assert.match(
      envCss('x"}body{display:none'),
      /"unknown environment"/,
      'only a plain name reaches the CSS',
    );
  });

  it('writes a structured access log line per request', async () => {
    await request(app.port, '/data/latest.json?x=secret');
    const line = app.logs.filter((l) => l.msg === 'request' && l.path === '/data/latest.json').at(-1);
    assert.ok(line, 'access log line');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.bytes, (await s3Bytes('data/latest.json')).length);
  });
});
