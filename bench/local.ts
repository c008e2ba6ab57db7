// The local system's rollout figures, measured in one run on one system (real processes, router, the
// real controller and local driver, rehearsal time scale):
//   failedRequestsDuringShift  clean canary shift at 200 req/s: requests that failed (goal 0)
//   localRollbackMs            the new colour turns unhealthy during the canary's bake → the router
//                              holds 100% on the old colour, ms; worst of ROLLBACKS runs (goal ≤ 3000)
//   partial5xxRollbackMs       2 % of the canary's pages 5xx at 200 req/s → back on the old colour, ms;
//                              worst of ROLLBACKS runs (goal ≤ 10000)
//   slowRelativeRolledBack     the canary 1.6× slower (far under the p99 limit): rolled back, 1 or 0
//   shared5xxRolledBack        5 % 5xx on both colours: rolled back, 1 or 0 (goal 0)
//   falseRollbacks             clean canary rehearsals in a row at 200 req/s that rolled back (goal 0 of CLEAN_RUNS)
//   loadAverage                the 1-minute load average at the end (a busy machine reads as such)
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../lib/log.ts';
import { parseFault } from '../local/rehearsal/fault.ts';
import type { RehearsalReport } from '../local/rehearsal/report.ts';
import { REHEARSAL_DEFAULTS, runRehearsal } from '../local/rehearsal/run.ts';
import { startLocalSystem, type LocalSystem } from '../local/system.ts';

const ROLLBACKS = 3;
/** Clean rehearsals for falseRollbacks; BENCH_CLEAN_RUNS lowers it for a quick look. */
const CLEAN_RUNS = Number(process.env.BENCH_CLEAN_RUNS ?? 20);

async function rehearse(system: LocalSystem, fault: string | null): Promise<RehearsalReport> {
  const r = await runRehearsal(system, {
    rps: 200,
    fault: fault === null ? null : parseFault(fault),
    log: silentLogger,
    restore: true,
  });
  process.stderr.write(`bench local: ${fault ?? 'clean'}: ${r.ok ? 'PASS' : 'FAIL'} ${r.verdict}\n`);
  return r;
}

async function worstRollback(system: LocalSystem, fault: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROLLBACKS; i++) {
    const r = await rehearse(system, fault);
    if (!r.rolledBack || r.faultToRollbackMs === null)
      throw new Error(`bench local: ${fault} did not roll back: ${r.verdict}`);
    times.push(r.faultToRollbackMs);
  }
  return Math.max(...times);
}

export async function run(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'exchange-bench-local-'));
  const system = await startLocalSystem({
    dir,
    versions: { blue: '1.0.0', green: '1.1.0' },
    timeScale: REHEARSAL_DEFAULTS.timeScale,
    faults: true,
    serviceMs: REHEARSAL_DEFAULTS.serviceMs,
    log: silentLogger,
  });
  try {
    let falseRollbacks = 0;
    let failedRequestsDuringShift = 0;
    for (let i = 0; i < CLEAN_RUNS; i++) {
      const r = await rehearse(system, null);
      if (r.rolledBack) falseRollbacks += 1;
      failedRequestsDuringShift = Math.max(failedRequestsDuringShift, r.failedRequests);
    }
    const localRollbackMs = await worstRollback(system, 'unhealthy');
    const partial5xxRollbackMs = await worstRollback(system, '5xx-rate:2');
    const slow = await rehearse(system, 'slow-relative:1.6');
    const shared = await rehearse(system, 'shared:5xx');
    return {
      failedRequestsDuringShift,
      localRollbackMs,
      partial5xxRollbackMs,
      slowRelativeRolledBack: slow.rolledBack ? 1 : 0,
      shared5xxRolledBack: shared.rolledBack ? 1 : 0,
      falseRollbacks,
      cleanRuns: CLEAN_RUNS,
      loadAverage: loadavg()[0] ?? 0,
    };
  } finally {
    await system.close();
    await rm(dir, { recursive: true, force: true });
  }
}
