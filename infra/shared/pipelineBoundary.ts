// The permissions boundary every role of these stacks carries, and the preview role's scoped reads.
// The deploy role may write a role's permissions only with this boundary attached (iam:PermissionsBoundary
// condition, iamDocuments.ts), so nothing the pipeline creates, itself included, can exceed it.
import type { PolicyDocument } from './iamDocuments.ts';
import { NAME_PREFIX, REGIONAL_SERVICE_ACTIONS } from './iamDocuments.ts';

/** Name of the managed policy (the deploy role's conditions need its ARN, so it is not auto-named). */
export const BOUNDARY_POLICY_NAME = 'exchange-permissions-boundary';

export function boundaryArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/${BOUNDARY_POLICY_NAME}`;
}

/**
 * The ceiling: the services the app and the pipeline use. A boundary only caps; each role's own policy
 * still grants the little it needs. The denies keep a role from removing or rewriting the ceiling and from
 * minting long-lived credentials.
 */
export function boundaryPolicy(accountId: string): PolicyDocument {
  const self = boundaryArn(accountId);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Ceiling',
        Effect: 'Allow',
        Action: [
          // The boundary is a ceiling: what the deploy role may do at most (same service list).
          ...REGIONAL_SERVICE_ACTIONS,
          's3:*',
          'iam:*',
          'secretsmanager:GetSecretValue',
          'sts:GetCallerIdentity',
        ],
        Resource: '*',
      },
      { Sid: 'KeepTheBoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
      {
        Sid: 'KeepTheBoundaryPolicy',
        Effect: 'Deny',
        Action: [
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:SetDefaultPolicyVersion',
        ],
        Resource: self,
      },
      {
        Sid: 'NoLongLivedCredentials',
        Effect: 'Deny',
        Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'],
        Resource: '*',
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
        Action: [
          'iam:GetRole',
          'iam:GetRolePolicy',
          'iam:ListRolePolicies',
          'iam:ListAttachedRolePolicies',
          'iam:ListRoleTags',
        ],
        Resource: `arn:aws:iam::${accountId}:role/${NAME_PREFIX}*`,
      },
      {
        Sid: 'OidcAndBoundary',
        Effect: 'Allow',
        Action: ['iam:GetOpenIDConnectProvider', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
        Resource: [`arn:aws:iam::${accountId}:oidc-provider/*`, boundaryArn(accountId)],
      },
      { Sid: 'Identity', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    ],
  };
}
