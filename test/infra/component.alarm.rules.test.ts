// The dead-letter alarm's condition, evaluated as CloudWatch does (issue 19): an empty queue never
// alarms, one message does. CloudWatch compares the statistic (first operand) with the threshold per
// the operator: GreaterThanThreshold is strictly greater, GreaterThanOrEqualToThreshold is ≥ (the
// PutMetricAlarm ComparisonOperator reference and the CDK ComparisonOperator enum say so).
import assert from 'node:assert/strict';
import { useComponentFixture } from './component.helpers.ts';

const OPERATORS: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

describe('ExchangeEnvironment dead-letter alarm condition', () => {
  const f = useComponentFixture();

  it('an empty dead-letter queue never alarms; one message alarms within one period', async () => {
    await f.build();
    const alarm = f.h.one('aws:cloudwatch/metricAlarm:MetricAlarm').inputs;
    const breaches = OPERATORS[alarm.comparisonOperator as string];
    assert.ok(breaches, `unknown comparison operator ${alarm.comparisonOperator}`);
    assert.equal(breaches(0, alarm.threshold), false, 'an empty queue (0 visible messages) must not alarm');
    assert.equal(breaches(1, alarm.threshold), true, 'one undelivered schedule must alarm');
    assert.deepEqual(
      [alarm.namespace, alarm.metricName, alarm.statistic, alarm.evaluationPeriods, alarm.treatMissingData],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', 1, 'notBreaching'],
    );
    assert.match(alarm.alarmDescription, /^exchange green: a scheduled ingest could not be started/);
  });

  it('the rule delivers only after the topic policy lets EventBridge publish; the rule and topic are tagged', async () => {
    await f.build();
    const target = f.h.one('aws:cloudwatch/eventTarget:EventTarget');
    const policy = f.h.one('aws:sns/topicPolicy:TopicPolicy');
    assert.ok(
      target.dependencies.includes(policy.urn),
      'an event target created before its topic policy drops the first failures (SNS denies EventBridge)',
    );
    const rule = f.h.one('aws:cloudwatch/eventRule:EventRule').inputs;
    assert.match(rule.description, /^exchange green: the scheduled ingest stopped with an error$/);
    for (const type of [
      'aws:sns/topic:Topic',
      'aws:cloudwatch/eventRule:EventRule',
      'aws:cloudwatch/metricAlarm:MetricAlarm',
    ])
      assert.ok(Object.keys(f.h.one(type).inputs.tags ?? {}).length > 0, `${type} carries the stack tags`);
  });
});
