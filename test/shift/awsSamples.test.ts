// The AWS side of the canary judge: the exact GetMetricData queries (pure builders), the reducer on
// an answer in the API's shape (test/shift/fixtures/getMetricData.emf.json), and the thin sender
// through aws-sdk-client-mock: two calls, whole periods, no datapoints = zero requests.
import assert from 'node:assert/strict';
import { GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { LATENCY_BUCKET_BOUNDS_MS, SERVE_METRICS_NAMESPACE } from '../../contract/serveMetrics.ts';
import { histogramTotal } from '../../lib/histogram.ts';
import { readSamples } from '../../shift/drivers/awsMetrics.ts';
import {
  albQueries,
  alignWindow,
  bucketStats,
  emfQueries,
  reduceAlb,
  reduceEmf,
} from '../../shift/drivers/awsSamples.ts';
import { pairUp } from '../../shift/canary.ts';
import { judgeWindow } from '../../shift/judge/judge.ts';
import { emfAnswer, mockAwsClients } from './awsMocks.ts';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/shared/abc/def';
const TG = {
  blue: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/blue/111',
  green: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/green/222',
};
const W = { fromMs: Date.parse('2026-12-01T05:02:00Z'), toMs: Date.parse('2026-12-01T05:03:00Z') };

describe('AWS canary samples: queries, reducer, sender', () => {
  it('EMF: per colour Sum of Requests and Errors5xx and one trimmed count per latency bucket, at 10 s', () => {
    const q = emfQueries();
    assert.equal(q.length, 2 * (2 + LATENCY_BUCKET_BOUNDS_MS.length + 1));
    assert.ok(q.length <= 500, 'one GetMetricData holds at most 500 queries');
    assert.equal(new Set(q.map((x) => x.Id)).size, q.length, 'ids are unique');
    for (const x of q) {
      assert.equal(x.MetricStat?.Period, 10, 'high-resolution metrics may be read at 10 s');
      assert.equal(x.MetricStat?.Metric?.Namespace, SERVE_METRICS_NAMESPACE);
      assert.match(x.Id ?? '', /^[a-z][a-zA-Z0-9_]*$/, 'GetMetricData ids start with a lower-case letter');
    }
    const stats = bucketStats();
    assert.equal(stats[0], 'TC(:2)');
    assert.equal(stats[1], 'TC(2:4)');
    assert.equal(stats.at(-1), 'TC(10000:)', 'the last bucket is open');
  });

  it('ALB: RequestCount and HTTPCode_Target_5XX_Count per target group at 60 s', () => {
    const q = albQueries('app/shared/abc', { blue: 'targetgroup/blue/111', green: 'targetgroup/green/222' });
    assert.deepEqual(
      q.map((x) => [x.Id, x.MetricStat?.Metric?.MetricName, x.MetricStat?.Period, x.MetricStat?.Stat]),
      [
        ['alb_blue_req', 'RequestCount', 60, 'Sum'],
        ['alb_blue_5xx', 'HTTPCode_Target_5XX_Count', 60, 'Sum'],
        ['alb_green_req', 'RequestCount', 60, 'Sum'],
        ['alb_green_5xx', 'HTTPCode_Target_5XX_Count', 60, 'Sum'],
      ],
    );
  });

  it('windows are cut to whole periods; one too short for a period is none', () => {
    assert.deepEqual(alignWindow({ fromMs: 1_000, toMs: 31_500 }, 10), { fromMs: 10_000, toMs: 30_000 });
    assert.equal(alignWindow({ fromMs: 1_000, toMs: 9_000 }, 10), null);
  });

  it('reduces the recorded answer: counts summed over periods, buckets into a histogram; the judge passes it', () => {
    const samples = reduceEmf(emfAnswer().MetricDataResults, W);
    const [blue, green] = samples;
    assert.deepEqual([blue?.requests, green?.requests], [6 * 540, 6 * 60]);
    assert.equal(histogramTotal(blue!.latency!), 6 * 300, 'one task samples ≤ 300 latencies a period');
    assert.equal(histogramTotal(green!.latency!), 6 * 60);
    const v = judgeWindow(pairUp(samples, 'green', 'blue'));
    assert.equal(v.outcome, 'pass', v.reason);
    assert.match(v.reason, /latency green p50 \d+ ms vs blue \d+ ms/);
  });

  it('no datapoints is zero requests, never a throw', () => {
    const [blue] = reduceAlb([], W);
    assert.deepEqual([blue?.requests, blue?.errors5xx, blue?.latency], [0, 0, null]);
  });

  it('sends two GetMetricData: EMF over whole 10 s periods, the ALB over whole minutes', async () => {
    const { clients, cw } = mockAwsClients();
    const calls: GetMetricDataCommandInput[] = [];
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      calls.push(input);
      return input.MetricDataQueries?.[0]?.Id?.startsWith('emf_') ? emfAnswer() : { MetricDataResults: [] };
    });
    const out = await readSamples(clients.cloudwatch, LISTENER, TG, {
      fromMs: W.fromMs - 5_000,
      toMs: W.toMs + 4_000,
    });
    assert.equal(calls.length, 2);
    assert.deepEqual(
      calls.map((c) => [c.StartTime?.toISOString(), c.EndTime?.toISOString()]),
      [
        ['2026-12-01T05:02:00.000Z', '2026-12-01T05:03:00.000Z'],
        ['2026-12-01T05:02:00.000Z', '2026-12-01T05:03:00.000Z'],
      ],
    );
    assert.deepEqual(
      out.map((w) => [w.source, w.color, w.requests]),
      [
        ['emf', 'blue', 3240],
        ['emf', 'green', 360],
        ['alb', 'blue', 0],
        ['alb', 'green', 0],
      ],
    );
  });
});
