// The local system's rollout figures, measured in one run on one system (real processes, router, the
// real controller and local driver, rehearsal time scale):
//   failedRequestsDuringShift  clean canary shift at 200 req/s: requests that failed (goal 0)
//   localRollbackMs            the new colour turns unhealthy during the canary's bake → the router
//                              holds 100% on the old colour, ms; worst of ROLLBACKS runs (goal ≤ 3000)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../lib/log.ts';
import { REHEARSAL_DEFAULTS, runRehearsal } from '../local/rehearsal/run.ts';
import { startLocalSystem } from '../local/system.ts';

const ROLLBACKS = 3;

export async function run(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'exchange-bench-local-'));
  const system = await startLocalSystem({
    dir,
    versions: { blue: '1.0.0', green: '1.1.0' },
    timeScale: REHEARSAL_DEFAULTS.timeScale,
    faults: true,
    log: silentLogger,
  });
  try {
    const clean = await runRehearsal(system, { rps: 200, log: silentLogger, restore: true });
    if (!clean.ok) throw new Error(`bench local: clean rehearsal failed: ${clean.verdict}`);
    const rollbacks: number[] = [];
    for (let i = 0; i < ROLLBACKS; i++) {
      const r = await runRehearsal(system, {
        rps: 200,
        fault: { kind: 'unhealthy', step: 1 },
        log: silentLogger,
        restore: true,
      });
      if (!r.ok || r.faultToRollbackMs === null)
        throw new Error(`bench local: unhealthy rehearsal failed: ${r.verdict}`);
      rollbacks.push(r.faultToRollbackMs);
    }
    return { failedRequestsDuringShift: clean.failedRequests, localRollbackMs: Math.max(...rollbacks) };
  } finally {
    await system.close();
    await rm(dir, { recursive: true, force: true });
  }
}
