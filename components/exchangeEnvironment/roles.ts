// The task IAM roles: the serve role (the always-on service: reads only), the ingest role (the scheduled
// run: writes; given to RunTask as overrides.taskRoleArn) and the execution role (image pull, logs, registry
// secret). The S3 grants come from contract/s3Access.ts, the list the app's own tests check its keys against.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { S3_ACCESS } from '../../contract/s3Access.ts';
import type { ResolvedArgs } from './args.ts';
import type { EnvironmentNames } from './naming.ts';
import { registryCredentialsPolicy, serviceTrustPolicy, taskRolePolicy } from './policies.ts';

export interface Roles {
  taskRole: aws.iam.Role;
  taskRolePolicy: aws.iam.RolePolicy;
  ingestRole: aws.iam.Role;
  ingestRolePolicy: aws.iam.RolePolicy;
  executionRole: aws.iam.Role;
  executionRolePolicyAttachment: aws.iam.RolePolicyAttachment;
  registryCredentialsPolicy?: aws.iam.RolePolicy;
}

const json = (doc: unknown) => JSON.stringify(doc);

/** The permissions boundary input, when the stack passes one. */
export function boundary(r: ResolvedArgs): { permissionsBoundary?: pulumi.Input<string> } {
  return r.permissionsBoundary === undefined ? {} : { permissionsBoundary: r.permissionsBoundary };
}

type RoleDeps = {
  bucketArn: pulumi.Output<string>;
  accountId: pulumi.Output<string>;
  tags: Record<string, string>;
};

/** A role ECS tasks of this account assume, with one inline policy: `access` on the colour's bucket. */
function bucketRole(
  parent: pulumi.Resource,
  name: string,
  description: string,
  access: (typeof S3_ACCESS)[keyof typeof S3_ACCESS],
  r: ResolvedArgs,
  deps: RoleDeps,
): [aws.iam.Role, aws.iam.RolePolicy] {
  const opts = { parent };
  const role = new aws.iam.Role(
    name,
    {
      description,
      assumeRolePolicy: deps.accountId.apply((account) =>
        json(serviceTrustPolicy('ecs-tasks.amazonaws.com', account)),
      ),
      tags: deps.tags,
      ...boundary(r),
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-s3`,
    { role: role.name, policy: deps.bucketArn.apply((arn) => json(taskRolePolicy(arn, access))) },
    opts,
  );
  return [role, policy];
}

export function createTaskRoles(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: RoleDeps,
): Roles {
  const opts = { parent };
  const [taskRole, taskPolicy] = bucketRole(
    parent,
    n.taskRole,
    `exchange ${r.color}: serve reads its own bucket`,
    S3_ACCESS.serve,
    r,
    deps,
  );
  const [ingestRole, ingestRolePolicy] = bucketRole(
    parent,
    n.ingestRole,
    `exchange ${r.color}: the scheduled ingest writes its own bucket`,
    S3_ACCESS.ingest,
    r,
    deps,
  );
  const executionRole = new aws.iam.Role(
    n.executionRole,
    {
      description: `exchange ${r.color}: ECS pulls the image and ships logs`,
      assumeRolePolicy: json(serviceTrustPolicy('ecs-tasks.amazonaws.com')),
      tags: deps.tags,
      ...boundary(r),
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
    ingestRole,
    ingestRolePolicy,
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
