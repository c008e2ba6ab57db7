// Our security rules, enforced on every stack: safe deploys, TLS-only buckets that never expose raw/
// or failed/, least-privilege IAM, immutable images, and OIDC roles bound to one project.
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type ResourceValidationPolicy } from '@pulumi/policy';
import { immutableImageProblem } from '../../components/exchangeEnvironment/limits.ts';
import { LAYOUT } from '../../contract/index.ts';
import {
  asList,
  conditionValues,
  containersOf,
  grants,
  isPublicPrincipal,
  resourceCoversKey,
  statementsOf,
  type Statement,
} from './documents.ts';

export const ecsServiceSafeDeploys: ResourceValidationPolicy = {
  name: 'ecs-service-safe-deploys',
  description:
    'ECS services roll back failed deployments, and `pulumi up` waits for the rollout to settle. The wait does ' +
    'not detect a rollback (the provider sees one deployment with running == desired: terraform-provider-aws ' +
    '#20858): `exchange deploy-check` after `up` does.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (svc, _a, report) => {
    const cb = svc.deploymentCircuitBreaker;
    if (cb?.enable !== true || cb.rollback !== true)
      report('deploymentCircuitBreaker must be { enable: true, rollback: true }.');
    if (svc.waitForSteadyState !== true)
      report(
        'waitForSteadyState must be true so `pulumi up` waits for the rollout (and fails when it times out); ' +
          'a rollback still reports success, so run `exchange deploy-check` after `up`.',
      );
  }),
};

function deniesInsecureTransport(s: Statement): boolean {
  const insecure = conditionValues(s, 'aws:SecureTransport').some(
    (c) => c.operator === 'Bool' && c.values.map(String).includes('false'),
  );
  return (
    s.Effect === 'Deny' &&
    isPublicPrincipal(s.Principal) &&
    insecure &&
    grants(s, 's3:GetObject') &&
    grants(s, 's3:PutObject')
  );
}

export const bucketPolicyTls: ResourceValidationPolicy = {
  name: 's3-deny-insecure-transport',
  description: 'Bucket policies deny every S3 action over plain HTTP (aws:SecureTransport = false).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (bp, _a, report) => {
    if (typeof bp.policy !== 'string' && typeof bp.policy !== 'object') return; // unknown during preview
    if (!statementsOf(bp.policy).some(deniesInsecureTransport)) {
      report(
        'Bucket policy has no Deny of s3:* for Principal "*" with Condition Bool aws:SecureTransport "false".',
      );
    }
  }),
};

/** Prefixes whose objects are never public: raw pages and pages that failed validation. */
export const PRIVATE_PREFIXES = [LAYOUT.rawPrefix, LAYOUT.failedPrefix];

export const bucketPolicyPrivatePrefixes: ResourceValidationPolicy = {
  name: 's3-no-public-raw-or-failed',
  description: `Public read grants never cover ${PRIVATE_PREFIXES.join(' or ')}.`,
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (bp, _a, report) => {
    for (const s of statementsOf(bp.policy)) {
      if (s.Effect !== 'Allow' || !isPublicPrincipal(s.Principal) || !grants(s, 's3:GetObject')) continue;
      for (const resource of asList(s.Resource)) {
        const exposed = PRIVATE_PREFIXES.filter((p) => resourceCoversKey(resource, `${p}probe.html`));
        if (exposed.length > 0)
          report(`Public s3:GetObject on "${resource}" exposes ${exposed.join(' and ')}.`);
      }
    }
  }),
};

const FORBIDDEN_ACTIONS = ['*', 's3:*', 'iam:*'];

function wildcardGrants(doc: unknown): string[] {
  return statementsOf(doc)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => asList(s.Action))
    .filter((a) => FORBIDDEN_ACTIONS.includes(a.toLowerCase()));
}

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: 'iam-no-wildcard-actions',
  description:
    'Inline role policies (task roles above all) never allow "*", "s3:*" or "iam:*": name the actions.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.iam.RolePolicy, (rp, _a, report) => {
      for (const a of wildcardGrants(rp.policy))
        report(`Role policy allows "${a}"; list the actions the role needs.`);
    }),
    validateResourceOfType(aws.iam.Role, (role, _a, report) => {
      for (const p of role.inlinePolicies ?? []) {
        for (const a of wildcardGrants(p.policy))
          report(`Inline policy "${p.name ?? '?'}" allows "${a}"; list the actions the role needs.`);
      }
    }),
  ],
};

export const containerImagePinned: ResourceValidationPolicy = {
  name: 'container-image-pinned',
  description: 'Task definitions pin every image by digest or a full x.y.z release tag (an allow-list).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (td, _a, report) => {
    for (const c of containersOf(td.containerDefinitions)) {
      if (typeof c.image !== 'string') continue;
      const problem = immutableImageProblem(c.image);
      if (problem)
        report(
          `Container "${c.name ?? '?'}" image "${c.image}" ${problem}; pin a digest or an x.y.z release tag.`,
        );
    }
  }),
};

function isWebIdentityTrust(s: Statement): boolean {
  const federated = (s.Principal as { Federated?: unknown } | undefined)?.Federated;
  return (
    s.Effect === 'Allow' &&
    asList(federated).some((f) => f.includes(':oidc-provider/')) &&
    grants(s, 'sts:AssumeRoleWithWebIdentity')
  );
}

export const oidcRoleSubject: ResourceValidationPolicy = {
  name: 'oidc-role-subject',
  description:
    'Roles trusted by an OIDC provider pin the audience and the subject (project and ref) of the token.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.iam.Role, (role, _a, report) => {
    for (const s of statementsOf(role.assumeRolePolicy).filter(isWebIdentityTrust)) {
      const subs = conditionValues(s, ':sub').flatMap((c) => c.values);
      if (subs.length === 0)
        report(
          'OIDC trust has no ":sub" condition: any project on that identity provider could assume the role.',
        );
      for (const v of subs)
        if (/^[*?]|project_path:[*?]/.test(v)) report(`OIDC ":sub" condition "${v}" does not pin a project.`);
      if (conditionValues(s, ':aud').length === 0) report('OIDC trust has no ":aud" condition.');
    }
  }),
};
