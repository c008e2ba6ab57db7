// Rehearsals on one local system (real S3, real ingest, a real serve process per colour, the router)
// with the real controller and local driver, at short intervals. Each rehearsal shifts to the idle
// colour, so the system alternates blue → green → blue; faults hit whichever colour is new.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../lib/log.ts';
import { parseFault } from '../../../local/rehearsal/fault.ts';
import type { RehearsalReport } from '../../../local/rehearsal/report.ts';
import {
  REHEARSAL_DEFAULTS,
  RehearsalStopped,
  rehearse,
  runRehearsal,
} from '../../../local/rehearsal/run.ts';
import { startLocalSystem, type LocalSystem } from '../../../local/system.ts';

function explain(r: RehearsalReport): string {
  return `${r.verdict}\n${JSON.stringify({ ...r, steps: r.steps.map((s) => ({ step: s.step, gates: s.gates })) })}`;
}

describe('rehearsal on the local system (real processes, short intervals)', function () {
  // The first two rehearsals also raise the idle colour to the live one's tasks × 1.2 (a serve process).
  this.timeout(45_000);
  let dir: string;
  let system: LocalSystem;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exchange-rehearsal-test-'));
    system = await startLocalSystem({
      dir,
      versions: { blue: '1.0.0', green: '1.1.0' },
      timeScale: 0.1,
      faults: true,
      // Just over the 1000 ms p99 gate: each gate round waits for two slowed page probes.
      slowMs: 1100,
      serviceMs: REHEARSAL_DEFAULTS.serviceMs,
      log: silentLogger,
    });
  });

  after(async () => {
    await system?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('clean canary: promotes to 100% on the new colour with 0 failed requests under ~200 req/s', async () => {
    // 6 s bakes: at 100 % the old colour's only traffic is the trickle (10/s), ≥ 50 for the judge.
    const r = await runRehearsal(system, { log: silentLogger, restore: true, bakeSeconds: 6 });
    assert.equal(r.ok, true, explain(r));
    assert.equal(r.status, 'promoted');
    assert.equal(r.failedRequests, 0, 'a clean shift must not fail a single request');
    assert.ok(r.totalRequests >= 200, `the load must really run (saw ${r.totalRequests} requests)`);
    assert.deepEqual(r.finalWeights, { [r.from]: 0, [r.to]: 100 });
    assert.deepEqual(
      r.steps.map((s) => s.writtenWeights[r.to]),
      [10, 100],
      'canary writes 10 then 100',
    );
    assert.ok(r.steps[0]!.observedSplit[r.to] > 0, 'the load must have seen the canary answer');
    assert.deepEqual(
      system.router.weights(),
      { [r.from]: 0, [r.to]: 100 },
      'the router itself must hold the final weights',
    );
  });

  const faults: [string, string, RegExp, boolean][] = [
    ['unhealthy', 'all-at-once', /probe-test-route 503|target-health/, false],
    ['5xx', 'all-at-once', /page 500|metrics/, true],
    ['slow', 'all-at-once', /metrics .*p99/, false],
    ['kill', 'all-at-once', /no answer|502/, true],
  ];
  for (const [fault, strategy, reason, failsRequests] of faults) {
    it(`fault ${fault} (${strategy}): rolls back to 100% on the old colour within its budget of check rounds; failures only from the faulty colour`, async () => {
      const r = await runRehearsal(system, {
        strategy,
        fault: parseFault(fault),
        log: silentLogger,
        restore: true,
      });
      assert.equal(r.ok, true, explain(r));
      assert.equal(r.rolledBack, true);
      assert.deepEqual(r.finalWeights, { [r.from]: 100, [r.to]: 0 });
      assert.match(r.reason, reason, `the rollback must come from the gate that sees a ${fault} fault`);
      assert.equal(r.failedByColor[r.from], 0, 'the old colour must not fail a request');
      assert.equal(r.unexplainedFailures, 0, explain(r));
      if (failsRequests)
        assert.ok(r.failedRequests > 0, `a ${fault} fault must show as failed requests before the rollback`);
      assert.ok(
        r.detectionRounds !== null && r.budgetRounds !== null && r.detectionRounds <= r.budgetRounds,
        `detected in ${r.detectionRounds} rounds, budget ${r.budgetRounds}: ${explain(r)}`,
      );
    });
  }
});

describe('a stopped rehearsal (Ctrl-C / SIGTERM)', function () {
  this.timeout(30_000);
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('stops at once with RehearsalStopped (exit 130) instead of finishing a 20 s bake first', async () => {
    // A folder of its own: other test files (run in parallel) may be rehearsing in the system tmpdir.
    root = await mkdtemp(join(tmpdir(), 'exchange-rehearsal-test-stop-'));
    const stop = new AbortController();
    let abortedAt = 0;
    const run = rehearse({
      version: '1.0.0',
      bakeSeconds: 20,
      rps: 20,
      log: silentLogger,
      signal: stop.signal,
      tmpRoot: root,
      onEvent: (e) => {
        if (e.action === 'split-confirmed' && abortedAt === 0) {
          abortedAt = Date.now();
          stop.abort(new RehearsalStopped('SIGINT'));
        }
      },
    });
    await assert.rejects(run, (err: unknown) => {
      assert.ok(
        err instanceof RehearsalStopped,
        `a stopped rehearsal must reject with RehearsalStopped, got ${String(err)}`,
      );
      assert.equal(err.exitCode, 130, 'SIGINT exits 130 like every other command');
      return true;
    });
    const ms = Date.now() - abortedAt;
    assert.ok(abortedAt > 0, 'the shift must have started before the stop');
    assert.ok(
      ms < 5000,
      `the rehearsal took ${ms} ms to stop after the signal; it must close the system at once`,
    );
    // A controller left running would write its record into the folder at its next check (0.1 s).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const left = await readdir(root);
    assert.deepEqual(
      left,
      [],
      'a stopped rehearsal must remove its temporary folder (nothing may write into it after)',
    );
  });
});
