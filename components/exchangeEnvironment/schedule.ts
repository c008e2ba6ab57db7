// Scheduled ingest: EventBridge Scheduler runs the service's task definition with the `ingest`
// command, using a role that may run only this family on the shared cluster.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { CONTAINER_NAME } from '../../contract/index.ts';
import type { ResolvedArgs } from './args.ts';
import { ingestCommand } from './container.ts';
import type { EnvironmentNames } from './naming.ts';
import { schedulerPolicy, serviceTrustPolicy } from './policies.ts';
import type { Roles } from './roles.ts';

export interface Schedule {
  schedulerRole: aws.iam.Role;
  schedulerRolePolicy: aws.iam.RolePolicy;
  schedule: aws.scheduler.Schedule;
}

export function createSchedule(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: {
    taskDefinition: aws.ecs.TaskDefinition;
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
    },
    opts,
  );
  const td = deps.taskDefinition;
  const schedulerRolePolicy = new aws.iam.RolePolicy(
    `${n.schedulerRole}-run-task`,
    {
      role: schedulerRole.name,
      policy: pulumi
        .all([
          td.arnWithoutRevision,
          pulumi.output(r.clusterArn),
          deps.roles.taskRole.arn,
          deps.roles.executionRole.arn,
        ])
        .apply(([family, cluster, task, exec]) =>
          JSON.stringify(schedulerPolicy(family, cluster, [task, exec])),
        ),
    },
    opts,
  );
  const schedule = new aws.scheduler.Schedule(
    n.schedule,
    {
      description: `exchange ${r.color}: ingest ${r.source}`,
      scheduleExpression: r.scheduleExpression,
      scheduleExpressionTimezone: r.scheduleTimezone,
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
        input: deps.bucketName.apply((bucket) =>
          JSON.stringify({
            containerOverrides: [{ name: CONTAINER_NAME, command: ingestCommand(r.source, bucket) }],
          }),
        ),
        // A missed daily run is better retried soon than stacked up: the next run supersedes it.
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
    },
    { parent, dependsOn: [schedulerRolePolicy] },
  );
  return { schedulerRole, schedulerRolePolicy, schedule };
}
