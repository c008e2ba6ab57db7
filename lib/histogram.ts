// Latency histograms everyone shares (serve's EMF publisher, the local router, the canary judge):
// HdrHistogram (hdr-histogram-js, the maintained port of Gil Tene's HdrHistogram) records values in
// microseconds at 2 significant digits (≤ 1 % relative error), merges windows exactly and answers
// percentiles; on the wire a histogram is its distinct values with their counts, ascending.
import * as hdr from 'hdr-histogram-js';

/** A latency distribution: `valuesMs[i]` occurred `counts[i]` times; values ascending and distinct. */
export interface LatencyHistogram {
  valuesMs: number[];
  counts: number[];
}

/** 1 % relative precision: finer than any effect the judge acts on (+25 %), small on the wire. */
const SIGNIFICANT_DIGITS = 2;
const US_PER_MS = 1000;

export type Hdr = hdr.Histogram;

export function newHdr(): Hdr {
  // Pure JavaScript (no WebAssembly init), resizing itself: latencies have no fixed upper bound.
  return hdr.build({ numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, autoResize: true });
}

/** Records one latency; negative or non-finite values are refused (they mean a broken clock). */
export function recordMs(h: Hdr, ms: number, count = 1): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency ${ms} ms is not a duration`);
  h.recordValueWithCount(Math.round(ms * US_PER_MS), count);
}

export function hdrFromValues(valuesMs: readonly number[]): Hdr {
  const h = newHdr();
  for (const v of valuesMs) recordMs(h, v);
  return h;
}

export function hdrFromHistogram(l: LatencyHistogram): Hdr {
  const h = newHdr();
  l.valuesMs.forEach((v, i) => recordMs(h, v, l.counts[i] ?? 0));
  return h;
}

/** The recorded values of an HdrHistogram, each bucket at its highest equivalent value. */
export function histogramOf(h: Hdr): LatencyHistogram {
  const out: LatencyHistogram = { valuesMs: [], counts: [] };
  if (h.totalCount === 0) return out;
  const it = (h as unknown as hdr.JsHistogram).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.valuesMs.push(v.valueIteratedTo / US_PER_MS);
    out.counts.push(v.countAddedInThisIterationStep);
  }
  return out;
}

export function histogramFromValues(valuesMs: readonly number[]): LatencyHistogram {
  return histogramOf(hdrFromValues(valuesMs));
}

export function histogramTotal(l: LatencyHistogram): number {
  return l.counts.reduce((a, b) => a + b, 0);
}

/** Merges histograms exactly (the counts of equal values add up). */
export function mergeHistograms(list: readonly LatencyHistogram[]): LatencyHistogram {
  const h = newHdr();
  for (const l of list) l.valuesMs.forEach((v, i) => recordMs(h, v, l.counts[i] ?? 0));
  return histogramOf(h);
}

/** The q-th percentile (0–100) in ms, or null for an empty histogram. */
export function percentileMs(l: LatencyHistogram, q: number): number | null {
  if (histogramTotal(l) === 0) return null;
  return hdrFromHistogram(l).getValueAtPercentile(q) / US_PER_MS;
}
