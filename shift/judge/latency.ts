// Latency, canary against baseline over the same window: a one-sided Mann–Whitney U test (rank sum)
// on the two histograms, ties at mid-ranks with the tie-corrected variance and a continuity
// correction, against the baseline slowed by the tolerance — so "significant" means "slower than
// baseline + tolerance", the confidence bound clearing the tolerance. It fails only when that is
// significant AND the p50 increase clears the allowed increase (Kayenta's MannWhitneyClassifier).
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { histogramTotal, percentileMs, type LatencyHistogram } from '../../lib/histogram.ts';
import { formatP, ms } from './text.ts';
import type { Finding, JudgeConfig, SamplePair } from './samples.ts';
import { pairProblem, tooFewLatencies } from './validate.ts';

export interface UTest {
  /** U of the canary: pairs where the canary is slower, ties counting ½. */
  u: number;
  z: number;
  /** One-sided p of "the canary is slower". */
  pValue: number;
}

interface Group {
  value: number;
  canary: number;
  baseline: number;
}

/** The two histograms as one ascending list of distinct values with each side's count. */
function merged(canary: LatencyHistogram, baseline: LatencyHistogram, scale: number): Group[] {
  const byValue = new Map<number, Group>();
  const add = (value: number, side: 'canary' | 'baseline', n: number): void => {
    const g = byValue.get(value) ?? { value, canary: 0, baseline: 0 };
    g[side] += n;
    byValue.set(value, g);
  };
  canary.valuesMs.forEach((v, i) => add(v, 'canary', canary.counts[i] ?? 0));
  baseline.valuesMs.forEach((v, i) => add(v * scale, 'baseline', baseline.counts[i] ?? 0));
  return [...byValue.values()].sort((a, b) => a.value - b.value);
}

/**
 * Mann–Whitney U of the canary against the baseline with every baseline value multiplied by
 * `scale` (1 = the plain test). Normal approximation: the windows hold tens to thousands of values.
 */
export function mannWhitney(canary: LatencyHistogram, baseline: LatencyHistogram, scale = 1): UTest {
  const n1 = histogramTotal(canary);
  const n2 = histogramTotal(baseline);
  const n = n1 + n2;
  let below = 0;
  let rankSum = 0;
  let ties = 0;
  for (const g of merged(canary, baseline, scale)) {
    const t = g.canary + g.baseline;
    rankSum += g.canary * (below + (t + 1) / 2);
    ties += t ** 3 - t;
    below += t;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u, z, pValue: 1 - normalCdf(z, 0, 1) };
}

export function judgeLatency(p: SamplePair, c: JudgeConfig): Finding {
  const base = { metric: 'latency' as const, source: p.source };
  const alpha = 1 - c.confidence;
  const threshold = `U-test vs ${p.baseline.color} +${Math.round(c.latencyTolerance * 100)} % at p < ${formatP(alpha)} and p50 ≥ +${Math.round(c.latencyAllowedIncrease * 100)} %`;
  const problem = pairProblem(p);
  if (problem !== null) return { ...base, outcome: 'invalid', value: problem, threshold };
  const few = tooFewLatencies(p, c.minLatencySamples);
  if (few !== null) return { ...base, outcome: 'not-yet', value: few, threshold };
  const k = p.canary.latency as LatencyHistogram;
  const b = p.baseline.latency as LatencyHistogram;
  const kP50 = percentileMs(k, 50) as number;
  const bP50 = percentileMs(b, 50) as number;
  const effect = bP50 > 0 ? kP50 / bP50 - 1 : kP50 > 0 ? Infinity : 0;
  const test = mannWhitney(k, b, 1 + c.latencyTolerance);
  const fail = test.pValue < alpha && effect >= c.latencyAllowedIncrease;
  const sign = effect >= 0 ? '+' : '−';
  const value = `${p.canary.color} p50 ${ms(kP50)} vs ${p.baseline.color} ${ms(bP50)} (${sign}${Math.round(Math.abs(effect) * 100)} %, U-test p ${formatP(test.pValue, true)})`;
  return { ...base, outcome: fail ? 'fail' : 'pass', value, threshold, pValue: test.pValue, effect };
}
