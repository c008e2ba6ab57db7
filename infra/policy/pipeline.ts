// Least privilege for the roles these stacks create, the pipeline roles above all: no AWS managed broad
// policies, no writing role permissions on any role without the permissions-boundary condition, and
// every role carrying a boundary (the deploy role may create no role without one).
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type ResourceValidationPolicy } from '@pulumi/policy';
import {
  asList,
  conditionValues,
  grants,
  statementsOf,
  wildcardMatches,
  type Statement,
} from './documents.ts';

/** AWS managed policies that read or write far more than these stacks' resources. */
export const BROAD_MANAGED_POLICIES = [
  'AdministratorAccess',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'ViewOnlyAccess',
  'SecurityAudit',
  'IAMFullAccess',
  'AmazonS3FullAccess',
  'AmazonS3ReadOnlyAccess',
];

const isBroad = (arn: unknown) =>
  typeof arn === 'string' && BROAD_MANAGED_POLICIES.some((p) => arn.endsWith(`:policy/${p}`));

export const noBroadManagedPolicies: ResourceValidationPolicy = {
  name: 'iam-no-broad-managed-policies',
  description: `Roles attach none of the AWS managed broad policies (${BROAD_MANAGED_POLICIES.join(', ')}).`,
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.iam.RolePolicyAttachment, (att, _a, report) => {
      if (isBroad(att.policyArn))
        report(`Attaches ${String(att.policyArn)}; grant the scoped actions the role needs instead.`);
    }),
    validateResourceOfType(aws.iam.Role, (role, _a, report) => {
      for (const arn of role.managedPolicyArns ?? [])
        if (isBroad(arn))
          report(`managedPolicyArns includes ${arn}; grant the scoped actions the role needs instead.`);
    }),
  ],
};

/** Actions that create a role or change what a role may do. */
export const ROLE_PERMISSION_WRITES = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:PutRolePermissionsBoundary',
];

/** Does a resource pattern cover roles we did not name (e.g. `role/*`, `*`)? */
function coversAnyRole(resource: string): boolean {
  return (
    resource === '*' ||
    /:role\/\*$/.test(resource) ||
    wildcardMatches(resource, 'arn:aws:iam::123456789012:role/anything')
  );
}

function unboundedRoleWrites(s: Statement): string[] {
  if (s.Effect !== 'Allow' || !asList(s.Resource).some(coversAnyRole)) return [];
  if (conditionValues(s, 'iam:PermissionsBoundary').length > 0) return [];
  return ROLE_PERMISSION_WRITES.filter((a) => grants(s, a));
}

export const roleWritesNeedBoundary: ResourceValidationPolicy = {
  name: 'iam-role-writes-need-boundary',
  description:
    'A policy that may create roles or write their policies on role/* carries an iam:PermissionsBoundary condition.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.iam.RolePolicy, (rp, _a, report) => {
    for (const s of statementsOf(rp.policy)) {
      const actions = unboundedRoleWrites(s);
      if (actions.length > 0)
        report(
          `Statement ${s.Sid ?? '?'} allows ${actions.join(', ')} on ${asList(s.Resource).join(', ')} without an ` +
            'iam:PermissionsBoundary condition: any role could be given any policy (the caller itself included); ' +
            'add Condition StringEquals iam:PermissionsBoundary = <boundary policy ARN>.',
        );
    }
  }),
};

export const roleHasBoundary: ResourceValidationPolicy = {
  name: 'iam-role-has-boundary',
  description: 'Every role carries a permissions boundary (the deploy role may create no role without one).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.iam.Role, (role, _a, report) => {
    if (role.permissionsBoundary === undefined || role.permissionsBoundary === '')
      report("Role has no permissionsBoundary; set it to the shared stack's permissionsBoundaryArn.");
  }),
};
