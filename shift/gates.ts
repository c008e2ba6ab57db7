// Pure gate evaluation: a measurement and its threshold in, pass / fail / no-data out, with the value
// and threshold spelled out for the event log. No I/O here: the controller fetches, these judge.
import type { Color } from '../contract/index.ts';
import type {
  ColorMetrics,
  GateName,
  GateOutcome,
  ProbeResult,
  SplitSample,
  TargetHealth,
  WindowFigures,
} from './port.ts';
import type { Weights } from '../contract/weights.ts';

export interface GateResult {
  gate: GateName;
  outcome: GateOutcome;
  value: string;
  threshold: string;
  /** A fresh canary judgment's figures (only the judgment that made them carries them). */
  windows?: WindowFigures[];
}

export interface MetricThresholds {
  /** Largest share of 5xx among the colour's requests, 0–1: the outer guard (the canary judge compares
   * with the old colour; this fails a new colour at 10 % even when the old one fails too). @default 0.1 */
  max5xxShare: number;
  /** Largest p99 target response time, ms. @default 1000 */
  maxP99Ms: number;
  /** Fewest requests in the window for the numbers to mean anything. @default 50 */
  minRequests: number;
}

export const DEFAULT_THRESHOLDS: MetricThresholds = { max5xxShare: 0.1, maxP99Ms: 1000, minRequests: 50 };

/** Requests sampled through the main URL per split check. */
export const SPLIT_SAMPLE_SIZE = 400;
/** Standard deviations of the binomial sample the observed share may stray: 3σ ≈ 99.7% two-sided. */
export const SPLIT_SIGMAS = 3;

/**
 * Every registered target healthy, or still starting (`initial`) or leaving (`draining`); none failing
 * its checks; and the healthy ones plus those starting (registered or not yet) cover the desired count.
 * A scale-out (autoscaling, or the release raising the new colour to the old one's size) is therefore not
 * a failure, while a target that fails its checks, or tasks that never come, are. Without the starting
 * counts this is "all registered healthy and ≥ desired".
 */
export function targetHealthGate(h: TargetHealth): GateResult {
  const initial = h.initial ?? 0;
  const draining = h.draining ?? 0;
  const starting = initial + (h.pending ?? 0);
  const failing = h.registered - h.healthy - initial - draining;
  const plain = starting === 0 && draining === 0;
  const threshold = plain
    ? `all registered healthy and ≥ desired ${h.desired}`
    : `none failing, healthy + starting ≥ desired ${h.desired}`;
  const extra = plain ? '' : ` (${starting} starting, ${draining} draining)`;
  const value = `${h.healthy}/${h.registered} healthy${extra}`;
  const ok = h.desired > 0 && h.healthy > 0 && failing <= 0 && h.healthy + starting >= h.desired;
  return { gate: 'target-health', outcome: ok ? 'pass' : 'fail', value, threshold };
}

export interface HealthBody {
  color: string | null;
  version: string | null;
  status: string | null;
}

/** The /healthz JSON body's identity fields, or null when the body is not that JSON. */
export function parseHealthBody(body: string): HealthBody | null {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    if (typeof j !== 'object' || j === null) return null;
    const pick = (k: string): string | null => (typeof j[k] === 'string' ? (j[k] as string) : null);
    return { color: pick('color'), version: pick('version'), status: pick('status') };
  } catch {
    return null;
  }
}

/**
 * Readiness through a route must answer 200 from the expected colour and version. Through the main
 * URL either colour may answer mid-shift, so `expect.color` is then the set of colours carrying traffic.
 */
export function healthProbeGate(
  gate: 'probe-main' | 'probe-test-route',
  r: ProbeResult,
  expect: { colors: Color[]; versionOf: Partial<Record<Color, string>> },
): GateResult {
  const threshold = `200 from ${expect.colors.join('|')} at its version`;
  if (r.status === 0)
    return { gate, outcome: 'fail', value: `no answer (${r.error ?? 'unknown'})`, threshold };
  const body = parseHealthBody(r.body);
  const color = body?.color ?? r.color ?? '?';
  const value = `${r.status} ${color} ${body?.version ?? '?'}`;
  const want = expect.colors.includes(color as Color) ? expect.versionOf[color as Color] : undefined;
  const ok =
    r.status === 200 &&
    expect.colors.includes(color as Color) &&
    (want === undefined || body?.version === want);
  return { gate, outcome: ok ? 'pass' : 'fail', value, threshold };
}

/** The page itself must answer 200 (the site, not only the health endpoint). */
export function pageProbeGate(gate: 'probe-main' | 'probe-test-route', r: ProbeResult): GateResult {
  const value = r.status === 0 ? `no answer (${r.error ?? 'unknown'})` : `page ${r.status}`;
  return { gate, outcome: r.status === 200 ? 'pass' : 'fail', value, threshold: 'page 200' };
}

/** 5xx share and p99 over the window; too few requests or a missing metric is no-data, never a pass. */
export function metricsGate(m: ColorMetrics, t: MetricThresholds = DEFAULT_THRESHOLDS): GateResult {
  const threshold = `≥ ${t.minRequests} req, 5xx ≤ ${pct(t.max5xxShare)}, p99 ≤ ${t.maxP99Ms} ms`;
  const requests = m.requests ?? 0;
  if (m.requests === null || requests < t.minRequests)
    return { gate: 'metrics', outcome: 'no-data', value: `${m.requests ?? 'no'} req`, threshold };
  const share = (m.errors5xx ?? 0) / requests;
  const p99 = m.p99Ms;
  const value = `${requests} req, 5xx ${pct(share)}, p99 ${p99 === null ? 'no data' : `${Math.round(p99)} ms`}`;
  if (share > t.max5xxShare || (p99 !== null && p99 > t.maxP99Ms))
    return { gate: 'metrics', outcome: 'fail', value, threshold };
  return { gate: 'metrics', outcome: p99 === null ? 'no-data' : 'pass', value, threshold };
}

/** Largest allowed |observed − expected| share for a sample of n: SPLIT_SIGMAS binomial σ plus ½ request. */
export function splitTolerance(expectedShare: number, n: number): number {
  return SPLIT_SIGMAS * Math.sqrt((expectedShare * (1 - expectedShare)) / n) + 0.5 / n;
}

/**
 * The load balancer applied the weights (not only accepted them): the new colour's observed share of
 * the answers through the main URL is within tolerance of its written share. Answers without a colour
 * header do not count; a sample with none is no-data.
 */
export function splitGate(sample: SplitSample, weights: Weights, to: Color, from: Color): GateResult {
  const expected = weights[to] / (weights[to] + weights[from]);
  const n = sample.counts[to] + sample.counts[from];
  if (n === 0)
    return {
      gate: 'split',
      outcome: 'no-data',
      value: `0 coloured answers, ${sample.other} other`,
      threshold: '',
    };
  const observed = sample.counts[to] / n;
  const tol = splitTolerance(expected, n);
  const value = `${to} ${pct(observed)} of ${n}`;
  const threshold = `${pct(expected)} ± ${pct(tol)}`;
  return { gate: 'split', outcome: Math.abs(observed - expected) <= tol ? 'pass' : 'fail', value, threshold };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x * 100 < 10 ? 1 : 0)}%`;
}
