// The release pipeline's own steps: which colour is idle, and the verify through the test route
// (against a real loopback server standing in for the ALB's header rule).
import assert from 'node:assert/strict';
import { releaseEnv, releaseTarget } from '../../ci/lib/idleColour.ts';
import { readinessProblem, verifyTestRoute } from '../../ci/lib/verifyRoute.ts';
import { COLOR_HEADER, READINESS_PATH } from '../../contract/index.ts';
import { startLoopback, type LoopbackServer } from '../helpers/loopback.ts';

const URL_OUT = 'https://exchange.example.com';

describe('release: the idle colour', () => {
  const both = ['blue', 'green'];
  it('is the colour that takes no traffic', () => {
    assert.equal(
      releaseTarget({
        liveColor: 'blue',
        weights: { blue: 100, green: 0 },
        url: URL_OUT,
        forwardedColors: both,
      }).idle,
      'green',
    );
    assert.equal(
      releaseTarget({
        liveColor: 'green',
        weights: { blue: 0, green: 100 },
        url: URL_OUT,
        forwardedColors: both,
      }).idle,
      'blue',
    );
  });

  it('must be bootstrapped: a pipeline cannot create its stack, and a shift needs the shared stack to list it', () => {
    for (const [live, forwardedColors, idle] of [
      ['blue', ['blue'], 'green'],
      ['none', [], 'blue'],
      ['blue', undefined, 'green'],
    ] as const)
      assert.throws(
        () =>
          releaseTarget({
            liveColor: live,
            weights: { blue: live === 'blue' ? 100 : 0, green: 0 },
            url: URL_OUT,
            forwardedColors,
          }),
        (e: unknown) =>
          e instanceof Error &&
          new RegExp(`^${idle} is not bootstrapped`).test(e.message) &&
          /README "First deployment from nothing"/.test((e as { hint?: string }).hint ?? ''),
      );
  });

  it('does not exist while traffic is split: the release stops instead of replacing a live colour', () => {
    assert.throws(
      () => releaseTarget({ liveColor: 'blue', weights: { blue: 90, green: 10 }, url: URL_OUT }),
      (e: unknown) =>
        e instanceof Error &&
        /traffic is split/.test(e.message) &&
        /shift abort/.test((e as { hint?: string }).hint ?? ''),
    );
  });

  it('needs the shared stack outputs', () => {
    assert.throws(
      () => releaseTarget({ liveColor: 'blue', weights: { blue: 100, green: 0 } }),
      /exports no url/,
    );
    assert.throws(
      () => releaseTarget({ liveColor: 'purple', weights: {}, url: URL_OUT }),
      /"purple", not blue, green or none/,
    );
  });

  it('is handed to later jobs as dotenv lines', () => {
    assert.equal(
      releaseEnv({ live: 'blue', idle: 'green', siteUrl: URL_OUT }),
      `LIVE_COLOR=blue\nIDLE_COLOR=green\nSITE_URL=${URL_OUT}\n`,
    );
  });
});

describe('release: verify through the test route', () => {
  const want = { color: 'green' as const, version: '1.2.0' };
  it('accepts only a 200 naming the released colour and version', () => {
    assert.equal(
      readinessProblem(200, JSON.stringify({ color: 'green', version: '1.2.0' }), want),
      undefined,
    );
    assert.match(readinessProblem(503, '{"status":"stale"}', want) ?? '', /answered 503/);
    assert.match(
      readinessProblem(200, JSON.stringify({ color: 'blue', version: '1.2.0' }), want) ?? '',
      /reached colour blue, not green/,
    );
    assert.match(
      readinessProblem(200, JSON.stringify({ color: 'green', version: '1.1.0' }), want) ?? '',
      /runs version 1.1.0, not 1.2.0/,
    );
  });

  let server: LoopbackServer;
  afterEach(() => server?.close());

  it('sends the colour header and waits until the new version answers', async () => {
    server = await startLoopback((req, res, i) => {
      const color = req.headers[COLOR_HEADER.toLowerCase()];
      const version = i < 2 ? '1.1.0' : '1.2.0'; // the first probes still reach the old tasks
      res.writeHead(req.url === READINESS_PATH ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ color, version }));
    });
    await verifyTestRoute({ siteUrl: server.origin, ...want, timeoutMs: 5000, intervalMs: 10 });
    assert.equal(server.requests.length, 3);
  });

  it('fails with the last problem when the version never arrives', async () => {
    server = await startLoopback((req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ color: 'green', version: '1.1.0' }));
    });
    await assert.rejects(
      verifyTestRoute({ siteUrl: server.origin, ...want, timeoutMs: 100, intervalMs: 10 }),
      /green runs version 1.1.0, not 1.2.0/,
    );
  });
});
