// A rehearsal's rollback budget per fault, on the controller's own clock: how many check rounds the
// detection may take (from the gates' cadence and what the fault needs to show), plus one rollback
// write. Counted in rounds, a busy machine (slower rounds) cannot fail a rehearsal that detected in
// time; the wall-clock figure is reported beside it with the machine's load.
import { HARD_FAIL_RUN, trickleRate, trickleRequestsPerRound } from '../../shift/canary.ts';
import { DEFAULT_JUDGE, type JudgeConfig } from '../../shift/judge/samples.ts';
import type { DriverTiming } from '../../shift/port.ts';
import type { FaultSpec } from './fault.ts';

/** Errors a one-sided Fisher test needs at a 10 % canary share with no baseline 5xx (0.1³ < 0.01). */
export const ERRORS_TO_DETECT = 3;

export interface RehearsalCadence {
  checkIntervalSeconds: number;
  timing: DriverTiming;
  judge?: Partial<JudgeConfig>;
  /** Load on the router, req/s, and the new colour's share of it in the faulted step (0–1). */
  rps: number;
  canaryShare: number;
  /** Added latency of the `slow` fault, ms. */
  slowMs: number;
}

export interface FaultBudget {
  /** Detection, seconds at the nominal cadence, and what it is made of. */
  detectionSeconds: number;
  terms: string;
  /** The same in check rounds: the verdict counts rounds, not wall time. */
  rounds: number;
  /** The rollback write the controller times, ms. */
  writeMs: number;
}

export function faultBudget(f: FaultSpec, c: RehearsalCadence): FaultBudget {
  const tick = c.checkIntervalSeconds;
  const judge = { ...DEFAULT_JUDGE, ...c.judge };
  const J = c.timing.judgeIntervalSeconds ?? 10;
  const canaryRps = c.rps * c.canaryShare + trickleRate(tick);
  let detectionSeconds: number;
  let terms: string;
  if (f.kind === 'unhealthy' || f.kind === 'kill') {
    detectionSeconds = 2 * tick;
    terms = 'the round under way + the next (readiness through the test route)';
  } else if (f.kind === '5xx') {
    const rounds = Math.ceil(HARD_FAIL_RUN / trickleRequestsPerRound(tick)) + 1;
    detectionSeconds = rounds * tick;
    terms = `${HARD_FAIL_RUN} failed trickle pages in a row = ${rounds} rounds`;
  } else if (f.kind === 'slow') {
    detectionSeconds = c.slowMs / 1000 + 2 * c.timing.metricsPeriodSeconds + tick;
    terms = `the slow answers (${c.slowMs} ms) + two metric periods + a round (fixed p99 limit)`;
  } else {
    const evidence =
      f.kind === '5xx-rate'
        ? ERRORS_TO_DETECT / (((f.percent ?? 100) / 100) * canaryRps)
        : judge.minLatencySamples / canaryRps;
    detectionSeconds = evidence + (judge.consecutive + 1) * J;
    terms = `evidence ${evidence.toFixed(1)} s at ${canaryRps.toFixed(0)} req/s on the new colour + ${judge.consecutive + 1} judgments × ${J} s`;
  }
  return {
    detectionSeconds,
    terms,
    rounds: Math.ceil(detectionSeconds / tick - 1e-9),
    writeMs: c.timing.rollbackWriteSeconds * 1000,
  };
}
