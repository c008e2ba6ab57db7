// HTTP probes and the split sample against a real loopback server standing in for the ALB.
import assert from 'node:assert/strict';
import { probeClient, probeHttp, sampleSplitHttp } from '../../shift/drivers/http.ts';
import { startLoopback, type LoopbackServer } from '../helpers/loopback.ts';

describe('shift HTTP probes', () => {
  let alb: LoopbackServer;
  before(async () => {
    // Every 4th request without a colour header goes to green (25%); the header pins the colour.
    let n = 0;
    alb = await startLoopback((req, res) => {
      const pinned = req.headers['x-exchange-color'];
      const color = typeof pinned === 'string' ? pinned : n++ % 4 === 3 ? 'green' : 'blue';
      if (req.url === '/broken') return void res.writeHead(502).end('bad gateway');
      res.writeHead(200, { 'content-type': 'application/json', 'x-exchange-color': color });
      res.end(JSON.stringify({ status: 'ok', color, version: color === 'green' ? '1.1.0' : '1.0.0' }));
    });
  });
  after(async () => alb.close());

  it('a test-route probe sends the colour header and returns status, colour and body', async () => {
    const r = await probeHttp(probeClient(), alb.origin, {
      route: { via: 'test-route', color: 'green' },
      path: '/healthz',
    });
    assert.equal(r.status, 200);
    assert.equal(r.color, 'green');
    assert.equal(JSON.parse(r.body).version, '1.1.0');
    assert.equal(alb.requests.at(-1)?.headers['x-exchange-color'], 'green');
  });

  it('sends the test route secret only on test-route probes, and only when one is set', async () => {
    const route = { via: 'test-route', color: 'blue' } as const;
    await probeHttp(probeClient(), alb.origin, { route, path: '/healthz' }, 's3cret');
    assert.equal(
      alb.requests.at(-1)?.headers['x-exchange-test-key'],
      's3cret',
      'the listener rule needs the key',
    );
    await probeHttp(probeClient(), alb.origin, { route, path: '/healthz' });
    assert.equal(
      alb.requests.at(-1)?.headers['x-exchange-test-key'],
      undefined,
      'no key configured: none sent',
    );
    await probeHttp(probeClient(), alb.origin, { route: { via: 'main' }, path: '/healthz' }, 's3cret');
    assert.equal(
      alb.requests.at(-1)?.headers['x-exchange-test-key'],
      undefined,
      'the main URL never gets the secret',
    );
  });

  it('an error status is a result, not a throw; no answer is status 0 with the reason', async () => {
    assert.equal(
      (await probeHttp(probeClient(), alb.origin, { route: { via: 'main' }, path: '/broken' })).status,
      502,
    );
    const closed = await startLoopback(() => undefined);
    const origin = closed.origin;
    await closed.close();
    const r = await probeHttp(probeClient(300), origin, { route: { via: 'main' }, path: '/healthz' });
    assert.equal(r.status, 0);
    assert.match(r.error ?? '', /ECONNREFUSED|RequestError/);
  });

  it('the split sample sends exactly n requests through the main URL and counts colours', async () => {
    const before = alb.requests.length;
    const s = await sampleSplitHttp(probeClient(), alb.origin, 200);
    assert.equal(alb.requests.length - before, 200);
    assert.deepEqual(s, { counts: { blue: 150, green: 50 }, other: 0 });
  });
});
