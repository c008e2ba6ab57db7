// The canary judge's figures on AWS, as pure functions around one GetMetricData each: builders of the
// MetricDataQuery[] (serve's EMF metrics at 10 s; the ALB's per-target-group metrics at 60 s, which
// stay the authority for what the load balancer counted) and reducers of the answer into
// WindowSamples. Only awsMetrics.ts sends. No datapoints is zero requests, never an error.
import type { MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { COLORS, type Color } from '../../contract/index.ts';
import {
  LATENCY_BUCKET_BOUNDS_MS,
  SERVE_METRIC,
  SERVE_METRICS_DIMENSION,
  SERVE_METRICS_NAMESPACE,
  SERVE_METRICS_PERIOD_SECONDS,
} from '../../contract/serveMetrics.ts';
import type { LatencyHistogram } from '../../lib/histogram.ts';
import type { WindowSamples } from '../judge/samples.ts';
import type { MetricsWindow } from '../port.ts';

export const ALB_PERIOD_SECONDS = 60;

/** The window cut to whole periods (CloudWatch aligns periods to the clock); null when none fits. */
export function alignWindow(w: MetricsWindow, periodSeconds: number): MetricsWindow | null {
  const p = periodSeconds * 1000;
  const fromMs = Math.ceil(w.fromMs / p) * p;
  const toMs = Math.floor(w.toMs / p) * p;
  return toMs > fromMs ? { fromMs, toMs } : null;
}

/** TC(lo:hi) counts lo < value ≤ hi (CloudWatch statistics definitions); open at both ends. */
export function bucketStats(bounds: readonly number[] = LATENCY_BUCKET_BOUNDS_MS): string[] {
  return [...bounds, null].map((hi, i) => {
    const lo = i === 0 ? '' : String(bounds[i - 1]);
    return `TC(${lo}:${hi === null ? '' : hi})`;
  });
}

function emfQuery(id: string, color: Color, metric: string, stat: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: SERVE_METRICS_NAMESPACE,
        MetricName: metric,
        Dimensions: [{ Name: SERVE_METRICS_DIMENSION, Value: color }],
      },
      Period: SERVE_METRICS_PERIOD_SECONDS,
      Stat: stat,
    },
    ReturnData: true,
  };
}

/** Per colour: requests and 5xx (Sum) and one trimmed count per latency bucket, all at 10 s. */
export function emfQueries(): MetricDataQuery[] {
  return COLORS.flatMap((c) => [
    emfQuery(`emf_${c}_req`, c, SERVE_METRIC.requests, 'Sum'),
    emfQuery(`emf_${c}_5xx`, c, SERVE_METRIC.errors5xx, 'Sum'),
    ...bucketStats().map((stat, i) => emfQuery(`emf_${c}_b${i}`, c, SERVE_METRIC.latency, stat)),
  ]);
}

/** One ALB metric of one target group at the ALB's 60 s period. */
export function albQuery(id: string, metric: string, stat: string, lb: string, tg: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: metric,
        Dimensions: [
          { Name: 'LoadBalancer', Value: lb },
          { Name: 'TargetGroup', Value: tg },
        ],
      },
      Period: ALB_PERIOD_SECONDS,
      Stat: stat,
    },
    ReturnData: true,
  };
}

/** Per colour's target group: RequestCount and HTTPCode_Target_5XX_Count (Sum) at 60 s. */
export function albQueries(lb: string, targetGroups: Record<Color, string>): MetricDataQuery[] {
  return COLORS.flatMap((c) => [
    albQuery(`alb_${c}_req`, 'RequestCount', 'Sum', lb, targetGroups[c]),
    albQuery(`alb_${c}_5xx`, 'HTTPCode_Target_5XX_Count', 'Sum', lb, targetGroups[c]),
  ]);
}

function sumOf(results: readonly MetricDataResult[], id: string): number {
  return (results.find((r) => r.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
}

/** A bucket's count stands at its upper bound (the open last one at twice its lower bound). */
function histogramFrom(results: readonly MetricDataResult[], color: Color): LatencyHistogram {
  const out: LatencyHistogram = { valuesMs: [], counts: [] };
  const bounds = LATENCY_BUCKET_BOUNDS_MS;
  bucketStats().forEach((_, i) => {
    const n = Math.round(sumOf(results, `emf_${color}_b${i}`));
    if (n <= 0) return;
    out.valuesMs.push(i < bounds.length ? (bounds[i] as number) : 2 * (bounds[bounds.length - 1] as number));
    out.counts.push(n);
  });
  return out;
}

export function reduceEmf(results: readonly MetricDataResult[], w: MetricsWindow): WindowSamples[] {
  return COLORS.map((color) => ({
    color,
    ...w,
    source: 'emf' as const,
    requests: Math.round(sumOf(results, `emf_${color}_req`)),
    errors5xx: Math.round(sumOf(results, `emf_${color}_5xx`)),
    latency: histogramFrom(results, color),
  }));
}

/** ALB counts only: its latency (TargetResponseTime) stays with the fixed p99 limit of the metrics gate. */
export function reduceAlb(results: readonly MetricDataResult[], w: MetricsWindow): WindowSamples[] {
  return COLORS.map((color) => ({
    color,
    ...w,
    source: 'alb' as const,
    requests: Math.round(sumOf(results, `alb_${color}_req`)),
    errors5xx: Math.round(sumOf(results, `alb_${color}_5xx`)),
    latency: null,
  }));
}
