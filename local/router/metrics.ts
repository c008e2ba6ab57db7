// Per-colour request metrics like the ALB's per-target-group CloudWatch metrics (RequestCount,
// HTTPCode_Target_5XX_Count, TargetResponseTime): totals and a latency histogram since start, and
// any recent window summarised on demand from the kept samples.
import { COLORS, type Color } from '../../contract/index.ts';
import { histogramFromValues, type LatencyHistogram } from '../../lib/histogram.ts';

/** Histogram bucket upper bounds in ms; the last bucket is everything above. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] as const;

/** Samples older than this are dropped; the longest window one can ask for. */
export const MAX_WINDOW_MS = 5 * 60_000;

interface Sample {
  at: number;
  status: number;
  ms: number;
  /** The router answered itself (target unreachable or timed out). */
  byRouter: boolean;
}

export interface WindowSummary {
  fromMs: number;
  toMs: number;
  requests: number;
  /** Responses 500–599 the colour's target answered (the ALB's HTTPCode_Target_5XX_Count). */
  errors5xx: number;
  /** The router's own 502/504 for an unreachable or silent target (the ALB's HTTPCode_ELB_5XX_Count). */
  routerErrors5xx: number;
  /** errors5xx / requests, or null with no requests (no data is not a pass). */
  errorRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The targets' answers' latencies (HdrHistogram, 1 % precision): what the canary judge ranks. */
  latency: LatencyHistogram;
}

export interface ColorTotals {
  requests: number;
  /** Every 5xx the client saw for this colour, the target's and the router's own. */
  errors5xx: number;
  inFlight: number;
  /** Counts per LATENCY_BUCKETS_MS bound, plus one for "above the last". */
  histogram: number[];
}

/** The q-quantile (0–1) of sorted values, nearest-rank; null when empty. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? null;
}

const is5xx = (status: number): boolean => status >= 500 && status <= 599;

/** Samples finished in [fromMs, toMs). */
export function summarize(samples: readonly Sample[], fromMs: number, toMs: number): WindowSummary {
  const recent = samples.filter((s) => s.at >= fromMs && s.at < toMs);
  const errors5xx = recent.filter((s) => !s.byRouter && is5xx(s.status)).length;
  const routerErrors5xx = recent.filter((s) => s.byRouter && is5xx(s.status)).length;
  const sorted = recent
    .filter((s) => !s.byRouter)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  return {
    fromMs,
    toMs,
    requests: recent.length,
    errors5xx,
    routerErrors5xx,
    errorRate: recent.length ? errors5xx / recent.length : null,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    latency: histogramFromValues(sorted),
  };
}

export function bucketIndex(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? LATENCY_BUCKETS_MS.length : i;
}

export class RouterMetrics {
  private readonly samples = new Map<Color, Sample[]>(COLORS.map((c) => [c, []]));
  private readonly totals = new Map<Color, ColorTotals>(
    COLORS.map((c) => [
      c,
      {
        requests: 0,
        errors5xx: 0,
        inFlight: 0,
        histogram: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
      },
    ]),
  );

  constructor(private readonly now: () => number = Date.now) {}

  begin(color: Color): void {
    this.total(color).inFlight += 1;
  }

  /** One finished request; status 0 means the client or upstream connection broke mid-response. */
  end(color: Color, status: number, ms: number, byRouter = false): void {
    const t = this.total(color);
    t.inFlight -= 1;
    t.requests += 1;
    if (is5xx(status)) t.errors5xx += 1;
    t.histogram[bucketIndex(ms)]! += 1;
    const list = this.samples.get(color)!;
    const at = this.now();
    list.push({ at, status, ms, byRouter });
    // Prune in batches so a steady load does not shift the array on every request.
    if (list.length > 1024 && list[0]!.at < at - MAX_WINDOW_MS) {
      const keep = list.findIndex((s) => s.at >= at - MAX_WINDOW_MS);
      list.splice(0, keep === -1 ? list.length : keep);
    }
  }

  inFlight(color: Color): number {
    return this.total(color).inFlight;
  }

  /** The window [fromMs, toMs), clipped to the kept samples (MAX_WINDOW_MS). */
  window(color: Color, fromMs: number, toMs: number): WindowSummary {
    return summarize(this.samples.get(color)!, Math.max(fromMs, this.now() - MAX_WINDOW_MS), toMs);
  }

  snapshot(color: Color): ColorTotals {
    const t = this.total(color);
    return { ...t, histogram: [...t.histogram] };
  }

  private total(color: Color): ColorTotals {
    return this.totals.get(color)!;
  }
}
