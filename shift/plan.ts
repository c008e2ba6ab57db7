// Pure planning: a strategy name and a bake time become the exact weights of every step, with the
// total duration and the worst-case rollback time a plan promises before anything changes.
import type { Color } from '../contract/index.ts';
import { PlanError } from './errors.ts';
import type { MetricThresholds } from './gates.ts';
import { DEFAULT_JUDGE, type JudgeConfig } from './judge/samples.ts';
import type { DriverTiming } from './port.ts';
import type { PlanStep, ShiftPlan } from '../release/state/shiftRecord.ts';
import type { Weights } from '../contract/weights.ts';

export const DEFAULT_STRATEGY = 'canary';
export const DEFAULT_BAKE_SECONDS = 300;
export const DEFAULT_CANARY_PERCENT = 10;
export const DEFAULT_LINEAR_STEPS = 4;
/** How often gates are evaluated during a bake, seconds. */
export const CHECK_INTERVAL_SECONDS = 15;
/** A round's deadline unless the driver states one, seconds (the ALB health check's default timeout). */
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 5;
/** Weights are written as percentages: both sides of every step sum to 100 (ALB allows 0–999 each). */
export const WEIGHT_TOTAL = 100;

export interface PlanRequest {
  from: Color;
  to: Color;
  /** all-at-once | canary[:P] | linear[:N] | steps:P1,P2,…,100 @default "canary" */
  strategy?: string;
  /** Bake per step, seconds. @default 300; at least two metric periods of the driver. */
  bakeSeconds?: number;
}

/** The new colour's percentages of each step, from a strategy name; throws PlanError when invalid. */
export function strategyPercents(strategy: string): number[] {
  const [kind, arg] = strategy.split(':', 2) as [string, string | undefined];
  if (kind === 'all-at-once' && arg === undefined) return [100];
  if (kind === 'canary') {
    const p = arg === undefined ? DEFAULT_CANARY_PERCENT : percentArg(strategy, arg, 1, 99);
    return [p, 100];
  }
  if (kind === 'linear') {
    const n = arg === undefined ? DEFAULT_LINEAR_STEPS : percentArg(strategy, arg, 2, 20);
    return Array.from({ length: n }, (_, i) => Math.round(((i + 1) * 100) / n));
  }
  if (kind === 'steps' && arg !== undefined) return customSteps(strategy, arg);
  throw new PlanError(`strategy "${strategy}" is unknown`, {
    hint: 'use all-at-once, canary[:P], linear[:N] or steps:5,25,50,100',
  });
}

function percentArg(strategy: string, arg: string, min: number, max: number): number {
  const n = Number(arg);
  if (!/^\d+$/.test(arg) || n < min || n > max)
    throw new PlanError(`strategy "${strategy}": "${arg}" is not an integer ${min}–${max}`, {
      hint: `e.g. ${strategy.split(':')[0]}:${min + 1}`,
    });
  return n;
}

function customSteps(strategy: string, arg: string): number[] {
  const parts = arg.split(',');
  const steps = parts.map((p) => Number(p));
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 100);
  if (bad !== undefined)
    throw new PlanError(`strategy "${strategy}": step "${bad}" is not an integer percent 1–100`, {
      hint: 'e.g. steps:5,25,50,100',
    });
  if (steps.some((s, i) => i > 0 && s <= (steps[i - 1] as number)))
    throw new PlanError(`strategy "${strategy}": steps must increase`, { hint: 'e.g. steps:5,25,50,100' });
  if (steps[steps.length - 1] !== 100)
    throw new PlanError(`strategy "${strategy}": the last step must be 100`, {
      hint: `e.g. steps:${arg},100`,
    });
  return steps;
}

/** Weights for one step: the new colour gets `percent`, the previous colour the rest. */
export function stepWeights(from: Color, to: Color, percent: number): Weights {
  return { [to]: percent, [from]: WEIGHT_TOTAL - percent } as Weights;
}

/** Weights that put all traffic back on the previous colour (the one-write rollback). */
export function rollbackWeights(plan: Pick<ShiftPlan, 'from' | 'to'>): Weights {
  return stepWeights(plan.to, plan.from, WEIGHT_TOTAL);
}

