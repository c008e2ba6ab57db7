// The canary judge's rehearsals on one local system (real processes, the router, the real controller):
// a 2 % 5xx canary and a 1.6× slower one roll back (both far under the fixed limits), and a 5xx burst
// on both colours does not. Apart from rehearsal.system.ts so the two mocha workers run them side by side.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../lib/log.ts';
import { parseFault } from '../../../local/rehearsal/fault.ts';
import type { RehearsalReport } from '../../../local/rehearsal/report.ts';
import { REHEARSAL_DEFAULTS, runRehearsal } from '../../../local/rehearsal/run.ts';
import { startLocalSystem, type LocalSystem } from '../../../local/system.ts';

function explain(r: RehearsalReport): string {
  return `${r.verdict}\n${JSON.stringify({ ...r, steps: r.steps.map((s) => ({ step: s.step, gates: s.gates })) })}`;
}

describe('canary judge rehearsals (partial, relative and shared faults)', function () {
  this.timeout(40_000);
  let dir: string;
  let system: LocalSystem;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exchange-judge-rehearsal-test-'));
    system = await startLocalSystem({
      dir,
      versions: { blue: '1.0.0', green: '1.1.0' },
      timeScale: 0.1,
      faults: true,
      serviceMs: REHEARSAL_DEFAULTS.serviceMs,
      log: silentLogger,
    });
  });

  after(async () => {
    await system?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const faults: [string, RegExp, boolean][] = [
    ['5xx-rate:2', /canary .*error-rate (green|blue) 5xx/, true],
    ['slow-relative:1.6', /canary .*latency (green|blue) p50/, false],
  ];
  for (const [fault, reason, failsRequests] of faults) {
    it(`${fault} canary at 200 req/s: rolled back by the canary judge within its budget of check rounds`, async () => {
      const r = await runRehearsal(system, { fault: parseFault(fault), log: silentLogger, restore: true });
      assert.equal(r.ok, true, explain(r));
      assert.deepEqual(r.finalWeights, { [r.from]: 100, [r.to]: 0 });
      assert.match(r.reason, reason, `the canary judge must be what saw ${fault}`);
      assert.equal(r.failedByColor[r.from], 0, 'the old colour must not fail a request');
      if (failsRequests) assert.ok(r.failedRequests > 0, `${fault} must show as failed requests`);
    });
  }

  it('shared:5xx (5 % of pages on both colours): not rolled back, and the judge says it is shared', async () => {
    const r = await runRehearsal(system, {
      strategy: 'all-at-once',
      bakeSeconds: 6,
      fault: parseFault('shared:5xx'),
      log: silentLogger,
      restore: true,
    });
    assert.equal(r.ok, true, explain(r));
    assert.equal(r.rolledBack, false);
    assert.match(r.verdict, /shared fault, not the release/);
  });
});
