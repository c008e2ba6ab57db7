// The canary gate during a bake: a steady trickle of page requests to both colours through their test
// routes (a hard failure shows even without user traffic, and the old colour keeps a baseline at
// 100 %), the driver's per-colour windows plus the trickle's own, and the pure judge (shift/judge/)
// comparing new against old over the same pooled window at the judge's cadence.
import { COLORS, type Color } from '../contract/index.ts';
import { histogramFromValues, percentileMs } from '../lib/histogram.ts';
import type { GateResult } from './gates.ts';
import { judgeWindow, nextStreak, type Streak } from './judge/judge.ts';
import {
  DEFAULT_JUDGE,
  type JudgeConfig,
  type SamplePair,
  type Verdict,
  type WindowSamples,
} from './judge/samples.ts';
import type { ProbeResult, WindowFigures } from './port.ts';
import type { Session } from './session.ts';

/** Trickle requests per colour per second (AWS: 6 a 5 s round); at least one per colour per round. */
export const TRICKLE_RPS = 1.2;
/** Consecutive failed trickle answers of the new colour that fail at once (a hard failure). */
export const HARD_FAIL_RUN = 6;

interface TrickleAnswer {
  atMs: number;
  color: Color;
  status: number;
  ms: number;
}

interface CanaryState {
  /** The bake these figures belong to (bakeStartedMs): a new bake starts from nothing. */
  bake: number | null;
  answers: TrickleAnswer[];
  /** Consecutive failed trickle answers per colour. */
  run: Record<Color, number>;
  streak: Streak;
  judgedAtMs: number;
  trickledAtMs: number | null;
  last: GateResult | null;
  verdict: Verdict | null;
}

const states = new WeakMap<Session, CanaryState>();

function stateOf(s: Session): CanaryState {
  const bake = s.rec.value.bakeStartedMs;
  const st = states.get(s);
  if (st !== undefined && st.bake === bake) return st;
  const fresh: CanaryState = {
    bake,
    answers: [],
    run: { blue: 0, green: 0 },
    streak: { failing: 0 },
    judgedAtMs: -Infinity,
    trickledAtMs: null,
    last: null,
    verdict: null,
  };
  states.set(s, fresh);
  return fresh;
}

/** The last verdict of this session's bake (the report and the page show its findings). */
export function lastVerdict(s: Session): Verdict | null {
  return states.get(s)?.verdict ?? null;
}

/** The trickle's rate per colour: TRICKLE_RPS, or one a round when rounds are faster. */
export function trickleRate(checkIntervalSeconds: number): number {
  return Math.max(TRICKLE_RPS, 1 / checkIntervalSeconds);
}

export function trickleRequestsPerRound(checkIntervalSeconds: number): number {
  return Math.max(1, Math.round(checkIntervalSeconds * trickleRate(checkIntervalSeconds)));
}

/** Requests this round: the rate times the time since the last round, so slow rounds (a busy machine) keep the rate. */
export function trickleDue(s: Session, checkIntervalSeconds: number): number {
  const st = stateOf(s);
  const now = s.deps.clock.now();
  const elapsed = st.trickledAtMs === null ? checkIntervalSeconds : (now - st.trickledAtMs) / 1000;
  st.trickledAtMs = now;
  const n = Math.round(elapsed * trickleRate(checkIntervalSeconds));
  return Math.min(Math.max(1, n), 2 * HARD_FAIL_RUN);
}

const failed = (r: ProbeResult): boolean => r.status !== 200;

/**
 * One round of the trickle: `perRound` page requests per colour through its test route, all at once.
 * The new colour failing HARD_FAIL_RUN answers in a row fails the test-route probe gate at once.
 */