/** Smallest bake that sees two full metric periods (CloudWatch ALB metrics are per minute). */
export function minimumBakeSeconds(timing: DriverTiming): number {
  return 2 * timing.metricsPeriodSeconds;
}

export function buildPlan(req: PlanRequest, timing: DriverTiming): ShiftPlan {
  if (req.from === req.to)
    throw new PlanError(`--to ${req.to} is already the live colour`, { hint: 'shift to the other colour' });
  const strategy = req.strategy ?? DEFAULT_STRATEGY;
  const bakeSeconds = req.bakeSeconds ?? DEFAULT_BAKE_SECONDS;
  const min = minimumBakeSeconds(timing);
  if (!Number.isInteger(bakeSeconds) || bakeSeconds < min)
    throw new PlanError(`bake ${bakeSeconds}s is shorter than two metric periods (${min}s)`, {
      hint: `pass --bake ${min}s or more`,
    });
  const steps: PlanStep[] = strategyPercents(strategy).map((percent, i) => ({
    index: i + 1,
    percent,
    weights: stepWeights(req.from, req.to, percent),
    bakeSeconds,
  }));
  return {
    from: req.from,
    to: req.to,
    strategy,
    steps,
    stepDeadlineSeconds: stepDeadlineSeconds(bakeSeconds, timing),
  };
}

/** A step fails when its gates have not all passed this long after its write (no data is not a pass). */
export function stepDeadlineSeconds(bakeSeconds: number, timing: DriverTiming): number {
  // The canary judge may need its failing streak to clear: N + 1 judgments after the lag.
  const judge =
    (DEFAULT_JUDGE.consecutive + 1) * (timing.judgeIntervalSeconds ?? 10) + (timing.samplesLagSeconds ?? 0);
  return (
    bakeSeconds + timing.writeSeconds + timing.propagationSeconds + 3 * timing.metricsPeriodSeconds + judge
  );
}

/** One term of a rollback budget: what it is and how long, seconds. */
export interface BudgetTerm {
  name: string;
  seconds: number;
}

/** Detection + rollback of one kind of fault, with every term, against the goal. */
export interface FaultKindBudget {
  fault: string;
  terms: BudgetTerm[];
  totalSeconds: number;
  /** What we promise on AWS, seconds. */
  goalSeconds: number;
}

/** The AWS goals per fault kind (issue 17): hard failure, a partial 5xx of ≥ 2 %, a latency regression. */
export const ROLLBACK_GOALS = { hard: 30, partial5xx: 60, latency: 90 } as const;

export interface PlanBudget {
  /** Sum of every step's write, propagation and bake, seconds (all gates passing). */
  totalSeconds: number;
  /** Rollback per fault kind, from the driver's periods and the judge's cadence. */
  byFault: FaultKindBudget[];
  /** Failing gate seen → traffic back: detection + one write + propagation, seconds. */
  rollback: {
    /** Worst case, a metrics breach: CloudWatch publishes a minute about a minute late. */
    detectionSeconds: number;
    /**
     * A failing probe or target health shows at the next check; a hung target once that round's
     * deadline passed too.
     */
    probeDetectionSeconds: number;
    writeSeconds: number;
    propagationSeconds: number;
    totalSeconds: number;
  };
}

/** How the controller checks: its interval and the latency limit (a rehearsal checks every 0.1 s). */
export interface GateCadence {
  checkIntervalSeconds: number;
  thresholds: Pick<MetricThresholds, 'maxP99Ms'>;
  /** Failing judgments in a row before the canary gate fails. @default DEFAULT_JUDGE.consecutive */
  judge?: Partial<Pick<JudgeConfig, 'consecutive'>>;
}

function kind(fault: string, goalSeconds: number, terms: BudgetTerm[]): FaultKindBudget {
  return { fault, terms, goalSeconds, totalSeconds: terms.reduce((a, t) => a + t.seconds, 0) };
}

/**
 * Per fault kind. Hard failure (every answer 5xx, not ready, or no answer): the trickle and readiness
 * probes fail at the next check, a hung target once that round's deadline passed. Partial 5xx and latency: serve's metrics publish one period, CloudWatch
 * extracts them (lag), then N judgments in a row must fail; the slow answers must also finish. Each
 * ends with one listener write and its propagation. Assumes the new colour serves enough requests
 * for a 2 % fault to show ≥ 3 5xx a period (≥ 15 req/s); with fewer the judge waits ("not yet").
 */
