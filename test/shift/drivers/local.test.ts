// The local driver against a real router (admin API and main URL) in front of two loopback targets.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLOR_HEADER, type Color } from '../../../contract/index.ts';
import { listen } from '../../../lib/listen.ts';
import { silentLogger } from '../../../lib/log.ts';
import { createAdminServer } from '../../../local/router/admin.ts';
import { createRouter, type Router } from '../../../local/router/router.ts';
import { createLocalDriver } from '../../../shift/drivers/local.ts';
import { readRecordedWeights } from '../../../shift/drivers/localStore.ts';
import { RollbackIncompleteError } from '../../../shift/errors.ts';
import { listenTracked, startLoopback, type LoopbackServer } from '../../helpers/loopback.ts';

describe('local shift driver (real router, real files)', () => {
  let dir: string;
  let targets: LoopbackServer[];
  let router: Router;
  let closers: (() => Promise<void>)[];
  let driver: ReturnType<typeof createLocalDriver>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exchange-local-driver-'));
    const colour = (c: Color) =>
      startLoopback((req, res) => {
        const status = req.url === '/boom' ? 500 : 200;
        res
          .writeHead(status, { [COLOR_HEADER]: c, 'content-type': 'application/json' })
          .end(`{"color":"${c}"}`);
      });
    targets = [await colour('blue'), await colour('green')];
    router = createRouter({
      targets: { blue: targets[0]!.origin, green: targets[1]!.origin },
      weights: { blue: 100, green: 0 },
      health: { path: '/livez', intervalMs: 10, timeoutMs: 200, healthyThreshold: 2, unhealthyThreshold: 3 },
      log: silentLogger,
    });
    const main = await listenTracked(router.server);
    // One task per colour, as `npm start` runs them: the services' capacity the driver reads.
    const config = { minCapacity: 1, maxCapacity: 1, standbyTasks: 0 };
    const one = {
      running: 1,
      desired: 1,
      pending: 0,
      minCapacity: 1,
      maxCapacity: 1,
      scaleInSuspended: false,
      config,
    };
    const admin = createAdminServer(router, {
      capacity: { read: () => ({ blue: one, green: one }), update: () => one },
    });
    const adminPort = await listen(admin, 0, '127.0.0.1', 'admin');
    driver = createLocalDriver({
      routerUrl: `http://127.0.0.1:${main.port}`,
      adminUrl: `http://127.0.0.1:${adminPort}`,
      stateDir: join(dir, 'shift'),
    });
    closers = [
      main.close,
      () => new Promise<void>((r) => admin.close(() => r())),
      targets[0]!.close,
      targets[1]!.close,
    ];
  });

  afterEach(async () => {
    driver.close();
    router.close();
    for (const c of closers) await c();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a step to the record first, then to the router', async () => {
    await driver.writeWeights({ blue: 90, green: 10 });
    assert.deepEqual(await readRecordedWeights(join(dir, 'shift')), { blue: 90, green: 10 });
    assert.deepEqual(await driver.readLiveWeights(), { blue: 90, green: 10 });
  });

  it('a step whose record cannot be written never reaches the router', async () => {
    await writeFile(join(dir, 'shift'), 'a file where the state folder should be');
    await assert.rejects(driver.writeWeights({ blue: 90, green: 10 }));
    assert.deepEqual(router.weights(), { blue: 100, green: 0 }, 'an unrecorded step must not go live');
  });

  it('rolls back on the router first: a failed record afterwards still leaves traffic on the old colour', async () => {
    router.setWeights({ blue: 0, green: 100 });
    await writeFile(join(dir, 'shift'), 'a file where the state folder should be');
    await assert.rejects(driver.rollbackWeights({ blue: 100, green: 0 }), RollbackIncompleteError);
    assert.deepEqual(router.weights(), { blue: 100, green: 0 }, 'the router must hold the rollback weights');
  });

  it('reads target health, probes both routes and counts a split sample by colour header', async () => {
    router.setWeights({ blue: 50, green: 50 });
    const before = await driver.targetHealth('green');
    assert.deepEqual(
      before,
      { registered: 1, healthy: 0, initial: 1, desired: 1, pending: 0 },
      'no health check yet: registered, still initial',
    );
    router.startHealthChecks();
    while ((await driver.targetHealth('green')).healthy === 0) await new Promise((r) => setTimeout(r, 10));
    const probe = await driver.probe({ route: { via: 'test-route', color: 'green' }, path: '/healthz' });
    assert.deepEqual([probe.status, probe.color, probe.body], [200, 'green', '{"color":"green"}']);
    const s = await driver.sampleSplit(40);
    assert.equal(s.counts.blue + s.counts.green, 40);
    assert.ok(s.counts.blue > 0 && s.counts.green > 0, `50/50 must reach both: ${JSON.stringify(s)}`);
  });

  it('reports no data for a window without requests, and counts target 5xx', async () => {
    const from = Date.now();
    assert.deepEqual(await driver.metrics('green', { fromMs: from, toMs: Date.now() + 1 }), {
      requests: null,
      errors5xx: null,
      p99Ms: null,
    });
    await driver.probe({ route: { via: 'test-route', color: 'green' }, path: '/boom' });
    const m = await driver.metrics('green', { fromMs: from, toMs: Date.now() + 1 });
    assert.deepEqual([m.requests, m.errors5xx], [1, 1]);
  });

  it('a probe to a dead router is status 0 with the reason, not a throw', async () => {
    const dead = createLocalDriver({
      routerUrl: 'http://127.0.0.1:1',
      adminUrl: 'http://127.0.0.1:1',
      stateDir: dir,
    });
    try {
      const r = await dead.probe({ route: { via: 'main' }, path: '/' });
      assert.deepEqual([r.status, r.error], [0, 'ECONNREFUSED']);
      await assert.rejects(dead.readLiveWeights(), /router admin GET \/weights failed/);
    } finally {
      dead.close();
    }
  });
});
