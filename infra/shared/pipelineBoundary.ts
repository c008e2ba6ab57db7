// The two permissions boundaries, and the preview role's scoped reads. The pipeline boundary caps the deploy
// and preview roles: exactly the actions they are granted, and denies that keep the pipeline off its own
// identity. The workload boundary caps every role the stacks create (task, ingest, execution, scheduler): the
// app's S3 object access, log writes, the registry secret, RunTask and PassRole to ECS, the dead-letter
// queue, and no IAM writes at all. The deploy role may write a role's permissions only while that role carries
// the workload boundary (iam:PermissionsBoundary, iamDocuments.ts), so nothing it writes can exceed it.
import type { PolicyDocument } from './iamDocuments.ts';
import {
  BUCKET_ADMIN_ACTIONS,
  DEPLOY_IAM_ACTIONS,
  MANAGED_POLICY_ACTIONS,
  NAME_PREFIX,
  pipelineRoleArns,
  REGIONAL_SERVICE_ACTIONS,
  ROLE_WRITE_ACTIONS,
  STATE_OBJECT_ACTIONS,
} from './iamDocuments.ts';

/** Names of the managed policies (the deploy role's conditions need their ARNs, so they are not auto-named). */
export const BOUNDARY_POLICY_NAME = 'exchange-permissions-boundary';
export const WORKLOAD_BOUNDARY_POLICY_NAME = 'exchange-workload-boundary';

export function boundaryArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/${BOUNDARY_POLICY_NAME}`;
}

export function workloadBoundaryArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/${WORKLOAD_BOUNDARY_POLICY_NAME}`;
}

/** Reads the pipeline keeps on its own identity; every other action on it is denied. */
const READS = ['iam:Get*', 'iam:List*'];

/**
 * The pipeline boundary (deploy and preview roles): a ceiling of exactly the actions those roles are granted
 * (no `iam:*`, no `s3:*`), and denies that hold even if an identity policy were wrong: no change to the
 * pipeline's own roles (policies, trust, tags, PassRole) or to either boundary policy, no removal of a
 * boundary, and no role write unless the role carries the workload boundary.
 */
export function boundaryPolicy(accountId: string): PolicyDocument {
  const workload = workloadBoundaryArn(accountId);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Ceiling',
        Effect: 'Allow',
        Action: [
          ...REGIONAL_SERVICE_ACTIONS,
          ...BUCKET_ADMIN_ACTIONS,
          ...STATE_OBJECT_ACTIONS,
          ...DEPLOY_IAM_ACTIONS,
          'sts:GetCallerIdentity',
        ],
        Resource: '*',
      },
      {
        Sid: 'PipelineRolesAreAdminOnly',
        Effect: 'Deny',
        NotAction: READS,
        Resource: pipelineRoleArns(accountId),
      },
      {
        Sid: 'BoundariesAreAdminOnly',
        Effect: 'Deny',
        NotAction: READS,
        Resource: [boundaryArn(accountId), workload],
      },
      { Sid: 'KeepTheBoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
      {
        Sid: 'RoleWritesOnlyUnderWorkloadBoundary',
        Effect: 'Deny',
        Action: [...ROLE_WRITE_ACTIONS, ...MANAGED_POLICY_ACTIONS],
        Resource: '*',
        Condition: { StringNotEquals: { 'iam:PermissionsBoundary': workload } },
      },
    ],
  };
}

/**
 * The workload boundary (task, ingest, execution and scheduler roles): what the app and ECS/Scheduler do on
 * their behalf, on `exchange-*` resources, and never the state bucket (explicit deny: it may be named
 * `exchange-…` too). The only IAM action is PassRole of `exchange-*` roles to ECS tasks, which the scheduler
 * needs for RunTask; the pipeline's roles can never be passed.
 */
export function workloadBoundaryPolicy(accountId: string, stateBucket: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SiteObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `arn:aws:s3:::${NAME_PREFIX}*/*`,
      },
      {
        Sid: 'SiteListing',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: `arn:aws:s3:::${NAME_PREFIX}*`,
      },
      {
        Sid: 'ContainerLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      },
      { Sid: 'RegistryCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
      {
        Sid: 'RunIngestTask',
        Effect: 'Allow',
        Action: 'ecs:RunTask',
        Resource: `arn:aws:ecs:*:${accountId}:task-definition/${NAME_PREFIX}*`,
      },
      {
        Sid: 'PassTaskRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: `arn:aws:iam::${accountId}:role/${NAME_PREFIX}*`,
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
      {
        Sid: 'DeadLetters',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: `arn:aws:sqs:*:${accountId}:${NAME_PREFIX}*`,
      },
      {
        Sid: 'NeverThePipelineRoles',
        Effect: 'Deny',
        Action: 'iam:PassRole',
        Resource: pipelineRoleArns(accountId),
      },
      {
        Sid: 'NeverTheState',
        Effect: 'Deny',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${stateBucket}`, `arn:aws:s3:::${stateBucket}/*`],
      },
    ],
  };
}

/**
 * The preview role's reads (instead of AWS ReadOnlyAccess, which reads every object in the account,
 * the Pulumi state included): describe/list/get on the services these stacks use, and bucket/role
 * configuration of `exchange-*` resources only. No object reads on site buckets.
 */
export function previewReadPolicy(accountId: string, region: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DescribeRegional',
        Effect: 'Allow',
        Action: [
          'ec2:Describe*',
          'elasticloadbalancing:Describe*',
          'ecs:Describe*',
          'ecs:List*',
          'logs:Describe*',
          'logs:ListTagsForResource',
          'logs:ListTagsLogGroup',
          'scheduler:GetSchedule',
          'scheduler:ListTagsForResource',
          'sqs:GetQueueAttributes',
          'sqs:ListQueueTags',
          'sns:GetTopicAttributes',
          'sns:GetSubscriptionAttributes',
          'sns:ListTagsForResource',
          'events:DescribeRule',
          'events:ListTargetsByRule',
          'events:ListTagsForResource',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:ListTagsForResource',
          'application-autoscaling:DescribeScalableTargets',
          'application-autoscaling:DescribeScalingPolicies',
          'application-autoscaling:ListTagsForResource',
        ],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': region } },
      },
      {
        Sid: 'BucketConfiguration',
        Effect: 'Allow',
        Action: ['s3:GetBucket*', 's3:Get*Configuration', 's3:ListBucket'],
        Resource: `arn:aws:s3:::${NAME_PREFIX}*`,
      },
      {
        Sid: 'Roles',
        Effect: 'Allow',
        Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies'],
        Resource: `arn:aws:iam::${accountId}:role/${NAME_PREFIX}*`,
      },
      {
        Sid: 'OidcAndBoundary',
        Effect: 'Allow',
        Action: [
          'iam:GetOpenIDConnectProvider',
          'iam:GetPolicy',
          'iam:GetPolicyVersion',
          'iam:ListPolicyVersions',
        ],
        Resource: [
          `arn:aws:iam::${accountId}:oidc-provider/*`,
          boundaryArn(accountId),
          workloadBoundaryArn(accountId),
        ],
      },
      { Sid: 'Identity', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    ],
  };
}
