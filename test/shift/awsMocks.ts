// The four AWS clients the shift's AWS driver reads and writes, each behind aws-sdk-client-mock:
// `clients` goes into createAwsDriver, the mocks are given responses per test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudWatchClient,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';

export function mockAwsClients(region = 'eu-west-1') {
  const clients = {
    elb: new ElasticLoadBalancingV2Client({ region }),
    ecs: new ECSClient({ region }),
    cloudwatch: new CloudWatchClient({ region }),
    autoscaling: new ApplicationAutoScalingClient({ region }),
  };
  return {
    clients,
    elb: mockClient(clients.elb),
    ecs: mockClient(clients.ecs),
    cw: mockClient(clients.cloudwatch),
    aas: mockClient(clients.autoscaling),
  };
}

/** A GetMetricData answer in the API's shape for serve's EMF queries (both colours alike, no 5xx). */
export function emfAnswer(): { MetricDataResults: MetricDataResult[] } {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', 'getMetricData.emf.json'), 'utf8'),
  ) as { MetricDataResults: MetricDataResult[] };
}

/**
 * Answers any of the driver's GetMetricData calls by query Id: the EMF fixture for serve's metrics,
 * `alb` per colour for the ALB's counts, `legacy` for the metrics gate's requests/errors/p99 query.
 */
export function answerMetricData(
  input: GetMetricDataCommandInput,
  o: { legacy: MetricDataResult[]; greenEmf5xx?: number },
): { MetricDataResults: MetricDataResult[] } {
  const emf = emfAnswer().MetricDataResults;
  const out = (input.MetricDataQueries ?? []).map((q): MetricDataResult => {
    const id = q.Id ?? '';
    if (id === 'emf_green_5xx' && o.greenEmf5xx) return { Id: id, Values: [o.greenEmf5xx] };
    const known = emf.find((r) => r.Id === id) ?? o.legacy.find((r) => r.Id === id);
    if (known) return known;
    if (id.startsWith('alb_') && id.endsWith('_req')) return { Id: id, Values: [600] };
    return { Id: id, Values: [] };
  });
  return { MetricDataResults: out };
}
