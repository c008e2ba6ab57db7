// Graceful shutdown: in-flight requests finish, keep-alive connections close, the process exits 0.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { drain } from '../../serve/shutdown.ts';
import { silentLogger } from '../../lib/log.ts';
import { countingClient, IDENTITY, request, startServe, type Running } from './http.ts';
import { startPublishedBucket, type PublishedBucket } from './published.ts';
import { startSlowProxy, type SlowProxy } from './slowProxy.ts';

function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('serve: graceful shutdown', () => {
  let bucket: PublishedBucket;
  let proxy: SlowProxy;
  /** The publish's page: what / serves. */
  let page: string;

  before(async () => {
    bucket = await startPublishedBucket();
    page = (await bucket.publish()).keys.page;
  });
  beforeEach(async () => {
    proxy = await startSlowProxy(bucket.embedded.endpoint);
  });
  afterEach(async () => {
    await proxy.close();
  });
  after(async () => {
    await bucket.close();
  });

  describe('drain (in-process)', () => {
    let app: Running;
    afterEach(async () => app?.close());

    it('lets a slow in-flight request finish, closes idle keep-alive sockets, resolves unforced', async () => {
      const env = { ...bucket.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
      app = await startServe({
        s3: countingClient(env, []),
        bucket: bucket.bucket,
        identity: IDENTITY,
        maxAgeSeconds: 3600,
      });
      const agent = new http.Agent({ keepAlive: true });
      // A keep-alive connection that sits idle after its response.
      await new Promise<void>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port: app.port, path: '/healthz', agent }, (res) =>
            res.resume().on('end', resolve),
          )
          .on('error', reject),
      );
      let idleClosed = false;
      const [idle] = Object.values(agent.freeSockets).flat();
      assert.ok(idle, 'an idle keep-alive socket exists');
      idle.on('close', () => (idleClosed = true));

      // The in-flight request is keep-alive too: its socket must be closed once it is answered.
      const inflightAgent = new http.Agent({ keepAlive: true });
      proxy.slow(page, 700);
      const slow = request(app.port, '/', { agent: inflightAgent });
      await proxy.waitForSlow();
      const result = await drain(app.server, { graceMs: 10_000, log: silentLogger });
      const res = await slow;
      assert.deepEqual(result, { forced: false });
      assert.equal(res.status, 200);
      assert.match(res.body.toString(), /<\/html>\n$/);
      assert.equal(idleClosed, true, 'idle keep-alive socket was closed');
      assert.equal(await connectRefused(app.port), true, 'no longer accepting');
      assert.equal(res.headers.connection, 'keep-alive', 'the request started before the drain');
      agent.destroy();
      inflightAgent.destroy();
    });

    it('force-closes what is still running when the grace period ends', async () => {
      const env = { ...bucket.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
      app = await startServe({
        s3: countingClient(env, [], 1),
        bucket: bucket.bucket,
        identity: IDENTITY,
        maxAgeSeconds: 3600,
      });
      proxy.slow(page, 30_000);
      const stuck = request(app.port, '/').then(
        () => 'answered',
        (err: NodeJS.ErrnoException) => err.code,
      );
      await proxy.waitForSlow();
      const result = await drain(app.server, { graceMs: 150, log: silentLogger });
      assert.deepEqual(result, { forced: true });
      assert.equal(await stuck, 'ECONNRESET');
    });
  });

  describe('connections that never send a request', () => {
    let app: Running;
    afterEach(async () => app?.close());

    /** A TCP connection that sends `bytes` (maybe nothing) and records what comes back. */
    function silentClient(port: number, bytes = ''): { reply: () => string; closed: Promise<number> } {
      const started = Date.now();
      let text = '';
      const socket = net.connect(port, '127.0.0.1', () => {
        if (bytes) socket.write(bytes);
      });
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('error', () => undefined);
      return {
        reply: () => text,
        closed: new Promise((resolve) => socket.on('close', () => resolve(Date.now() - started))),
      };
    }

    it('shutdown closes a connection that connected but never sent a request, without waiting out the grace', async () => {
      app = await startServe({
        s3: countingClient(bucket.env, []),
        bucket: bucket.bucket,
        identity: IDENTITY,
        maxAgeSeconds: 3600,
      });
      const silent = silentClient(app.port);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const result = await drain(app.server, { graceMs: 10_000, log: silentLogger });
      assert.deepEqual(result, { forced: false });
      assert.ok(
        Date.now() - started < 2000,
        `drain took ${Date.now() - started} ms: it waited on a silent connection`,
      );
      await silent.closed;
    });

    it('a client that sends its headers too slowly gets 408 at the header timeout and is closed', async () => {
      app = await startServe({
        s3: countingClient(bucket.env, []),
        bucket: bucket.bucket,
        identity: IDENTITY,
        maxAgeSeconds: 3600,
        headersTimeoutMs: 500,
      });
      const slow = silentClient(app.port, 'GET / HTTP/1.1\r\nHost: x\r\n');
      const closedAfter = await slow.closed;
      assert.match(slow.reply(), /^HTTP\/1\.1 408 /, `reply: ${JSON.stringify(slow.reply().slice(0, 60))}`);
      assert.ok(
        closedAfter >= 450 && closedAfter < 2000,
        `closed after ${closedAfter} ms, header timeout 500 ms`,
      );
      assert.equal((await request(app.port, '/healthz')).status, 200, 'keeps serving');
    });
  });

  describe('exchange serve (child process)', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
    });

    it('on SIGTERM finishes the slow in-flight request and exits 0', async () => {
      child = spawn(
        process.execPath,
        [
          'bin/exchange.js',
          'serve',
          '--bucket',
          bucket.bucket,
          '--port',
          '0',
          '--host',
          '127.0.0.1',
          '--max-age',
          '36h',
        ],
        {
          env: {
            ...process.env,
            ...bucket.env,
            AWS_ENDPOINT_URL_S3: proxy.endpoint,
            EXCHANGE_COLOR: 'green',
            EXCHANGE_VERSION: '9.9.9',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const lines: Record<string, unknown>[] = [];
      let stdout = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
      const port = await new Promise<number>((resolve, reject) => {
        let buf = '';
        child!.stderr!.on('data', (d: Buffer) => {
          buf += d.toString();
          for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
            const text = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (!text.startsWith('{')) continue;
            const line = JSON.parse(text) as Record<string, unknown>;
            lines.push(line);
            if (line.msg === 'listening') resolve(line.port as number);
          }
        });
        child!.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      });

      const h = await request(port, '/healthz');
      assert.equal(h.status, 200);
      assert.equal(h.headers['x-exchange-color'], 'green');
      assert.equal((JSON.parse(h.body.toString()) as { version: string }).version, '9.9.9');

      proxy.slow(page, 1000);
      const slow = request(port, '/');
      await proxy.waitForSlow();
      child.kill('SIGTERM');
      const res = await slow;
      assert.equal(res.status, 200);
      assert.match(res.body.toString(), /Dhaka Stock Exchange/);
      assert.equal(await exited, 0);
      assert.equal(stdout, '', 'stdout stays clean');
      const stopped = lines.find((l) => l.msg === 'stopped');
      assert.deepEqual(stopped?.forced, false);
      assert.ok(lines.some((l) => l.msg === 'stopping' && l.signal === 'SIGTERM'));
      const access = lines.find((l) => l.msg === 'request' && l.path === '/');
      assert.equal(access?.status, 200);
    });
  });
});
