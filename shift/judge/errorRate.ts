// Error rate, canary against baseline over the same window: Fisher's exact test of the two
// proportions (one-sided: is the canary's 5xx share higher?), exact where a normal approximation
// is not — with 0 baseline errors a single canary 5xx would be "significant" to a z-test. It fails
// only when the test is significant AND the increase clears the allowed increase (Kayenta's
// MannWhitneyClassifier: the confidence bound AND the effect size).
import hypergeometricCdf from '@stdlib/stats-base-dists-hypergeometric-cdf';
import { formatP, pct } from './text.ts';
import type { Finding, JudgeConfig, SamplePair } from './samples.ts';
import { pairProblem, tooFewRequests } from './validate.ts';

/**
 * P(canary errors ≥ observed | total errors, both sizes): the hypergeometric upper tail. Under "same
 * rate" every error is equally likely to be any of the requests, so the canary's share of them is
 * hypergeometric.
 */
export function fisherOneSided(
  canaryErrors: number,
  canaryN: number,
  baseErrors: number,
  baseN: number,
): number {
  const total = canaryN + baseN;
  const errors = canaryErrors + baseErrors;
  if (errors === 0 || canaryErrors === 0) return 1;
  return Math.min(1, Math.max(0, 1 - hypergeometricCdf(canaryErrors - 1, total, errors, canaryN)));
}

export function judgeErrorRate(p: SamplePair, c: JudgeConfig): Finding {
  const base = { metric: 'error-rate' as const, source: p.source };
  const alpha = 1 - c.confidence;
  const threshold = `p < ${formatP(alpha)} and ≥ +${pct(c.errorAllowedIncrease)} pt`;
  const problem = pairProblem(p);
  if (problem !== null) return { ...base, outcome: 'invalid', value: problem, threshold };
  const few = tooFewRequests(p, c.minRequests);
  if (few !== null) return { ...base, outcome: 'not-yet', value: few, threshold };
  const { canary: k, baseline: b } = p;
  const kRate = k.errors5xx / k.requests;
  const bRate = b.errors5xx / b.requests;
  const effect = kRate - bRate;
  const pValue = fisherOneSided(k.errors5xx, k.requests, b.errors5xx, b.requests);
  const fail = pValue < alpha && effect >= c.errorAllowedIncrease;
  const shared = !fail && bRate >= c.errorAllowedIncrease && kRate >= c.errorAllowedIncrease;
  const value =
    `${k.color} 5xx ${pct(kRate)} % (${k.errors5xx}/${k.requests}) vs ${b.color} ${pct(bRate)} % ` +
    `(${b.errors5xx}/${b.requests}) (${effect >= 0 ? '+' : '−'}${pct(Math.abs(effect))} pt, Fisher p ${formatP(pValue, true)})` +
    (shared ? ': both colours fail alike — a shared fault, not the release' : '');
  return { ...base, outcome: fail ? 'fail' : 'pass', value, threshold, pValue, effect };
}