export async function trickleRound(s: Session, perRound: number, timeoutMs?: number): Promise<GateResult> {
  const st = stateOf(s);
  const { driver, clock } = s.deps;
  const r = s.rec.value;
  const one = async (color: Color): Promise<void> => {
    const started = clock.now();
    let res: ProbeResult;
    try {
      res = await driver.probe({
        route: { via: 'test-route', color },
        path: '/',
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
    } catch (err) {
      res = { status: 0, body: '', error: err instanceof Error ? err.message : String(err) };
    }
    const done = clock.now();
    st.answers.push({ atMs: done, color, status: res.status, ms: done - started });
    st.run[color] = failed(res) ? st.run[color] + 1 : 0;
  };
  await Promise.all(COLORS.flatMap((c) => Array.from({ length: perRound }, () => one(c))));
  const run = st.run[r.to];
  const last = st.answers.filter((a) => a.color === r.to).at(-1);
  const threshold = `page 200; ${HARD_FAIL_RUN} failed in a row fail at once`;
  const value = `page ${last?.status ?? '—'} (${run} failed in a row)`;
  const outcome = run >= HARD_FAIL_RUN ? 'fail' : run === 0 ? 'pass' : 'no-data';
  return { gate: 'probe-test-route', outcome, value, threshold };
}

/** The trickle's own figures over a window, per colour (source "probe"). */
function trickleSamples(st: CanaryState, fromMs: number, toMs: number): WindowSamples[] {
  return COLORS.map((color) => {
    const in_ = st.answers.filter((a) => a.color === color && a.atMs >= fromMs && a.atMs < toMs);
    const ok = in_.filter((a) => a.status > 0);
    return {
      color,
      fromMs,
      toMs,
      source: 'probe' as const,
      requests: in_.length,
      errors5xx: in_.filter((a) => a.status === 0 || a.status >= 500).length,
      latency: histogramFromValues(ok.map((a) => a.ms)),
    };
  });
}

/** Pairs (canary = the shift's target) per source, for sources that answered both colours. */
export function pairUp(samples: readonly WindowSamples[], to: Color, from: Color): SamplePair[] {
  const sources = [...new Set(samples.map((w) => w.source))];
  return sources.flatMap((source) => {
    const canary = samples.find((w) => w.source === source && w.color === to);
    const baseline = samples.find((w) => w.source === source && w.color === from);
    return canary && baseline ? [{ source, canary, baseline }] : [];
  });
}

export interface JudgeCadence {
  intervalSeconds: number;
  poolSeconds: number;
  lagSeconds: number;
  config: JudgeConfig;
}

export function judgeCadence(s: Session): JudgeCadence {
  const t = s.deps.driver.timing;
  return {
    intervalSeconds: t.judgeIntervalSeconds ?? 10,
    poolSeconds: t.judgePoolSeconds ?? 60,
    lagSeconds: t.samplesLagSeconds ?? 0,
    config: { ...DEFAULT_JUDGE, ...s.deps.judge },
  };
}

/**
 * The canary gate: at most one judgment per judge interval over [max(bake start, now − pool), now −
 * lag); between judgments the last result stands. Fails only after `consecutive` failing judgments;
 * a failing judgment before that, not-yet and invalid are no-data (never a pass).
 */
export async function canaryGate(s: Session): Promise<GateResult> {
  const st = stateOf(s);
  const cad = judgeCadence(s);
  const now = s.deps.clock.now();
  if (st.last !== null && now - st.judgedAtMs < cad.intervalSeconds * 1000) return st.last;
  const r = s.rec.value;
  const toMs = now - cad.lagSeconds * 1000;
  const fromMs = Math.max(r.bakeStartedMs ?? now, toMs - cad.poolSeconds * 1000);
  st.answers = st.answers.filter((a) => a.atMs >= fromMs);
  const threshold = `${cad.config.consecutive} failing judgments in a row`;
  if (toMs <= fromMs) return { gate: 'canary', outcome: 'no-data', value: 'bake just started', threshold };
  const fromDriver = s.deps.driver.samples ? await s.deps.driver.samples({ fromMs, toMs }) : [];
  const samples = [...fromDriver, ...trickleSamples(st, fromMs, toMs)];
  const verdict = judgeWindow(pairUp(samples, r.to, r.from), cad.config);
  const call = nextStreak(st.streak, verdict, cad.config.consecutive);
  st.streak = call.streak;
  st.judgedAtMs = now;
  st.verdict = verdict;
  const label =
    verdict.outcome === 'fail' && !call.fail
      ? `failing ${call.streak.failing}/${cad.config.consecutive}`
      : verdict.outcome;
  st.last = {
    gate: 'canary',
    outcome: call.fail ? 'fail' : verdict.outcome === 'pass' ? 'pass' : 'no-data',
    value: `${label}: ${verdict.reason}`,
    threshold,
  };
  return { ...st.last, windows: samples.map(figures) };
}

function figures(w: WindowSamples): WindowFigures {
  return {
    source: w.source,
    color: w.color,
    fromMs: w.fromMs,
    toMs: w.toMs,
    requests: w.requests,
    errors5xx: w.errors5xx,
    p50Ms: w.latency ? percentileMs(w.latency, 50) : null,
    p99Ms: w.latency ? percentileMs(w.latency, 99) : null,
  };
}
