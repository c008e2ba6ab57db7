// serve's EMF metrics: what the awslogs driver ships must be valid Embedded Metric Format documents
// (CloudWatch's specification: _aws.CloudWatchMetrics, ≤ 100 values a metric, StorageResolution 1 for
// high resolution) carrying the period's exact counts and a uniform sample of its latencies.
import assert from 'node:assert/strict';
import { LATENCY_SAMPLES_PER_FLUSH, SERVE_METRICS_NAMESPACE } from '../../contract/serveMetrics.ts';
import { createServeMetrics, emfEnabled } from '../../serve/emf.ts';

interface Doc {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string; StorageResolution?: number }[];
    }[];
  };
  Color: string;
  [k: string]: unknown;
}

function run(requests: number, status = (i: number) => (i % 50 === 0 ? 500 : 200)) {
  const lines: string[] = [];
  const start = Date.now();
  let t = start;
  const m = createServeMetrics({
    color: 'green',
    write: (l) => lines.push(l),
    now: () => t,
    random: () => 0.5,
  });
  for (let i = 0; i < requests; i++) m.record(status(i), 10 + (i % 7));
  t += 10_000;
  return { m, lines, start, docs: () => lines.map((l) => JSON.parse(l) as Doc) };
}

describe('serve EMF metrics', () => {
  it('one period: exact Requests and Errors5xx, high resolution, namespace and colour dimension', async () => {
    const { m, docs, start } = run(250);
    await m.flush();
    const d = docs();
    const first = d[0]!;
    assert.equal(first.Requests, 250);
    assert.equal(first.Errors5xx, 5);
    assert.equal(first.Color, 'green');
    const directive = first._aws.CloudWatchMetrics[0]!;
    assert.equal(directive.Namespace, SERVE_METRICS_NAMESPACE);
    assert.deepEqual(directive.Dimensions, [['Color']]);
    for (const doc of d)
      for (const metric of doc._aws.CloudWatchMetrics[0]!.Metrics)
        assert.equal(
          metric.StorageResolution,
          1,
          `${metric.Name} must be high resolution to be read at 10 s`,
        );
    assert.equal(first._aws.Timestamp, start + 5_000, 'stamped mid-period');
  });

  it('latencies: every one up to the sample size, at most 100 values a document', async () => {
    const { m, docs } = run(250);
    await m.flush();
    const values = docs().flatMap((d) =>
      Array.isArray(d.Latency) ? d.Latency : d.Latency === undefined ? [] : [d.Latency],
    );
    assert.equal(values.length, 250);
    for (const d of docs()) assert.ok(!Array.isArray(d.Latency) || d.Latency.length <= 100);
  });

  it('a busy period keeps a uniform sample of LATENCY_SAMPLES_PER_FLUSH, the counts stay exact', async () => {
    const { m, docs } = run(5000, () => 200);
    await m.flush();
    const values = docs().flatMap((d) => (Array.isArray(d.Latency) ? (d.Latency as number[]) : []));
    assert.equal(values.length, LATENCY_SAMPLES_PER_FLUSH);
    assert.equal(docs()[0]!.Requests, 5000);
  });

  it('an idle period says 0 requests (not "no data") and no latency', async () => {
    const { m, docs } = run(0);
    await m.flush();
    assert.equal(docs().length, 1);
    assert.equal(docs()[0]!.Requests, 0);
    assert.equal(docs()[0]!.Latency, undefined);
  });

  it('is on in ECS (ECS_CONTAINER_METADATA_URI), off elsewhere unless EXCHANGE_EMF=on', () => {
    assert.equal(emfEnabled({ ECS_CONTAINER_METADATA_URI: 'http://169.254.170.2/v3/x' }), true);
    assert.equal(emfEnabled({}), false);
    assert.equal(emfEnabled({ EXCHANGE_EMF: 'on' }), true);
    assert.equal(emfEnabled({ EXCHANGE_EMF: 'off', ECS_CONTAINER_METADATA_URI: 'x' }), false);
  });
});
