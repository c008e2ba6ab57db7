// The scheduled ingest's failure path: EventBridge rule on its task stopping badly → SNS topic (with the
// stack's e-mail subscription), and an alarm on the schedule's dead-letter queue.
import assert from 'node:assert/strict';
import { ingestFailedPattern } from '../../components/exchangeEnvironment/alerts.ts';
import { alertTopicPolicy } from '../../components/exchangeEnvironment/policies.ts';
import { promiseOf } from '../../infra/testing/mocks.ts';
import { CLUSTER, useComponentFixture } from './component.helpers.ts';

/** EventBridge semantics for the parts the pattern uses: exact values, anything-but, $or, object arrays. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(event) ? event : [event];
    return pattern.some((p) =>
      typeof p === 'object' && p !== null && 'anything-but' in p
        ? values.some((v) => v !== undefined && v !== (p as { 'anything-but': unknown })['anything-but'])
        : values.includes(p),
    );
  }
  const obj = pattern as Record<string, unknown>;
  return Object.entries(obj).every(([k, p]) => {
    if (k === '$or') return (p as unknown[]).some((alt) => matches(alt, event));
    const v = (event as Record<string, unknown> | undefined)?.[k];
    if (Array.isArray(v) && !Array.isArray(p)) return v.some((item) => matches(p, item));
    return matches(p, v);
  });
}

const stopped = (detail: Record<string, unknown>) => ({
  source: 'aws.ecs',
  'detail-type': 'ECS Task State Change',
  detail: { clusterArn: CLUSTER, group: 'family:exchange-green', lastStatus: 'STOPPED', ...detail },
});

describe('ExchangeEnvironment ingest alerts', () => {
  const pattern = ingestFailedPattern(CLUSTER, 'exchange-green');

  it('matches the ingest task stopping with a non-zero exit, or failing to start', () => {
    assert.ok(matches(pattern, stopped({ containers: [{ name: 'exchange', exitCode: 1 }] })), 'exit 1');
    assert.ok(
      matches(pattern, stopped({ stopCode: 'TaskFailedToStart', containers: [{ name: 'exchange' }] })),
    );
  });

  it('ignores a successful ingest and the service tasks', () => {
    assert.ok(!matches(pattern, stopped({ containers: [{ name: 'exchange', exitCode: 0 }] })), 'exit 0');
    const serviceTask = stopped({
      group: 'service:exchange-green-svc',
      containers: [{ name: 'exchange', exitCode: 137 }],
    });
    assert.ok(
      !matches(pattern, serviceTask),
      'a replaced service task is ECS business, not an ingest failure',
    );
  });

  describe('resources (mocks)', () => {
    const f = useComponentFixture();

    it('rule → topic, topic policy for this rule only, DLQ alarm → topic, no subscriber by default', async () => {
      const env = await f.build();
      const rule = f.h.one('aws:cloudwatch/eventRule:EventRule');
      assert.deepEqual(JSON.parse(rule.inputs.eventPattern), pattern);
      const topic = await f.arnOf(env.resources.alertTopic);
      assert.equal(f.h.one('aws:cloudwatch/eventTarget:EventTarget').inputs.arn, topic);
      const policy = JSON.parse(f.h.one('aws:sns/topicPolicy:TopicPolicy').inputs.policy);
      const alarmArn = await f.arnOf(env.resources.deadLetterAlarm);
      assert.deepEqual(
        policy,
        alertTopicPolicy(topic, await f.arnOf(env.resources.ingestFailedRule), alarmArn),
      );
      assert.match(alarmArn, /:alarm:/, 'the topic policy names the alarm by its ARN');
      const alarm = f.h.one('aws:cloudwatch/metricAlarm:MetricAlarm').inputs;
      assert.deepEqual(alarm.alarmActions, [topic]);
      assert.equal(alarm.dimensions.QueueName, await promiseOf(env.resources.deadLetterQueue.name));
      assert.equal(f.h.ofType('aws:sns/topicSubscription:TopicSubscription').length, 0);
    });

    it('subscribes the configured e-mail address', async () => {
      await f.build({ alertEmail: 'ops@example.com' });
      const sub = f.h.one('aws:sns/topicSubscription:TopicSubscription').inputs;
      assert.deepEqual([sub.protocol, sub.endpoint], ['email', 'ops@example.com']);
    });
  });
});
