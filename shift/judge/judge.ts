// The canary judgment: every source's pair judged on error rate and latency. Per metric, any source
// failing fails it, else one source with enough data to pass passes it (a thin source, e.g. the
// trickle on AWS, adds nothing but cannot hold the others back), else invalid beats not-yet; across
// metrics the worst wins. And the controller's rule: only N consecutive failing judgments fail the
// gate, so one unlucky window never rolls a release back.
import { judgeErrorRate } from './errorRate.ts';
import { judgeLatency } from './latency.ts';
import {
  DEFAULT_JUDGE,
  type Finding,
  type JudgeConfig,
  type Outcome,
  type SamplePair,
  type Verdict,
} from './samples.ts';

const RANK: Record<Outcome, number> = { pass: 0, 'not-yet': 1, invalid: 2, fail: 3 };

export function worst(findings: readonly Finding[]): Finding | undefined {
  return findings.reduce<Finding | undefined>(
    (w, f) => (w === undefined || RANK[f.outcome] > RANK[w.outcome] ? f : w),
    undefined,
  );
}

/** One metric over all sources: a fail, else a pass, else the worst of invalid / not-yet. */
export function decideMetric(findings: readonly Finding[]): Finding | undefined {
  return (
    findings.find((f) => f.outcome === 'fail') ??
    findings.find((f) => f.outcome === 'pass') ??
    worst(findings)
  );
}

/** All pairs judged; no pair at all is "not yet" (no data is never a pass). */
export function judgeWindow(pairs: readonly SamplePair[], config: Partial<JudgeConfig> = {}): Verdict {
  const c = { ...DEFAULT_JUDGE, ...config };
  const errors = pairs.map((p) => judgeErrorRate(p, c));
  const latencies = pairs.map((p) => judgeLatency(p, c));
  const decided = [decideMetric(errors), decideMetric(latencies)].filter((f) => f !== undefined);
  const w = worst(decided);
  if (w === undefined) return { outcome: 'not-yet', findings: [], reason: 'no samples from any source yet' };
  return {
    outcome: w.outcome,
    findings: [...errors, ...latencies],
    reason: decided.map((f) => `${f.metric} ${f.value} [${f.source}]`).join('; '),
  };
}

/** Consecutive failing judgments so far; any other outcome ends the run. */
export interface Streak {
  failing: number;
}

export interface GateCall {
  streak: Streak;
  /** The gate fails only once `failing` reached `consecutive`. */
  fail: boolean;
}

export function nextStreak(streak: Streak, verdict: Verdict, consecutive: number): GateCall {
  const failing = verdict.outcome === 'fail' ? streak.failing + 1 : 0;
  return { streak: { failing }, fail: failing >= consecutive };
}
