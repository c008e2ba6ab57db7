// Capacity on the local system, end to end: `exchange start --tasks N` runs N serve processes per colour
// that the router's target health counts, `exchange capacity` scales the idle colour down to standby and
// back up (refusing a serving colour), and `rehearse --fault capacity:K` holds the shift before its
// first step with the capacity gate's reason, never sending the new colour a request.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLOR_HEADER } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import { silentLogger } from '../../lib/log.ts';
import { parseFault } from '../../local/rehearsal/fault.ts';
import { checkCapacityFault, rehearse } from '../../local/rehearsal/run.ts';
import { localDriverFromDir } from '../../shift/drivers/local.ts';
import { planShift } from '../../shift/api.ts';
import { runCapacityVerb, type CapacityOptions, type CapacityVerb } from '../../shift/capacityVerbs.ts';
import { PreflightRefusal } from '../../shift/errors.ts';
import { errorLines, processAlive, cliPerTest, runCli } from '../helpers/spawn.ts';

async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) assert.fail(`${what} never happened: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('local capacity (spawned system, real serve processes)', function () {
  this.timeout(60_000);
  const t = cliPerTest('exchange-local-capacity-');

  it('start --tasks 2: two targets per colour; scale-down to standby 0 and prepare back; Ctrl-C stops all', async () => {
    const running = t.start(['start', '--tasks', '2', '--port', '0', '--admin-port', '0', '--dir', t.dir]);
    const [, router] = await running.waitForStdout(/router\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    await running.waitForStdout(/data folder/);
    const file = JSON.parse(await readFile(join(t.dir, 'system.json'), 'utf8')) as {
      colours: Record<string, { tasks: { pid: number }[] }>;
    };
    const pids = [...file.colours.blue!.tasks, ...file.colours.green!.tasks].map((t) => t.pid);
    assert.equal(new Set(pids).size, 4, 'two serve processes per colour');
    assert.ok(pids.every(processAlive));
    const driver = await localDriverFromDir(t.dir);
    const clock = {
      now: () => Date.now(),
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    };
    const verb = async (v: CapacityVerb, opts: Partial<CapacityOptions> = {}) => {
      let out = '';
      const code = await runCapacityVerb(
        v,
        { headroom: 1.2, strategy: 'canary', waitSeconds: 30, ...opts },
        driver,
        clock,
        { write: (t) => (out += t), json: false },
      );
      return { code, out };
    };
    try {
      // Registered at once; healthy after two of the router's 10 s checks (seen below, after prepare).
      const blue = await driver.targetHealth('blue');
      assert.deepEqual(
        [blue.registered, blue.desired],
        [2, 2],
        'the router registers every task as a target',
      );
      assert.match((await verb('status')).out, /^blue 2 running of desired 2 \(bounds 2–3\)$/m);

      // blue serves: it is not the release's to scale (a PreflightRefusal: exit 3 from the CLI).
      await assert.rejects(
        verb('prepare', { to: 'blue' }),
        (e: unknown) =>
          e instanceof PreflightRefusal &&
          e.exitCode === 3 &&
          /blue takes traffic \(weight 100\): it is not the idle colour/.test(e.message),
      );

      const down = await runCli(['capacity', 'scale-down', '--local', '--dir', t.dir]);
      assert.equal(down.code, 0, errorLines(down.stderr).join('\n'));
      assert.match(
        down.stdout,
        /^green scaled to standby 0 \(it ran 2\); a rollback onto green now first scales it up: about \d+ s/,
      );
      await until(
        'green at standby',
        () => driver.readCapacity!('green'),
        (c) => c.running === 0,
      );
      const test = await fetch(`${router}/healthz`, { headers: { [COLOR_HEADER]: 'green' } });
      assert.equal(test.status, 503, 'no green target is registered any more');
      await test.text();
      await assert.rejects(
        planShift({ driver, clock }, { to: 'green' }),
        (e: unknown) =>
          e instanceof PreflightRefusal &&
          /"exchange capacity prepare --to green --local[^"]*" first/.test(e.oneLine()),
      );

      const up = await verb('prepare', { to: 'green' });
      assert.match(
        up.out,
        /green's floor is 3 \(blue's 2 running × 1\.2\); capacity pass: green \d healthy \(needs 1 for 10 % of blue's 2 running × 1\.2\)/,
      );
      // prepare waited for one healthy green target (two 10 s checks): by then blue's two are healthy too.
      assert.equal(
        (await driver.targetHealth('blue')).healthy,
        2,
        'the router counts both blue tasks healthy',
      );
      const green = await until(
        'green at its floor',
        () => driver.targetHealth('green'),
        (h) => h.registered === 3,
      );
      assert.ok(green.healthy >= 1 && green.healthy + (green.initial ?? 0) === 3, JSON.stringify(green));
      const c = await driver.readCapacity!('green');
      assert.deepEqual([c.running, c.desired, c.minCapacity], [3, 3, 3]);
    } finally {
      driver.close();
    }
    running.child.kill('SIGINT');
    assert.equal((await running.exit).code, 0);
    assert.deepEqual(pids.filter(processAlive), [], 'Ctrl-C must stop every serve process');
  });
});

describe('rehearse --fault capacity:K', function () {
  this.timeout(60_000);
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'exchange-rehearsal-capacity-'));
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('reads capacity:K; any other spelling is a usage error', () => {
    assert.deepEqual(parseFault('capacity:1'), { kind: 'capacity', step: 1, tasks: 1 });
    for (const bad of ['capacity', 'capacity:x', 'capacity@1', 'capacity:1@2'])
      assert.throws(() => parseFault(bad), UsageError, bad);
  });

  it('refuses a K the first step does not need more than, and K = 0, naming the numbers', () => {
    // all-at-once over 2 tasks needs ⌈2 × 1.2⌉ = 3: K = 2 holds, K = 3 would pass the gate.
    assert.doesNotThrow(() =>
      checkCapacityFault({ fault: parseFault('capacity:2'), strategy: 'all-at-once', tasks: 2 }),
    );
    assert.throws(
      () => checkCapacityFault({ fault: parseFault('capacity:3'), strategy: 'all-at-once', tasks: 2 }),
      /capacity:3 cannot hold the first step: it needs 3 healthy for 100 % of blue's 2 × 1\.2/,
    );
    assert.throws(
      () => checkCapacityFault({ fault: parseFault('capacity:1'), tasks: 1 }),
      /capacity:1 cannot hold the first step: it needs 1 healthy for 10 % of blue's 1/,
    );
    assert.throws(
      () => checkCapacityFault({ fault: parseFault('capacity:0'), strategy: 'all-at-once' }),
      UsageError,
    );
  });

  it('holds at the first step with the capacity gate’s reason and never sends green a request', async () => {
    const r = await rehearse({
      version: '1.0.0',
      strategy: 'all-at-once',
      tasks: 2,
      fault: parseFault('capacity:1'),
      rps: 100,
      tmpRoot: root,
      log: silentLogger,
    });
    assert.equal(r.ok, true, `${r.verdict}\n${JSON.stringify(r)}`);
    assert.equal(r.status, 'rolled-back');
    // At most its one task healthy (under load a 0.5 s health check of it may time out: 0).
    assert.match(
      r.reason,
      /^step 1 held for capacity until its deadline: capacity green [01] healthy \(needs 3 for 100 % of blue's 2 running × 1\.2\)$/,
      r.verdict,
    );
    assert.deepEqual(r.steps, [], 'no step was ever written');
    assert.deepEqual(r.finalWeights, { blue: 100, green: 0 });
    assert.equal(r.failedByColor.green, 0, 'green was never sent a request to fail');
    assert.ok(r.totalRequests > 0, 'the load really ran');
  });
});
