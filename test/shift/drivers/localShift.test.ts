// A whole shift through the local driver against a real router and two loopback colours: a colour
// that stops answering (as `kill -STOP` of its serve) is rolled back within the plan's stated budget,
// and the CLI stopped by SIGTERM exits 143, says which weights it left and marks the record.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLOR_HEADER, type Color } from '../../../contract/index.ts';
import { listen } from '../../../lib/listen.ts';
import { silentLogger } from '../../../lib/log.ts';
import { createAdminServer } from '../../../local/router/admin.ts';
import { createRouter, type Router } from '../../../local/router/router.ts';
import { startShift } from '../../../shift/api.ts';
import { createLocalDriver, localTiming } from '../../../shift/drivers/local.ts';
import { buildPlan, planBudget } from '../../../shift/plan.ts';
import { resolveDeps } from '../../../shift/session.ts';
import type { ShiftEvent } from '../../../shift/port.ts';
import type { ShiftRecord } from '../../../release/state/shiftRecord.ts';
import { listenTracked, startLoopback, type LoopbackServer } from '../../helpers/loopback.ts';
import { errorLines, runCli, startCli } from '../../helpers/spawn.ts';

const VERSION: Record<Color, string> = { blue: '1.0.0', green: '1.1.0' };

describe('a local shift through a real router', function () {
  this.timeout(30_000);
  let dir: string;
  let targets: LoopbackServer[];
  let router: Router;
  let urls: { routerUrl: string; adminUrl: string };
  let closers: (() => Promise<void>)[];
  const hung: Record<Color, boolean> = { blue: false, green: false };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exchange-local-shift-'));
    hung.blue = hung.green = false;
    const colour = (c: Color) =>
      startLoopback((req, res) => {
        if (hung[c]) return; // a stopped process: the connection is accepted, nothing ever answers
        const body = JSON.stringify({ status: 'ok', color: c, version: VERSION[c] });
        res.writeHead(200, { [COLOR_HEADER]: c, 'content-type': 'application/json' }).end(body);
      });
    targets = [await colour('blue'), await colour('green')];
    router = createRouter({
      targets: { blue: targets[0]!.origin, green: targets[1]!.origin },
      weights: { blue: 100, green: 0 },
      health: { path: '/livez', intervalMs: 20, timeoutMs: 5000, healthyThreshold: 2, unhealthyThreshold: 3 },
      log: silentLogger,
    });
    const main = await listenTracked(router.server);
    // One task per colour that always runs (min = max = 1): the capacity hold reads and sets it as it
    // would a local service's (local/capacityAdmin.ts), without starting serve processes.
    const suspended: Record<Color, boolean> = { blue: false, green: false };
    const task = (c: Color) => ({
      running: 1,
      desired: 1,
      pending: 0,
      minCapacity: 1,
      maxCapacity: 1,
      scaleInSuspended: suspended[c],
      config: { minCapacity: 1, maxCapacity: 1, standbyTasks: 1 },
      placeable: null,
    });
    const admin = createAdminServer(router, {
      capacity: {
        read: () => ({ blue: task('blue'), green: task('green') }),
        update(color, body) {
          const c = color as Color;
          const b = body as { scaleInSuspended?: boolean };
          if (typeof b.scaleInSuspended === 'boolean') suspended[c] = b.scaleInSuspended;
          return task(c);
        },
      },
    });
    const adminPort = await listen(admin, 0, '127.0.0.1', 'admin');
    router.startHealthChecks();
    while (Object.values(router.status()).some((s) => s.state !== 'healthy'))
      await new Promise((r) => setTimeout(r, 10));
    urls = { routerUrl: `http://127.0.0.1:${main.port}`, adminUrl: `http://127.0.0.1:${adminPort}` };
    closers = [
      main.close,
      () => new Promise<void>((r) => admin.close(() => r())),
      targets[0]!.close,
      targets[1]!.close,
    ];
  });

  afterEach(async () => {
    router.close();
    for (const c of closers) await c();
    await rm(dir, { recursive: true, force: true });
  });

  it('a colour that stops answering mid-bake is back on blue within the stated rollback budget', async () => {
    const driver = createLocalDriver({ ...urls, stateDir: join(dir, 'shift') });
    const clock = {
      now: () => Date.now(),
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    };
    let faultAt = 0;
    let backAt = 0;
    const emit = (e: ShiftEvent) => {
      if (e.action === 'split-confirmed' && faultAt === 0) {
        hung.green = true;
        faultAt = Date.now();
      }
      if (e.action === 'done' && faultAt > 0) backAt = Date.now();
    };
    try {
      const deps = { driver, clock, emit, splitSampleSize: 100 };
      const report = await startShift(deps, { to: 'green', bakeSeconds: 30 });
      assert.equal(report.status, 'rolled-back', report.reason);
      assert.match(report.reason, /no answer \(no answer within 2000 ms\)/);
      const plan = buildPlan({ from: 'blue', to: 'green', bakeSeconds: 30 }, localTiming());
      const budget = planBudget(plan, localTiming(), resolveDeps(deps)).rollback;
      const took = backAt - faultAt;
      assert.ok(
        took <= budget.totalSeconds * 1000,
        `rolled back ${took} ms after the colour hung; the plan states ${budget.totalSeconds} s`,
      );
      assert.deepEqual(router.weights(), { blue: 100, green: 0 });
    } finally {
      driver.close();
    }
  });

  it('the CLI stopped by SIGTERM exits 143, logs the weights it left and marks the record; status then says so', async () => {
    const data = join(dir, 'data');
    await mkdir(data, { recursive: true });
    const system = { pid: process.pid, ...urls, colours: {}, dir: data };
    await writeFile(join(data, 'system.json'), JSON.stringify(system));
    const cli = startCli(['shift', 'start', '--to', 'green', '--local', '--dir', data, '--bake', '60s']);
    try {
      await cli.waitForStdout(/split-confirmed/);
      cli.child.kill('SIGTERM');
      const r = await cli.exit;
      assert.equal(r.code, 143, errorLines(r.stderr).join('\n') + r.stdout);
      const stopped = r.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'stopped');
      assert.equal(stopped?.weights, 'blue 90 / green 10', r.stderr);
      assert.equal(stopped?.signal, 'SIGTERM');
      assert.match(r.stdout, /stop \[blue 90 \/ green 10\] controller stopped by SIGTERM/);
      const rec = JSON.parse(await readFile(join(data, 'shift', 'shift-record.json'), 'utf8')) as ShiftRecord;
      assert.equal(rec.status, 'running');
      assert.ok(rec.stoppedAt, 'the record says its controller stopped');
      assert.deepEqual(
        router.weights(),
        { blue: 90, green: 10 },
        'a stop leaves the weights where they were',
      );
      const status = await runCli(['shift', 'status', '--local', '--dir', data]);
      assert.doesNotMatch(status.stdout, /controller running/);
      assert.match(status.stdout, new RegExp(`"exchange shift resume --local --dir ${data}"`));
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  });
});

describe('a probe after a stall of the controller’s own event loop', function () {
  this.timeout(20_000);
  it('an answer that arrived in time is read before the expired timeout is applied', async () => {
    // The target is another process, so it answers (50 ms after it says it got the request) while
    // this one is blocked.
    const script =
      "const s=require('node:http').createServer((q,r)=>{console.log('request');setTimeout(()=>r.end('{}'),50)});" +
      "s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [port] = (await once(child.stdout, 'data')) as [Buffer];
      const url = `http://127.0.0.1:${String(port).trim()}`;
      const driver = createLocalDriver({ routerUrl: url, adminUrl: url, stateDir: tmpdir() });
      try {
        const probe = driver.probe({ route: { via: 'main' }, path: '/', timeoutMs: 300 });
        await once(child.stdout, 'data');
        const until = Date.now() + 1500;
        while (Date.now() < until); // this process stalls past the probe's deadline
        const r = await probe;
        assert.equal(r.status, 200, `the answer came in time, yet: ${r.error ?? ''}`);
      } finally {
        driver.close();
      }
    } finally {
      child.kill();
    }
  });
});
