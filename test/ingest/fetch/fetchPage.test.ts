import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { createHttpClient, type HttpClientOptions } from '../../../ingest/fetch/client.ts';
import { FetchError } from '../../../ingest/fetch/errors.ts';
import { fetchPage } from '../../../ingest/fetch/fetchPage.ts';
import {
  sendBytes,
  startLoopback,
  type LoopbackHandler,
  type LoopbackServer,
} from '../../helpers/loopback.ts';

const now = (): Date => new Date('2026-04-24T08:00:00.000Z');
const fast: HttpClientOptions = {
  version: '9.9.9',
  backoffBaseMs: 10,
  backoffLimitMs: 20,
  requestTimeoutMs: 2_000,
};

describe('fetchPage against a loopback server', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function serve(handler: LoopbackHandler): Promise<string> {
    server = await startLoopback(handler);
    return `${server.origin}/page`;
  }
  async function expectFetchError(
    url: string,
    options: Partial<HttpClientOptions> = {},
  ): Promise<FetchError> {
    const client = createHttpClient({ ...fast, ...options });
    const err = await fetchPage(client, url, { now }).then(
      () => assert.fail('expected a FetchError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof FetchError, `got ${String(err)}`);
    assert.ok(err.message.includes(url), `message names the URL: ${err.message}`);
    assert.ok(err.hint && err.hint.length > 0, 'has a fix');
    return err;
  }

  it('returns the bytes, content type, status and a clear user agent', async () => {
    const url = await serve((_req, res) =>
      sendBytes(res, 'ok-body', { 'content-type': 'text/html; charset=utf-8' }),
    );
    const page = await fetchPage(createHttpClient(fast), url, { now });
    assert.equal(page.body.toString(), 'ok-body');
    assert.equal(page.contentType, 'text/html; charset=utf-8');
    assert.equal(page.status, 200);
    assert.equal(page.url, url);
    assert.equal(page.fetchedAt, '2026-04-24T08:00:00.000Z');
    assert.equal(page.attempts, 1);
    assert.equal(server?.requests[0]?.headers['user-agent'], 'exchange-ingest/9.9.9');
  });

  it('asks for compression and decompresses gzip', async () => {
    const url = await serve((req, res) => {
      assert.match(String(req.headers['accept-encoding']), /gzip/);
      sendBytes(res, gzipSync('<table>zipped</table>'), {
        'content-encoding': 'gzip',
        'content-type': 'text/html',
      });
    });
    const page = await fetchPage(createHttpClient(fast), url, { now });
    assert.equal(page.body.toString(), '<table>zipped</table>');
  });

  it('retries a 500 and returns the following 200', async () => {
    const url = await serve((_req, res, i) => {
      if (i === 0) {
        res.writeHead(500).end('boom');
        return;
      }
      sendBytes(res, 'second');
    });
    const page = await fetchPage(createHttpClient(fast), url, { now });
    assert.equal(page.body.toString(), 'second');
    assert.equal(page.attempts, 2);
    assert.equal(server?.requests.length, 2);
  });

  it('gives up with http-status after the retries are spent', async () => {
    const url = await serve((_req, res) => void res.writeHead(503).end());
    const err = await expectFetchError(url, { retryLimit: 2 });
    assert.equal(err.kind, 'http-status');
    assert.equal(err.status, 503);
    assert.equal(err.attempts, 3);
    assert.equal(server?.requests.length, 3);
    assert.match(err.oneLine(), /HTTP 503 .*after 3 attempts — .*retry later/);
  });

  it('does not retry a 404', async () => {
    const url = await serve((_req, res) => void res.writeHead(404).end());
    const err = await expectFetchError(url);
    assert.equal(err.kind, 'http-status');
    assert.equal(err.status, 404);
    assert.equal(server?.requests.length, 1);
  });

  it('times out a server that never answers', async () => {
    const url = await serve(() => undefined);
    const err = await expectFetchError(url, { requestTimeoutMs: 150, retryLimit: 1 });
    assert.equal(err.kind, 'timeout');
    assert.equal(server?.requests.length, 2);
    assert.match(err.message, /within 150 ms after 2 attempts/);
  });

  it('retries a connection reset and succeeds', async () => {
    const url = await serve((req, res, i) => {
      if (i === 0) {
        req.socket.destroy();
        return;
      }
      sendBytes(res, 'recovered');
    });
    const page = await fetchPage(createHttpClient(fast), url, { now });
    assert.equal(page.body.toString(), 'recovered');
    assert.equal(server?.requests.length, 2);
  });

  it('reports a connection that keeps resetting', async () => {
    const url = await serve((req) => void req.socket.destroy());
    const err = await expectFetchError(url, { retryLimit: 1 });
    assert.equal(err.kind, 'connection-reset');
    assert.equal(server?.requests.length, 2);
  });

  it('reports a truncated body (content-length larger than sent)', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100));
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const err = await expectFetchError(url, { retryLimit: 1 });
    assert.equal(err.kind, 'truncated');
    assert.match(err.message, /body ended early \(\d+ of 1000 bytes\)/);
    assert.equal(server?.requests.length, 2);
  });

  it('rejects a declared length over the limit without retrying', async () => {
    const url = await serve((_req, res) => sendBytes(res, Buffer.alloc(5_000, 120)));
    const err = await expectFetchError(url, { maxResponseBytes: 1_000 });
    assert.equal(err.kind, 'too-large');
    assert.match(err.message, /larger than the 1000-byte limit/);
    assert.equal(server?.requests.length, 1);
  });

  it('aborts a chunked body once it passes the limit', async () => {
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => {
        written += 1_000;
        if (!res.write(Buffer.alloc(1_000, 120)) || written > 200_000) clearInterval(timer);
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const err = await expectFetchError(url, { maxResponseBytes: 10_000 });
    assert.equal(err.kind, 'too-large');
    assert.ok(written < 200_000, `stopped early (server wrote ${written})`);
  });

  it('rejects a small gzip body that inflates past the limit', async () => {
    const url = await serve((_req, res) =>
      sendBytes(res, gzipSync(Buffer.alloc(50_000, 120)), { 'content-encoding': 'gzip' }),
    );
    const err = await expectFetchError(url, { maxResponseBytes: 10_000 });
    assert.equal(err.kind, 'too-large');
    // got counts decompressed bytes, so the download stops well before the 50 kB inflate.
    const seen = Number(/\((\d+) bytes\)/.exec(err.message)?.[1]);
    assert.ok(seen > 10_000 && seen < 50_000, `stopped at ${seen}`);
  });

  it('rejects a non-http URL before any request', async () => {
    const err = await expectFetchError('file:///etc/passwd');
    assert.equal(err.kind, 'bad-url');
  });
});
