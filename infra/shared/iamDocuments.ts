// Pure IAM documents for the pipeline identity: who may assume the roles (GitLab OIDC trust) and what
// each role may do. Kept apart from the resources so every action and condition is asserted in tests.

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string[];
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
 * Preview role: the same subject as the deploy role (this project's protected branch). No merge-request job
 * uses it: merge requests run the offline `synth`, and GitLab withholds protected variables (the stack
 * passphrase) from them, so the release pipeline on the protected branch is its only user (`idle-colour`,
 * `preview`). A wider trust would let any pushed branch read the stack state.
 */
export function previewTrustPolicy(t: TrustInput): PolicyDocument {
  return deployTrustPolicy(t);
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
  /** The boundary every role the stacks create must carry (pipelineBoundary.ts workloadBoundaryPolicy). */
  workloadBoundaryArn: string;
  /** The boundaries themselves, which the deploy role may read (a `pulumi up` of shared reads them). */
  boundaryArns: string[];
}

/** Every IAM role and site bucket the stacks create is named `exchange-…` (auto-names keep the prefix). */
export const NAME_PREFIX = 'exchange-';

/**
 * The pipeline's own roles (auto-named `exchange-deploy-…`, `exchange-preview-…`): nothing the pipeline
 * runs may change them, their policies or their trust; an administrator applies those changes.
 */
export const PIPELINE_ROLE_PREFIXES = ['exchange-deploy-', 'exchange-preview-'];

export function pipelineRoleArns(accountId: string): string[] {
  return PIPELINE_ROLE_PREFIXES.map((p) => `arn:aws:iam::${accountId}:role/${p}*`);
}

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
  's3:Get*Configuration',
  's3:Put*Configuration',
];

/** Object actions on the state bucket: the Pulumi DIY backend and the durable release documents. */
export const STATE_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];

/**
 * Role writes IAM keys on a role's permissions boundary (iam:PermissionsBoundary: the boundary requested, or
 * the one the role carries): allowed only for roles with the workload boundary, so the deploy role can neither
 * create a role without it nor touch a role that carries another one (its own and the preview role's).
 */
export const ROLE_WRITE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:DeleteRole',
];

/** Managed policies: only these may be attached to the workload roles (condition iam:PolicyARN). */
export const ATTACHABLE_POLICY_ARNS = [
  'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
];
export const MANAGED_POLICY_ACTIONS = ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'];

/** Other role actions (read, tag): on `exchange-*` roles; the boundary keeps them off the pipeline's roles. */
export const ROLE_ACTIONS = [
  'iam:GetRole',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
];

/** The pipeline identity's other parts are read-only to the pipeline (an administrator changes them). */
export const OIDC_PROVIDER_ACTIONS = ['iam:GetOpenIDConnectProvider'];
export const POLICY_READ_ACTIONS = ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions'];

/** Every IAM action the deploy role is granted: the pipeline boundary's IAM ceiling is exactly this. */
export const DEPLOY_IAM_ACTIONS = [
  ...ROLE_WRITE_ACTIONS,
  ...MANAGED_POLICY_ACTIONS,
  ...ROLE_ACTIONS,
  'iam:PassRole',
  'iam:CreateServiceLinkedRole',
  ...OIDC_PROVIDER_ACTIONS,
  ...POLICY_READ_ACTIONS,
];

/**
 * What `pulumi up` of blue, green and shared needs. Scoped by service, region, account and resource;
 * EC2/ELB/ECS use generated IDs we cannot know up front, so those are scoped by region only. IAM: only
 * `exchange-*` roles, their permissions written only while they carry the workload boundary; PassRole of
 * `exchange-*` roles to ECS tasks and the scheduler; bucket administration of `exchange-*` buckets only.
 */
export function deployPermissions(s: DeployScope): PolicyDocument {
  const roles = `arn:aws:iam::${s.accountId}:role/${NAME_PREFIX}*`;
  const onWorkloadRoles = { 'iam:PermissionsBoundary': s.workloadBoundaryArn };
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
      ...stateStatements(s.stateBucket, s.statePrefix, STATE_OBJECT_ACTIONS),
      {
        Sid: 'RoleWritesWithWorkloadBoundary',
        Effect: 'Allow',
        Action: ROLE_WRITE_ACTIONS,
        Resource: roles,
        Condition: { StringEquals: onWorkloadRoles },
      },
      {
        Sid: 'AttachOnlyKnownPolicies',
        Effect: 'Allow',
        Action: MANAGED_POLICY_ACTIONS,
        Resource: roles,
        Condition: { StringEquals: onWorkloadRoles, ArnEquals: { 'iam:PolicyARN': ATTACHABLE_POLICY_ARNS } },
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
        Sid: 'ReadPipelineIdentity',
        Effect: 'Allow',
        Action: [...OIDC_PROVIDER_ACTIONS, ...POLICY_READ_ACTIONS],
        Resource: [`arn:aws:iam::${s.accountId}:oidc-provider/${oidcHost(s.gitlabUrl)}`, ...s.boundaryArns],
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

/**
 * S3 answers a GetObject/HeadObject of a missing key with 404 only to a caller that has "the s3:ListBucket
 * permission on the bucket", else with 403 (GetObject/HeadObject API reference). That check is not a list
 * request: AWS documents no s3:prefix for it, so a prefix-conditioned grant cannot be relied on and the first
 * read of a release document would fail with AccessDenied. ListBucket is therefore granted on the state
 * bucket without condition (it reveals key names, never contents); objects stay limited to the prefix.
 */
function stateStatements(bucket: string, prefix: string, objectActions: string[]): PolicyStatement[] {
  return [
    { Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
    {
      Sid: 'StateObjects',
      Effect: 'Allow',
      Action: objectActions,
      Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
    },
  ];
}
