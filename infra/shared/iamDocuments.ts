// Pure IAM documents for the pipeline identity: who may assume the roles (GitLab OIDC trust) and what
// each role may do. Kept apart from the resources so every action and condition is asserted in tests.

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface TrustInput {
  providerArn: string;
  /** GitLab URL; the condition keys are `<host>:aud` / `<host>:sub`. */
  gitlabUrl: string;
  audience: string;
  projectPath: string;
  protectedBranch: string;
}

/** `https://gitlab.example.com` → `gitlab.example.com` (IAM keys OIDC conditions on the issuer without scheme). */
export function oidcHost(url: string): string {
  return url.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

/** GitLab's `sub` claim for a pipeline on one branch of one project. */
export function gitlabSubject(projectPath: string, branch: string): string {
  return `project_path:${projectPath}:ref_type:branch:ref:${branch}`;
}

/** Deploy role: only pipelines of this project on the protected branch (exact `sub`, exact `aud`). */
export function deployTrustPolicy(t: TrustInput): PolicyDocument {
  const host = oidcHost(t.gitlabUrl);
  return webIdentityTrust(t.providerArn, {
    StringEquals: {
      [`${host}:aud`]: t.audience,
      [`${host}:sub`]: gitlabSubject(t.projectPath, t.protectedBranch),
    },
  });
}

/**
 * Preview role: any branch of this project (merge-request pipelines run on the source branch), and
 * nothing from other projects on the same instance — without a `sub` condition any project could assume it.
 */
export function previewTrustPolicy(t: TrustInput): PolicyDocument {
  const host = oidcHost(t.gitlabUrl);
  return webIdentityTrust(t.providerArn, {
    StringEquals: { [`${host}:aud`]: t.audience },
    StringLike: { [`${host}:sub`]: gitlabSubject(t.projectPath, '*') },
  });
}

function webIdentityTrust(providerArn: string, condition: PolicyStatement['Condition']): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  };
}

export interface DeployScope {
  accountId: string;
  region: string;
  stateBucket: string;
  statePrefix: string;
  gitlabUrl: string;
  /** The permissions boundary every role the stacks create must carry (pipelineBoundary.ts). */
  boundaryArn: string;
}

/** Every IAM role and site bucket the stacks create is named `exchange-…` (auto-names keep the prefix). */
export const NAME_PREFIX = 'exchange-';

/** Services `pulumi up` manages for the three stacks; regional ones are pinned to our region. */
export const REGIONAL_SERVICE_ACTIONS = [
  'ec2:*',
  'elasticloadbalancing:*',
  'ecs:*',
  'logs:*',
  'scheduler:*',
  'sqs:*',
  'sns:*',
  'events:*',
  'cloudwatch:*',
  // The colours' scalable targets and target-tracking policies (components/…/scaling.ts), and the
  // release's RegisterScalableTarget calls (floors, standby, scale-in suspension: shift/drivers/awsCapacity.ts).
  'application-autoscaling:*',
];

/** Bucket-level (not object-level) actions the aws provider uses to create, read and delete site buckets. */
export const BUCKET_ADMIN_ACTIONS = [
  's3:CreateBucket',
  's3:DeleteBucket',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetBucket*',
  's3:PutBucket*',
  's3:DeleteBucketPolicy',
  's3:DeleteBucketWebsite',
  's3:DeleteBucketOwnershipControls',
  's3:Get*Configuration',
  's3:Put*Configuration',
];

/**
 * IAM actions that create a role or change what it may do: allowed only when the role carries our
 * permissions boundary (condition iam:PermissionsBoundary), so no role the pipeline writes can exceed it.
 */
export const ROLE_WRITE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
];

/** Other role actions (read, tag, delete, describe): on `exchange-*` roles only. */
export const ROLE_ACTIONS = [
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
];

export const OIDC_PROVIDER_ACTIONS = [
  'iam:CreateOpenIDConnectProvider',
  'iam:GetOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UntagOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
];

/**
 * What `pulumi up` of blue, green and shared needs. Scoped by service, region, account and resource;
 * EC2/ELB/ECS use generated IDs we cannot know up front, so those are scoped by region only. IAM: only
 * `exchange-*` roles, and writing their permissions only with the boundary attached; PassRole of
 * `exchange-*` roles to ECS tasks and the scheduler; bucket administration of `exchange-*` buckets only.
 */
export function deployPermissions(s: DeployScope): PolicyDocument {
  const roles = `arn:aws:iam::${s.accountId}:role/${NAME_PREFIX}*`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RegionalServices',
        Effect: 'Allow',
        Action: REGIONAL_SERVICE_ACTIONS,
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': s.region } },
      },
      {
        Sid: 'SiteBuckets',
        Effect: 'Allow',
        Action: BUCKET_ADMIN_ACTIONS,
        Resource: `arn:aws:s3:::${NAME_PREFIX}*`,
      },
      { Sid: 'ListBuckets', Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
      ...stateStatements(s.stateBucket, s.statePrefix, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']),
      {
        Sid: 'RoleWritesWithBoundary',
        Effect: 'Allow',
        Action: ROLE_WRITE_ACTIONS,
        Resource: roles,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': s.boundaryArn } },
      },
      { Sid: 'Roles', Effect: 'Allow', Action: ROLE_ACTIONS, Resource: roles },
      {
        Sid: 'PassRolesToTasksAndScheduler',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: roles,
        Condition: {
          StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'scheduler.amazonaws.com'] },
        },
      },
      {
        Sid: 'GitlabOidcProvider',
        Effect: 'Allow',
        Action: OIDC_PROVIDER_ACTIONS,
        Resource: `arn:aws:iam::${s.accountId}:oidc-provider/${oidcHost(s.gitlabUrl)}`,
      },
      {
        Sid: 'ServiceLinkedRoles',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: {
          StringEquals: {
            'iam:AWSServiceName': [
              'elasticloadbalancing.amazonaws.com',
              'ecs.amazonaws.com',
              // AWSServiceRoleForApplicationAutoScaling_ECSService, created by the first RegisterScalableTarget.
              'ecs.application-autoscaling.amazonaws.com',
            ],
          },
        },
      },
      { Sid: 'Identity', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    ],
  };
}

/** Reading the state for previews (the preview role's other reads: pipelineBoundary.ts previewReadPolicy). */
export function previewStatePolicy(stateBucket: string, statePrefix: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: stateStatements(stateBucket, statePrefix, ['s3:GetObject']) };
}

function stateStatements(bucket: string, prefix: string, objectActions: string[]): PolicyStatement[] {
  const listCondition = prefix === '' ? {} : { Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } } };
  return [
    {
      Sid: 'StateList',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${bucket}`,
      ...listCondition,
    },
    {
      Sid: 'StateObjects',
      Effect: 'Allow',
      Action: objectActions,
      Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
    },
  ];
}
