import assert from 'node:assert/strict';
import { COLOR_HEADER, LIVENESS_PATH, type Color } from '../../../contract/index.ts';
import { listen } from '../../../lib/listen.ts';
import { silentLogger } from '../../../lib/log.ts';
import { createAdminServer } from '../../../local/router/admin.ts';
import { createRouter, ROUTED_HEADER, type Router } from '../../../local/router/router.ts';
import { listenTracked, startLoopback, type LoopbackServer } from '../../helpers/loopback.ts';

interface Target {
  server: LoopbackServer;
  healthy: boolean;
  /** Requests to /hold wait until release() is called. */
  release: () => void;
}

async function target(color: Color): Promise<Target> {
  const t = { healthy: true, release: () => undefined } as Target;
  const waiting: (() => void)[] = [];
  t.release = () => {
    for (const w of waiting.splice(0)) w();
  };
  t.server = await startLoopback(async (req, res) => {
    if (req.url === LIVENESS_PATH) return void res.writeHead(t.healthy ? 200 : 503).end();
    if (req.url === '/hold') await new Promise<void>((r) => waiting.push(r));
    res.writeHead(200, { [COLOR_HEADER]: color, 'content-type': 'text/plain' }).end(color);
  });
  return t;
}

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; color: string | null; routed: string | null }> {
  const res = await fetch(url, { headers });
  await res.text();
  return { status: res.status, color: res.headers.get(COLOR_HEADER), routed: res.headers.get(ROUTED_HEADER) };
}

describe('local router (real HTTP: http-proxy-3 in front of two loopback targets)', () => {
  let blue: Target;
  let green: Target;
  let router: Router;
  let url: string;
  let admin: string;
  let closers: (() => Promise<void>)[];

  beforeEach(async () => {
    blue = await target('blue');
    green = await target('green');
    let n = 0;
    router = createRouter({
      targets: { blue: blue.server.origin, green: green.server.origin },
      weights: { blue: 70, green: 30 },
      health: {
        path: LIVENESS_PATH,
        intervalMs: 10,
        timeoutMs: 200,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      drainTimeoutMs: 5_000,
      log: silentLogger,
      // A fixed sequence 0, 0.1, …, 0.9 makes the weighted split exact instead of statistical.
      random: () => (n++ % 10) / 10,
    });
    const main = await listenTracked(router.server);
    const adminServer = createAdminServer(router);
    const adminPort = await listen(adminServer, 0, '127.0.0.1', 'admin');
    url = `http://127.0.0.1:${main.port}`;
    admin = `http://127.0.0.1:${adminPort}`;
    closers = [
      main.close,
      () => new Promise<void>((r) => adminServer.close(() => r())),
      async () => router.close(),
      blue.server.close,
      green.server.close,
    ];
  });

  afterEach(async () => {
    blue.release();
    green.release();
    router.close();
    for (const c of closers) await c().catch(() => undefined);
  });

  it('forwards each request by weight, like the forward action', async () => {
    const seen: Record<string, number> = { blue: 0, green: 0 };
    for (let i = 0; i < 20; i++) {
      const color = (await get(`${url}/`)).color ?? 'none';
      seen[color] = (seen[color] ?? 0) + 1;
    }
    assert.deepEqual(seen, { blue: 14, green: 6 }, 'weights 70/30 over 20 requests must split 14/6');
  });

  it('routes the X-Exchange-Color test header to that colour whatever the weights', async () => {
    router.setWeights({ blue: 100, green: 0 });
    const r = await get(`${url}/`, { [COLOR_HEADER]: 'green' });
    assert.equal(r.color, 'green');
  });

  it('answers 502 naming the colour when its target is gone, and counts it as the router’s own 5xx', async () => {
    await green.server.close();
    const r = await get(`${url}/`, { [COLOR_HEADER]: 'green' });
    assert.equal(r.status, 502);
    assert.equal(
      r.routed,
      'green',
      `the router's own error must say which colour it tried (${ROUTED_HEADER})`,
    );
    const w = router.metrics.window('green', 0, Date.now() + 1);
    assert.deepEqual([w.routerErrors5xx, w.errors5xx], [1, 0], 'a dead target is ELB_5XX, not Target_5XX');
  });

  it('drains a colour set to weight 0: in-flight requests finish, new ones go elsewhere', async () => {
    router.setWeights({ blue: 100, green: 0 });
    const held = get(`${url}/hold`);
    while (router.metrics.inFlight('blue') === 0) await new Promise((r) => setTimeout(r, 5));
    router.setWeights({ blue: 0, green: 100 });
    assert.ok(router.status().blue.drainingSinceMs, 'blue must be draining while a request is in flight');
    assert.equal((await get(`${url}/`)).color, 'green', 'a new request must not go to the draining colour');
    blue.release();
    assert.equal((await held).status, 200, 'the in-flight request must complete, not be cut');
    assert.equal(router.status().blue.drainingSinceMs, undefined, 'drain must end once nothing is in flight');
  });

  it('health-checks the liveness path with the thresholds and reports it on the admin API', async () => {
    router.startHealthChecks();
    const until = async (color: Color, state: string): Promise<void> => {
      const end = Date.now() + 5_000;
      while (router.status()[color].state !== state) {
        if (Date.now() > end)
          assert.fail(`${color} never became ${state}: ${JSON.stringify(router.status()[color])}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await until('green', 'healthy');
    green.healthy = false;
    await until('green', 'unhealthy');
    const body = (await (await fetch(`${admin}/health`)).json()) as Record<
      Color,
      { state: string; reason: string }
    >;
    assert.equal(body.green.state, 'unhealthy');
    assert.equal(body.green.reason, '503');
    assert.equal(body.blue.state, 'healthy');
  });

  it('admin API: weights read and written, bad weights refused with the reason, metrics by window', async () => {
    const put = (body: string) => fetch(`${admin}/weights`, { method: 'PUT', body });
    const bad = await put('{"blue": 100, "green": 1000}');
    assert.equal(bad.status, 400);
    assert.match(
      ((await bad.json()) as { error: string }).error,
      /weight of green 1000 is not an integer in 0–999/,
    );
    assert.equal((await put('{"blue": 0, "green": 100}')).status, 200);
    assert.deepEqual(await (await fetch(`${admin}/weights`)).json(), { blue: 0, green: 100 });
    const from = Date.now();
    await get(`${url}/`);
    const m = (await (
      await fetch(`${admin}/metrics?fromMs=${from}&toMs=${Date.now() + 1}`)
    ).json()) as Record<Color, { window: { requests: number } }>;
    assert.deepEqual([m.green.window.requests, m.blue.window.requests], [1, 0]);
    assert.equal((await fetch(`${admin}/metrics?fromMs=x`)).status, 400);
  });
});