export function faultBudgets(timing: DriverTiming, checks: GateCadence): FaultKindBudget[] {
  const write = [
    { name: 'one listener write', seconds: timing.rollbackWriteSeconds },
    { name: 'propagation', seconds: timing.propagationSeconds },
  ];
  const J = timing.judgeIntervalSeconds ?? 10;
  const n = checks.judge?.consecutive ?? DEFAULT_JUDGE.consecutive;
  const judged = [
    { name: 'one metrics period', seconds: J },
    { name: 'extraction lag', seconds: timing.samplesLagSeconds ?? 0 },
    { name: `${n} failing judgments in a row`, seconds: n * J },
  ];
  return [
    kind('hard failure', ROLLBACK_GOALS.hard, [
      { name: 'next check', seconds: checks.checkIntervalSeconds },
      // A 5xx answers at once; a hung target fails its round only at the round's deadline.
      { name: 'round deadline', seconds: timing.probeTimeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS },
      ...write,
    ]),
    kind('partial 5xx ≥ 2 %', ROLLBACK_GOALS.partial5xx, [...judged, ...write]),
    kind('latency regression', ROLLBACK_GOALS.latency, [
      { name: 'slow answers finish (≤ p99 limit)', seconds: checks.thresholds.maxP99Ms / 1000 },
      ...judged,
      ...write,
    ]),
  ];
}

/**
 * Detection is bounded by the slowest gate: a probe or target-health failure shows at the next check (a
 * hung target once that round's deadline passed), a metrics breach only once CloudWatch published the
 * minute (one period late, plus one to fill) — and a latency breach only once the slow responses
 * completed, at least the p99 limit after they started.
 */
export function planBudget(plan: ShiftPlan, timing: DriverTiming, checks: GateCadence): PlanBudget {
  const perStep = timing.writeSeconds + timing.propagationSeconds;
  const totalSeconds = plan.steps.reduce((sum, s) => sum + perStep + s.bakeSeconds, 0);
  const { checkIntervalSeconds } = checks;
  const detectionSeconds =
    checks.thresholds.maxP99Ms / 1000 + 2 * timing.metricsPeriodSeconds + checkIntervalSeconds;
  const probeDetectionSeconds =
    checkIntervalSeconds + (timing.probeTimeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS);
  const rollback = {
    detectionSeconds,
    probeDetectionSeconds,
    writeSeconds: timing.rollbackWriteSeconds,
    propagationSeconds: timing.propagationSeconds,
    totalSeconds:
      Math.max(detectionSeconds, probeDetectionSeconds) +
      timing.rollbackWriteSeconds +
      timing.propagationSeconds,
  };
  return { totalSeconds, byFault: faultBudgets(timing, checks), rollback };
}

/**
 * Why a shift must not start with this stickiness, or undefined. A sticky client stays on the colour its
 * cookie names for `stickinessSeconds` whatever the weights say, so a rollback or abort moves it back only
 * when the cookie expires — and the split sample (no cookies) cannot see it. Stickiness no longer than the
 * bake bounds that: a rollback reaches every sticky user within one bake.
 */
export function stickinessProblem(stickinessSeconds: number, bakeSeconds: number): string | undefined {
  if (stickinessSeconds <= bakeSeconds) return undefined;
  return (
    `target-group stickiness ${formatDuration(stickinessSeconds)} is longer than the bake ${formatDuration(bakeSeconds)}: ` +
    'a rollback would leave sticky users on the new colour until their cookie expires'
  );
}

/** "90s", "5m", "1m30s", "300" (seconds) → seconds; throws PlanError otherwise. */
export function parseDuration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text.trim());
  if (m === null || text.trim() === '' || m.slice(1).every((g) => g === undefined))
    throw new PlanError(`duration "${text}" is not understood`, { hint: 'e.g. 90s, 5m or 1m30s' });
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', rest > 0 || s === 0 ? `${rest}s` : ''].join('');
}
