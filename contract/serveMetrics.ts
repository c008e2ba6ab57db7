// The metrics `serve` publishes as CloudWatch Embedded Metric Format and the shift's gate reads back:
// one source for the namespace, names, dimension, period and latency buckets both sides use.

/** CloudWatch namespace of serve's own metrics (custom: the IAM grant names it). */
export const SERVE_METRICS_NAMESPACE = 'Exchange/Serve';

/** Dimension naming the colour; one series per colour, every task of the colour adds into it. */
export const SERVE_METRICS_DIMENSION = 'Color';

export const SERVE_METRIC = {
  /** Count of requests answered in the period (one value per flush: the period's count). */
  requests: 'Requests',
  /** Count of those answered 500–599. */
  errors5xx: 'Errors5xx',
  /** Latency values, ms: every request's, or a uniform sample of LATENCY_SAMPLES_PER_FLUSH. */
  latency: 'Latency',
} as const;

/**
 * Seconds between EMF flushes, and the period the gate reads at: high-resolution metrics (StorageResolution
 * 1) may be read at 1, 5, 10, 20, 30 s or multiples of 60 (CloudWatch MetricStat.Period).
 */
export const SERVE_METRICS_PERIOD_SECONDS = 10;

/** Most latency values one task publishes per flush (a uniform reservoir sample beyond that). */
export const LATENCY_SAMPLES_PER_FLUSH = 300;

/**
 * Upper bounds (ms) of the latency buckets the gate counts with CloudWatch's trimmed count TC(lo:hi),
 * which counts lo < value ≤ hi; the last bucket is everything above. Roughly 25 % apart: finer than the
 * judge's +25 % floor, few enough (× 2 colours) for one GetMetricData (≤ 500 queries).
 */
export const LATENCY_BUCKET_BOUNDS_MS = [
  2, 4, 6, 8, 10, 13, 16, 20, 25, 32, 40, 50, 65, 80, 100, 130, 160, 200, 250, 320, 400, 500, 650, 800, 1000,
  1300, 1600, 2000, 3000, 5000, 10000,
] as const;
