// The pipeline identity: GitLab's OIDC provider plus two roles — deploy (protected branch only) and
// read-only preview (this project's merge requests). No static AWS keys anywhere in CI.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { SharedConfig } from './config.ts';
import {
  deployPermissions,
  deployTrustPolicy,
  previewStatePolicy,
  previewTrustPolicy,
  type TrustInput,
} from './iamDocuments.ts';
import {
  BOUNDARY_POLICY_NAME,
  boundaryPolicy,
  previewReadPolicy,
  WORKLOAD_BOUNDARY_POLICY_NAME,
  workloadBoundaryPolicy,
} from './pipelineBoundary.ts';

export interface Pipeline {
  providerArn: pulumi.Output<string>;
  deployRole: aws.iam.Role;
  previewRole: aws.iam.Role;
  /** The pipeline boundary: the deploy and preview roles carry it. */
  boundaryArn: pulumi.Output<string>;
  /** The boundary every role the colour stacks create carries (exported for them). */
  workloadBoundaryArn: pulumi.Output<string>;
}

export function createPipelineIdentity(cfg: SharedConfig): Pipeline {
  const { gitlab } = cfg;
  // An account holds one provider per issuer URL, so a pre-existing one is reused by ARN.
  const providerArn =
    gitlab.existingProviderArn === undefined
      ? new aws.iam.OpenIdConnectProvider('gitlab', { url: gitlab.url, clientIdLists: [gitlab.audience] }).arn
      : pulumi.output(gitlab.existingProviderArn);
  const trust = providerArn.apply((arn): TrustInput => ({
    providerArn: arn,
    gitlabUrl: gitlab.url,
    audience: gitlab.audience,
    projectPath: gitlab.projectPath,
    protectedBranch: gitlab.protectedBranch,
  }));

  const identity = pulumi.all([aws.getCallerIdentityOutput().accountId, aws.getRegionOutput().region]);
  const boundary = new aws.iam.Policy('exchange-permissions-boundary', {
    name: BOUNDARY_POLICY_NAME,
    description: 'Ceiling of the pipeline roles (deploy, preview): they may not change themselves',
    policy: identity.apply(([accountId]) => JSON.stringify(boundaryPolicy(accountId))),
  });
  const workloadBoundary = new aws.iam.Policy('exchange-workload-boundary', {
    name: WORKLOAD_BOUNDARY_POLICY_NAME,
    description: 'Ceiling of every role the colour stacks create: no IAM writes, never the state bucket',
    policy: identity.apply(([accountId]) =>
      JSON.stringify(workloadBoundaryPolicy(accountId, cfg.stateBucket)),
    ),
  });
  const deployRole = new aws.iam.Role('exchange-deploy', {
    description: `pulumi up from ${gitlab.projectPath} on ${gitlab.protectedBranch}`,
    assumeRolePolicy: trust.apply((t) => JSON.stringify(deployTrustPolicy(t))),
    maxSessionDuration: 3600,
    permissionsBoundary: boundary.arn,
  });
  new aws.iam.RolePolicy('exchange-deploy', {
    role: deployRole.id,
    policy: pulumi
      .all([identity, boundary.arn, workloadBoundary.arn])
      .apply(([[accountId, region], pipelineArn, workloadArn]) =>
        JSON.stringify(
          deployPermissions({
            accountId,
            region,
            stateBucket: cfg.stateBucket,
            statePrefix: cfg.statePrefix,
            gitlabUrl: gitlab.url,
            workloadBoundaryArn: workloadArn,
            boundaryArns: [pipelineArn, workloadArn],
          }),
        ),
      ),
  });

  const previewRole = new aws.iam.Role('exchange-preview', {
    description: `pulumi preview from ${gitlab.projectPath} merge requests (scoped reads)`,
    assumeRolePolicy: trust.apply((t) => JSON.stringify(previewTrustPolicy(t))),
    maxSessionDuration: 3600,
    permissionsBoundary: boundary.arn,
  });
  // Not AWS ReadOnlyAccess: that reads every object in the account, the Pulumi state of others included.
  new aws.iam.RolePolicy('exchange-preview-read', {
    role: previewRole.id,
    policy: identity.apply(([accountId, region]) => JSON.stringify(previewReadPolicy(accountId, region))),
  });
  new aws.iam.RolePolicy('exchange-preview-state', {
    role: previewRole.id,
    policy: JSON.stringify(previewStatePolicy(cfg.stateBucket, cfg.statePrefix)),
  });

  return {
    providerArn,
    deployRole,
    previewRole,
    boundaryArn: boundary.arn,
    workloadBoundaryArn: workloadBoundary.arn,
  };
}
