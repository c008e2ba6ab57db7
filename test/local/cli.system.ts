// `exchange start` and `exchange rehearse` as a user runs them: spawned, real ports, real signals.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COLOR_HEADER } from '../../contract/index.ts';
import type { ExchangeError } from '../../lib/errors.ts';
import { localDriverFromDir } from '../../shift/drivers/local.ts';
import { localStateDir } from '../../contract/localSystem.ts';
import { recordWeights } from '../../shift/drivers/localStore.ts';
import { startLoopback } from '../helpers/loopback.ts';
import { errorLines, processAlive, cliPerTest, runCli } from '../helpers/spawn.ts';

const BIN = fileURLToPath(new URL('../../bin/exchange.js', import.meta.url));

describe('CLI: exchange start and exchange rehearse (spawned)', function () {
  this.timeout(30_000);
  const t = cliPerTest('exchange-local-cli-');

  it('start: both colours behind the router, each serve its own process; Ctrl-C stops every child', async () => {
    // A shift recorded before (green live) must survive a restart, as the shared stack's `up` keeps it.
    await recordWeights(localStateDir(t.dir), { blue: 0, green: 100 });
    const running = t.start(['start', '--port', '0', '--admin-port', '0', '--dir', t.dir]);
    const [, router] = await running.waitForStdout(/router\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    await running.waitForStdout(/data folder/);
    const out = (await running.waitForStdout(/[\s\S]*/))[0];
    assert.match(out, /embedded S3\s+http:\/\/127\.0\.0\.1:\d+/);
    const main = (await (await fetch(`${router}/healthz`)).json()) as { color: string };
    assert.equal(main.color, 'green', 'the router must start with the recorded weights (100% green)');
    const test = (await (
      await fetch(`${router}/healthz`, { headers: { [COLOR_HEADER]: 'blue' } })
    ).json()) as { color: string; version: string };
    assert.deepEqual([test.color, test.version], ['blue', '0.1.0'], 'the test route must reach blue');
    assert.match(
      out,
      new RegExp(`npx exchange shift plan --to blue --local --dir ${t.dir}`),
      'green live: shift back',
    );
    const driver = await localDriverFromDir(t.dir);
    try {
      assert.equal(
        (await driver.targetHealth('blue')).healthy,
        1,
        'printed once both colours passed the health checks, so "shift plan" works right away',
      );
      assert.deepEqual(
        await driver.readLiveWeights(),
        { blue: 0, green: 100 },
        '"shift --local" must find this router',
      );
      const probe = await driver.probe({ route: { via: 'test-route', color: 'green' }, path: '/healthz' });
      assert.deepEqual([probe.status, probe.color], [200, 'green']);
    } finally {
      driver.close();
    }
    const file = JSON.parse(await readFile(join(t.dir, 'system.json'), 'utf8')) as {
      colours: Record<string, { pid: number }>;
    };
    const pids = [file.colours.blue!.pid, file.colours.green!.pid];
    assert.ok(
      pids.every(processAlive) && pids[0] !== pids[1] && !pids.includes(running.child.pid!),
      'each colour must be its own process',
    );
    running.child.kill('SIGINT');
    assert.equal((await running.exit).code, 0);
    assert.deepEqual(pids.filter(processAlive), [], 'Ctrl-C must stop both serve processes');
    assert.equal(existsSync(join(t.dir, 'system.json')), false, 'the discovery file must go with the system');
    await assert.rejects(localDriverFromDir(t.dir), (err: ExchangeError) =>
      /no local system found: .*system.json cannot be read \(ENOENT\) — start it with "npm start"/.test(
        err.oneLine(),
      ),
    );
  });

  it("start: stops with everything it started when its parent is killed (as npm's sh -c)", async () => {
    // `sh -c "…; :"` stays the parent (no exec), as npm's script shell; SIGKILL it like a killed npm.
    const parent = spawn(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" start --port 0 --admin-port 0 --dir "${t.dir}"; :`],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1' },
        stdio: 'ignore',
      },
    );
    const file = join(t.dir, 'system.json');
    while (!existsSync(file)) await new Promise((r) => setTimeout(r, 100));
    const sys = JSON.parse(await readFile(file, 'utf8')) as {
      pid: number;
      colours: Record<string, { pid: number }>;
    };
    const pids = [sys.pid, sys.colours.blue!.pid, sys.colours.green!.pid];
    assert.ok(pids.every(processAlive));
    parent.kill('SIGKILL');
    const end = Date.now() + 15_000;
    while (pids.some(processAlive) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      pids.filter(processAlive),
      [],
      'start and both serve processes must stop with their parent',
    );
    assert.equal(existsSync(file), false, 'a clean stop: the discovery file is removed');
  });

  it('start: a router port already taken fails at once with the fix', async () => {
    const taken = await startLoopback(() => undefined);
    try {
      const started = Date.now();
      const r = await runCli(['start', '--port', String(taken.port), '--dir', t.dir]);
      assert.equal(r.code, 1);
      assert.match(
        errorLines(r.stderr)[0] ?? '',
        new RegExp(`router cannot listen on 127.0.0.1:${taken.port} \\(EADDRINUSE\\) — pick another --port`),
      );
      assert.ok(Date.now() - started < 10_000, 'it must fail before starting the colours');
    } finally {
      await taken.close();
    }
  });

  it('rehearse --json --fault kill@2: rolls back after killing the canary’s process, one JSON object, exit 0', async () => {
    const r = await runCli(['rehearse', '--json', '--fault', 'kill@2', '--rps', '150', '--bake', '6']);
    assert.equal(r.code, 0, r.stdout + errorLines(r.stderr).join('\n'));
    const report = JSON.parse(r.stdout) as Record<string, unknown> & {
      steps: unknown[];
      failedByColor: Record<string, number>;
    };
    for (const key of [
      'totalRequests',
      'failedRequests',
      'rolledBack',
      'detectToRollbackMs',
      'finalWeights',
      'steps',
    ])
      assert.ok(key in report, `the JSON report must have "${key}"`);
    assert.deepEqual(report.fault, { kind: 'kill', step: 2 });
    assert.equal(report.rolledBack, true);
    assert.deepEqual(report.finalWeights, { blue: 100, green: 0 });
    assert.equal(report.steps.length, 2, 'the fault came in step 2, after step 1 passed');
    assert.equal(report.failedByColor.blue, 0);
  });
});
