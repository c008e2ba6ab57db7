// The canary judge's inputs and outputs: per colour and window, what a source measured (requests,
// 5xx, a latency histogram), and what the judge made of a pair (findings with value, threshold,
// p-value and effect). Types only; the judge itself is pure (validate, errorRate, latency, judge).
import type { Color } from '../../contract/index.ts';
import type { LatencyHistogram } from '../../lib/histogram.ts';

/** Where a window's figures come from: the local router, the ALB (60 s), serve's EMF (10 s), the controller's trickle. */
export type SampleSource = 'router' | 'alb' | 'emf' | 'probe';

/** One colour over one window [fromMs, toMs) as one source saw it. */
export interface WindowSamples {
  color: Color;
  fromMs: number;
  toMs: number;
  source: SampleSource;
  requests: number;
  errors5xx: number;
  /** Latency of (a uniform sample of) the window's requests; null when the source has none. */
  latency: LatencyHistogram | null;
}

/** The new colour (canary) and the old one (baseline) over the same window, from one source. */
export interface SamplePair {
  source: SampleSource;
  baseline: WindowSamples;
  canary: WindowSamples;
}

/** Pass, fail, not yet (too little data: never a pass), or invalid (the data cannot be right). */
export type Outcome = 'pass' | 'fail' | 'not-yet' | 'invalid';

export interface Finding {
  metric: 'error-rate' | 'latency';
  source: SampleSource;
  outcome: Outcome;
  /** What was compared, e.g. "green p50 142 ms vs blue 88 ms (+61 %, U-test p < 0.001)". */
  value: string;
  /** What failing needs, e.g. "p < 0.01 and ≥ +25 %". */
  threshold: string;
  /** One-sided p-value of "the canary is worse", when a test ran. */
  pValue?: number;
  /** Error rate: canary − baseline share; latency: canary p50 / baseline p50 − 1. */
  effect?: number;
}

export interface Verdict {
  outcome: Outcome;
  findings: Finding[];
  /** The deciding finding in one line (the worst one; the first of equals). */
  reason: string;
}

export interface JudgeConfig {
  /** One-sided confidence of each test, per judgment. @default 0.99 */
  confidence: number;
  /** Fewest requests per colour in a window before error rates are compared. @default 50 */
  minRequests: number;
  /** Fewest latency samples per colour before latencies are compared. @default 30 */
  minLatencySamples: number;
  /** Largest 5xx share increase (canary − baseline, 0–1) that never fails however significant. @default 0.005 */
  errorAllowedIncrease: number;
  /** The rank test compares the canary with the baseline slowed by this much (0.1 = 10 %). @default 0.1 */
  latencyTolerance: number;
  /** Largest p50 increase (0.25 = +25 %) that never fails however significant. @default 0.25 */
  latencyAllowedIncrease: number;
  /** Consecutive failing judgments before the canary gate fails (the controller's rule). @default 2 */
  consecutive: number;
}

export const DEFAULT_JUDGE: JudgeConfig = {
  confidence: 0.99,
  minRequests: 50,
  minLatencySamples: 30,
  errorAllowedIncrease: 0.005,
  latencyTolerance: 0.1,
  latencyAllowedIncrease: 0.25,
  consecutive: 2,
};
