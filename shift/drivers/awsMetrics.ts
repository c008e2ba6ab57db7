// CloudWatch reads of the AWS driver: one GetMetricData for a colour's target group over a window.
// ALB metrics have one-minute granularity and publish HTTPCode_* only when non-zero, so a missing
// 5xx series with requests present is 0, while a missing RequestCount series is no data.
import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { Color } from '../../contract/index.ts';
import { SERVE_METRICS_NAMESPACE, SERVE_METRICS_PERIOD_SECONDS } from '../../contract/serveMetrics.ts';
import { DriverError } from '../errors.ts';
import type { WindowSamples } from '../judge/samples.ts';
import type { ColorMetrics, MetricsWindow } from '../port.ts';
import {
  ALB_PERIOD_SECONDS,
  albQueries,
  albQuery,
  alignWindow,
  emfQueries,
  reduceAlb,
  reduceEmf,
} from './awsSamples.ts';

/** The ALB's per-target-group metrics are published per minute. */
export const METRICS_PERIOD_SECONDS = ALB_PERIOD_SECONDS;

/** `arn:…:loadbalancer/app/name/id` or `…:listener/app/name/id/lid` → `app/name/id` (the CloudWatch dimension). */
export function loadBalancerDimension(arn: string): string {
  const m = /:(?:loadbalancer|listener)\/(app\/[^/]+\/[^/]+)/.exec(arn);
  if (m === null)
    throw new DriverError(`"${arn}" is not an ALB or listener ARN`, {
      hint: 'check the shared stack output listenerArn',
    });
  return m[1] as string;
}

/** `arn:…:targetgroup/name/id` → `targetgroup/name/id`. */
export function targetGroupDimension(arn: string): string {
  const m = /:(targetgroup\/[^/]+\/[^/]+)$/.exec(arn);
  if (m === null)
    throw new DriverError(`"${arn}" is not a target group ARN`, {
      hint: 'check the environment stack output targetGroupArn',
    });
  return m[1] as string;
}

export async function readColorMetrics(
  cw: CloudWatchClient,
  listenerArn: string,
  targetGroupArn: string,
  window: MetricsWindow,
): Promise<ColorMetrics> {
  const lb = loadBalancerDimension(listenerArn);
  const tg = targetGroupDimension(targetGroupArn);
  const period = METRICS_PERIOD_SECONDS * 1000;
  let out;
  try {
    out = await cw.send(
      new GetMetricDataCommand({
        // Whole minutes: CloudWatch aligns periods to the minute; a partial first minute would be dropped.
        StartTime: new Date(Math.floor(window.fromMs / period) * period),
        EndTime: new Date(window.toMs),
        MetricDataQueries: [
          albQuery('requests', 'RequestCount', 'Sum', lb, tg),
          albQuery('errors', 'HTTPCode_Target_5XX_Count', 'Sum', lb, tg),
          albQuery('p99', 'TargetResponseTime', 'p99', lb, tg),
        ],
        ScanBy: 'TimestampAscending',
      }),
    );
  } catch (err) {
    throw new DriverError(
      `cloudwatch GetMetricData failed: ${err instanceof Error ? err.message : String(err)}`,
      {
        hint: 'check the credentials allow cloudwatch:GetMetricData',
        cause: err,
      },
    );
  }
  const values = (id: string): number[] => out.MetricDataResults?.find((r) => r.Id === id)?.Values ?? [];
  const requests = values('requests');
  if (requests.length === 0) return { requests: null, errors5xx: null, p99Ms: null };
  const p99 = values('p99');
  return {
    requests: requests.reduce((a, b) => a + b, 0),
    errors5xx: values('errors').reduce((a, b) => a + b, 0),
    // The worst minute's p99: percentiles of minutes cannot be merged exactly, the max is the safe bound.
    p99Ms: p99.length === 0 ? null : Math.max(...p99) * 1000,
  };
}

async function getMetricData(
  cw: CloudWatchClient,
  w: MetricsWindow,
  queries: MetricDataQuery[],
  what: string,
) {
  try {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(w.fromMs),
        EndTime: new Date(w.toMs),
        MetricDataQueries: queries,
        ScanBy: 'TimestampAscending',
      }),
    );
    return out.MetricDataResults ?? [];
  } catch (err) {
    throw new DriverError(
      `cloudwatch GetMetricData (${what}) failed: ${err instanceof Error ? err.message : String(err)}`,
      { hint: `check the credentials allow cloudwatch:GetMetricData (${what})`, cause: err },
    );
  }
}

/**
 * Both colours over the window, from serve's EMF metrics (whole 10 s periods) and from the ALB (whole
 * minutes, when one fits): two GetMetricData calls, each ≤ 500 queries.
 */
export async function readSamples(
  cw: CloudWatchClient,
  listenerArn: string,
  targetGroupArns: Record<Color, string>,
  window: MetricsWindow,
): Promise<WindowSamples[]> {
  const out: WindowSamples[] = [];
  const emf = alignWindow(window, SERVE_METRICS_PERIOD_SECONDS);
  if (emf !== null)
    out.push(...reduceEmf(await getMetricData(cw, emf, emfQueries(), SERVE_METRICS_NAMESPACE), emf));
  const alb = alignWindow(window, ALB_PERIOD_SECONDS);
  if (alb !== null) {
    const tgs = Object.fromEntries(
      Object.entries(targetGroupArns).map(([c, arn]) => [c, targetGroupDimension(arn)]),
    ) as Record<Color, string>;
    const queries = albQueries(loadBalancerDimension(listenerArn), tgs);
    out.push(...reduceAlb(await getMetricData(cw, alb, queries, 'AWS/ApplicationELB'), alb));
  }
  return out;
}
