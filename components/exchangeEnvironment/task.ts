// The log group and the Fargate task definition shared by the service and the scheduled ingest.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedArgs } from './args.ts';
import { containerDefinition, serveCommand } from './container.ts';
import type { EnvironmentNames } from './naming.ts';
import type { Roles } from './roles.ts';

export interface Task {
  logGroup: aws.cloudwatch.LogGroup;
  taskDefinition: aws.ecs.TaskDefinition;
}

/** Everything that grants the execution role (and the task role) its permissions. */
export function executionRoleDependencies(roles: Roles): pulumi.Resource[] {
  return [
    roles.executionRolePolicyAttachment,
    roles.taskRolePolicy,
    ...(roles.registryCredentialsPolicy ? [roles.registryCredentialsPolicy] : []),
  ];
}

export function createTask(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: {
    bucketName: pulumi.Output<string>;
    region: pulumi.Output<string>;
    roles: Roles;
    tags: Record<string, string>;
  },
): Task {
  const logGroup = new aws.cloudwatch.LogGroup(
    n.logGroup,
    { retentionInDays: r.logRetentionDays, tags: deps.tags },
    { parent },
  );
  const command = r.command
    ? pulumi.output(r.command)
    : deps.bucketName.apply((b) => serveCommand(b, r.maxDataAge));
  const secretArn =
    r.registryCredentialsSecretArn === undefined ? undefined : pulumi.output(r.registryCredentialsSecretArn);
  const containers = pulumi
    .all([command, deps.bucketName, deps.region, logGroup.name, secretArn])
    .apply(([cmd, bucket, region, logGroupName, secret]) =>
      JSON.stringify([
        containerDefinition({
          image: r.image,
          command: cmd,
          bucket,
          color: r.color,
          version: r.version,
          source: r.source,
          region,
          logGroupName,
          stopTimeoutSeconds: r.stopTimeoutSeconds,
          memory: r.memory,
          ...(secret ? { registryCredentialsSecretArn: secret } : {}),
        }),
      ]),
    );
  const taskDefinition = new aws.ecs.TaskDefinition(
    n.taskDefinition,
    {
      family: n.family,
      cpu: String(r.cpu),
      memory: String(r.memory),
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      executionRoleArn: deps.roles.executionRole.arn,
      taskRoleArn: deps.roles.taskRole.arn,
      containerDefinitions: containers,
      tags: deps.tags,
    },
    // IAM is eventually consistent: a task started before the execution role's policies exist fails to
    // pull or log, and on a first deploy those failures count against the service's circuit breaker.
    { parent, dependsOn: executionRoleDependencies(deps.roles) },
  );
  return { logGroup, taskDefinition };
}
