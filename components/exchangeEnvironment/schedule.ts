// Scheduled ingest: EventBridge Scheduler runs the service's own task definition revision with the
// `ingest` command and the ingest task role (RunTask overrides), using a role that may run only this family
// on the shared cluster. Failed invocations go to a dead-letter queue.
//
// One revision for both: the schedule targets exactly the revision the stack exports, and it is updated
// only after the service's rollout returned (dependsOn), so a failed `up` leaves both on the old revision.
// A circuit-breaker rollback is invisible to `up` (terraform-provider-aws #20858): `exchange deploy-check`
// detects it and fails the release, naming the revision the schedule now runs (release/deployCheck.ts).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedArgs } from './args.ts';
import { ingestOverrides } from '../../contract/ingestTask.ts';
import { sourceScheduleName, type EnvironmentNames } from './naming.ts';
import { schedulerPolicy, serviceTrustPolicy } from './policies.ts';
import { boundary, type Roles } from './roles.ts';

export interface Schedule {
  schedulerRole: aws.iam.Role;
  schedulerRolePolicy: aws.iam.RolePolicy;
  schedule: aws.scheduler.Schedule;
  /** One per further source (moreSources), in its order. */
  moreSchedules: aws.scheduler.Schedule[];
  deadLetterQueue: aws.sqs.Queue;
}

/** Scheduler keeps a failed invocation's event for 14 days (SQS's maximum) so it can be inspected. */
const DLQ_RETENTION_SECONDS = 1_209_600;

/** The schedule waits for the service and the role policy: see the header comment. */
export function scheduleDependencies(service: pulumi.Resource, policy: pulumi.Resource): pulumi.Resource[] {
  return [service, policy];
}

export function createSchedule(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: {
    taskDefinition: aws.ecs.TaskDefinition;
    service: aws.ecs.Service;
    roles: Roles;
    securityGroupId: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    tags: Record<string, string>;
  },
): Schedule {
  const opts = { parent };
  const schedulerRole = new aws.iam.Role(
    n.schedulerRole,
    {
      description: `exchange ${r.color}: EventBridge Scheduler runs the ingest task`,
      assumeRolePolicy: deps.accountId.apply((account) =>
        JSON.stringify(serviceTrustPolicy('scheduler.amazonaws.com', account)),
      ),
      tags: deps.tags,
      ...boundary(r),
    },
    opts,
  );
  const td = deps.taskDefinition;
  const deadLetterQueue = new aws.sqs.Queue(
    n.deadLetterQueue,
    { messageRetentionSeconds: DLQ_RETENTION_SECONDS, sqsManagedSseEnabled: true, tags: deps.tags },
    opts,
  );
  const schedulerRolePolicy = new aws.iam.RolePolicy(
    `${n.schedulerRole}-run-task`,
    {
      role: schedulerRole.name,
      policy: pulumi
        .all([
          td.arnWithoutRevision,
          pulumi.output(r.clusterArn),
          // The override sets the ingest role; the definition still names the serve and execution roles.
          deps.roles.ingestRole.arn,
          deps.roles.executionRole.arn,
          deps.roles.taskRole.arn,
          deadLetterQueue.arn,
        ])
        .apply(([family, cluster, ingest, exec, serve, dlq]) =>
          JSON.stringify(schedulerPolicy(family, cluster, [ingest, exec, serve], dlq)),
        ),
    },
    opts,
  );
  const one = (name: string, source: string, expression: string, timezone: string): aws.scheduler.Schedule =>
    new aws.scheduler.Schedule(
      name,
      {
        description: `exchange ${r.color}: ingest ${source}`,
        scheduleExpression: expression,
        scheduleExpressionTimezone: timezone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: r.clusterArn,
          roleArn: schedulerRole.arn,
          ecsParameters: {
            taskDefinitionArn: td.arn,
            launchType: 'FARGATE',
            taskCount: 1,
            networkConfiguration: {
              subnets: r.subnetIds,
              securityGroups: [deps.securityGroupId],
              assignPublicIp: r.assignPublicIp,
            },
          },
          input: pulumi
            .all([deps.bucketName, deps.roles.ingestRole.arn])
            .apply(([bucket, role]) => JSON.stringify(ingestOverrides(source, bucket, role))),
          deadLetterConfig: { arn: deadLetterQueue.arn },
          // A missed daily run is better retried soon than stacked up: the next run supersedes it.
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        },
      },
      { parent, dependsOn: scheduleDependencies(deps.service, schedulerRolePolicy) },
    );
  // The environment's own source keeps its name (renaming would replace it); each further source gets
  // one beside it, sharing the role and the dead-letter queue.
  const schedule = one(n.schedule, r.source, r.scheduleExpression, r.scheduleTimezone);
  const moreSchedules = r.moreSources.map((s) =>
    one(
      sourceScheduleName(n, s.source),
      s.source,
      s.scheduleExpression,
      s.scheduleTimezone ?? r.scheduleTimezone,
    ),
  );
  return { schedulerRole, schedulerRolePolicy, schedule, moreSchedules, deadLetterQueue };
}
