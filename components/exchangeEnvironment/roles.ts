// The three IAM roles: the task role (the app's S3 access), the execution role (image pull, logs,
// registry secret) and the scheduler role (run the ingest task, pass the two task roles).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedArgs } from './args.ts';
import type { EnvironmentNames } from './naming.ts';
import { registryCredentialsPolicy, serviceTrustPolicy, taskRolePolicy } from './policies.ts';

export interface Roles {
  taskRole: aws.iam.Role;
  taskRolePolicy: aws.iam.RolePolicy;
  executionRole: aws.iam.Role;
  executionRolePolicyAttachment: aws.iam.RolePolicyAttachment;
  registryCredentialsPolicy?: aws.iam.RolePolicy;
}

const json = (doc: unknown) => JSON.stringify(doc);

export function createTaskRoles(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: { bucketArn: pulumi.Output<string>; accountId: pulumi.Output<string>; tags: Record<string, string> },
): Roles {
  const opts = { parent };
  const taskRole = new aws.iam.Role(
    n.taskRole,
    {
      description: `exchange ${r.color}: the app's access to its own bucket`,
      assumeRolePolicy: deps.accountId.apply((account) =>
        json(serviceTrustPolicy('ecs-tasks.amazonaws.com', account)),
      ),
      tags: deps.tags,
    },
    opts,
  );
  const taskPolicy = new aws.iam.RolePolicy(
    `${n.taskRole}-s3`,
    {
      role: taskRole.name,
      policy: deps.bucketArn.apply((arn) => json(taskRolePolicy(arn))),
    },
    opts,
  );
  const executionRole = new aws.iam.Role(
    n.executionRole,
    {
      description: `exchange ${r.color}: ECS pulls the image and ships logs`,
      assumeRolePolicy: json(serviceTrustPolicy('ecs-tasks.amazonaws.com')),
      tags: deps.tags,
    },
    opts,
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    `${n.executionRole}-managed`,
    {
      role: executionRole.name,
      policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
    },
    opts,
  );
  const roles: Roles = {
    taskRole,
    taskRolePolicy: taskPolicy,
    executionRole,
    executionRolePolicyAttachment: attachment,
  };
  if (r.registryCredentialsSecretArn !== undefined) {
    roles.registryCredentialsPolicy = new aws.iam.RolePolicy(
      `${n.executionRole}-registry`,
      {
        role: executionRole.name,
        policy: pulumi
          .output(r.registryCredentialsSecretArn)
          .apply((arn) => json(registryCredentialsPolicy(arn))),
      },
      opts,
    );
  }
  return roles;
}
