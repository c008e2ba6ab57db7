// Data checks before any test (Kayenta's preprocessing/Validators): figures that cannot be right are
// "invalid", too few to say anything are "not yet". Neither is ever a pass.
import { histogramTotal, type LatencyHistogram } from '../../lib/histogram.ts';
import type { SamplePair, WindowSamples } from './samples.ts';

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;

/** Why a window's figures cannot be right, or null when they can. */
export function windowProblem(w: WindowSamples): string | null {
  if (!isCount(w.requests)) return `${w.color} requests ${w.requests} is not a count`;
  if (!isCount(w.errors5xx)) return `${w.color} 5xx ${w.errors5xx} is not a count`;
  if (w.errors5xx > w.requests) return `${w.color} has ${w.errors5xx} 5xx in ${w.requests} requests`;
  if (!(Number.isFinite(w.fromMs) && Number.isFinite(w.toMs) && w.fromMs < w.toMs))
    return `${w.color} window ${w.fromMs}–${w.toMs} is empty or not a time`;
  return w.latency === null ? null : histogramProblem(w.color, w.latency, w.requests);
}

function histogramProblem(color: string, l: LatencyHistogram, requests: number): string | null {
  if (l.valuesMs.length !== l.counts.length)
    return `${color} latency has ${l.valuesMs.length} values but ${l.counts.length} counts`;
  for (let i = 0; i < l.valuesMs.length; i++) {
    const v = l.valuesMs[i] as number;
    if (!Number.isFinite(v) || v < 0) return `${color} latency value ${v} ms is not a duration`;
    if (i > 0 && v <= (l.valuesMs[i - 1] as number)) return `${color} latency values are not ascending`;
    if (!isCount(l.counts[i] as number)) return `${color} latency count ${l.counts[i]} is not a count`;
  }
  // A source may sample latencies (EMF keeps ≤ 300 a period), never report more than it served.
  const total = histogramTotal(l);
  if (total > requests) return `${color} has ${total} latencies for ${requests} requests`;
  return null;
}

/** The pair's first problem: both colours over the same window, each plausible. */
export function pairProblem(p: SamplePair): string | null {
  if (p.baseline.color === p.canary.color) return `baseline and canary are both ${p.canary.color}`;
  if (p.baseline.fromMs !== p.canary.fromMs || p.baseline.toMs !== p.canary.toMs)
    return `${p.canary.color} and ${p.baseline.color} cover different windows`;
  return windowProblem(p.canary) ?? windowProblem(p.baseline);
}

/** Too little to compare error rates: fewer than `min` requests on either colour. */
export function tooFewRequests(p: SamplePair, min: number): string | null {
  const short = [p.canary, p.baseline].find((w) => w.requests < min);
  return short === undefined ? null : `${short.color} ${short.requests} req (needs ≥ ${min} per colour)`;
}

/** Too little to compare latencies: no histogram or fewer than `min` samples on either colour. */
export function tooFewLatencies(p: SamplePair, min: number): string | null {
  for (const w of [p.canary, p.baseline]) {
    const n = w.latency === null ? 0 : histogramTotal(w.latency);
    if (n < min) return `${w.color} ${n} latencies (needs ≥ ${min} per colour)`;
  }
  return null;
}
