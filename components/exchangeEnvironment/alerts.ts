// Alerts for the scheduled ingest: a failed ingest is the readiness problem (stale data) that ECS no
// longer acts on, so a person must hear of it. EventBridge matches this colour's ingest task stopping
// with a non-zero exit (or failing to start) and publishes to an SNS topic; a CloudWatch alarm on the
// schedule's dead-letter queue covers invocations that never became a task.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { CONTAINER_NAME } from '../../contract/index.ts';
import type { ResolvedArgs } from './args.ts';
import type { EnvironmentNames } from './naming.ts';
import { alertTopicPolicy } from './policies.ts';

export interface Alerts {
  alertTopic: aws.sns.Topic;
  alertTopicPolicy: aws.sns.TopicPolicy;
  alertSubscription?: aws.sns.TopicSubscription;
  ingestFailedRule: aws.cloudwatch.EventRule;
  ingestFailedTarget: aws.cloudwatch.EventTarget;
  deadLetterAlarm: aws.cloudwatch.MetricAlarm;
}

/**
 * ECS Task State Change of this family's standalone tasks (service tasks have group `service:…`): stopped
 * with a non-zero exit code of the app container, or stopped before it ever started.
 */
export function ingestFailedPattern(clusterArn: string, family: string): Record<string, unknown> {
  return {
    source: ['aws.ecs'],
    'detail-type': ['ECS Task State Change'],
    detail: {
      clusterArn: [clusterArn],
      group: [`family:${family}`],
      lastStatus: ['STOPPED'],
      $or: [
        { containers: { name: [CONTAINER_NAME], exitCode: [{ 'anything-but': 0 }] } },
        { stopCode: ['TaskFailedToStart'] },
      ],
    },
  };
}

export function createAlerts(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: { deadLetterQueue: aws.sqs.Queue; tags: Record<string, string> },
): Alerts {
  const opts = { parent };
  const alertTopic = new aws.sns.Topic(n.alertTopic, { tags: deps.tags }, opts);
  const ingestFailedRule = new aws.cloudwatch.EventRule(
    n.ingestFailedRule,
    {
      description: `exchange ${r.color}: the scheduled ingest stopped with an error`,
      eventPattern: pulumi
        .output(r.clusterArn)
        .apply((c) => JSON.stringify(ingestFailedPattern(c, n.family))),
      tags: deps.tags,
    },
    opts,
  );
  const deadLetterAlarm = new aws.cloudwatch.MetricAlarm(
    `${n.deadLetterQueue}-alarm`,
    {
      alarmDescription: `exchange ${r.color}: a scheduled ingest could not be started (see the dead-letter queue)`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: deps.deadLetterQueue.name },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [alertTopic.arn],
      tags: deps.tags,
    },
    opts,
  );
  const policy = new aws.sns.TopicPolicy(
    `${n.alertTopic}-policy`,
    {
      arn: alertTopic.arn,
      policy: pulumi
        .all([alertTopic.arn, ingestFailedRule.arn, deadLetterAlarm.arn])
        .apply(([topic, rule, alarm]) => JSON.stringify(alertTopicPolicy(topic, rule, alarm))),
    },
    opts,
  );
  const ingestFailedTarget = new aws.cloudwatch.EventTarget(
    n.ingestFailedRule,
    { rule: ingestFailedRule.name, arn: alertTopic.arn },
    { parent, dependsOn: [policy] },
  );
  const alerts: Alerts = {
    alertTopic,
    alertTopicPolicy: policy,
    ingestFailedRule,
    ingestFailedTarget,
    deadLetterAlarm,
  };
  if (r.alertEmail !== '') {
    alerts.alertSubscription = new aws.sns.TopicSubscription(
      `${n.alertTopic}-email`,
      { topic: alertTopic.arn, protocol: 'email', endpoint: r.alertEmail },
      opts,
    );
  }
  return alerts;
}
