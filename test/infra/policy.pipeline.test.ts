// Least-privilege rules for the pipeline roles: each with a passing and a failing resource, and the real
// deploy/preview documents passing them.
import assert from 'node:assert/strict';
import { deployPermissions } from '../../infra/shared/iamDocuments.ts';
import { boundaryPolicy, previewReadPolicy } from '../../infra/shared/pipelineBoundary.ts';
import { messages } from './policyHarness.ts';

const ACCOUNT = '123456789012';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/exchange-permissions-boundary`;
const WORKLOAD = `arn:aws:iam::${ACCOUNT}:policy/exchange-workload-boundary`;
const ATTACH = 'aws:iam/rolePolicyAttachment:RolePolicyAttachment';
const RP = 'aws:iam/rolePolicy:RolePolicy';
const ROLE = 'aws:iam/role:Role';
const doc = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'S', Effect: 'Allow', ...statement }] });

describe('policy pack: pipeline least privilege', () => {
  describe('iam-no-broad-managed-policies', () => {
    it('accepts the ECS task execution policy', async () =>
      assert.deepEqual(
        await messages('iam-no-broad-managed-policies', ATTACH, {
          policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
        }),
        [],
      ));
    it('refuses ReadOnlyAccess on a role (it reads every object, the Pulumi state included)', async () =>
      assert.deepEqual(
        await messages('iam-no-broad-managed-policies', ATTACH, {
          policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
        ['Attaches arn:aws:iam::aws:policy/ReadOnlyAccess; grant the scoped actions the role needs instead.'],
      ));
  });

  describe('iam-role-writes-need-boundary', () => {
    it('accepts role writes conditioned on the boundary, and writes on named roles', async () => {
      const bounded = doc({
        Action: ['iam:CreateRole', 'iam:PutRolePolicy'],
        Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
      });
      assert.deepEqual(await messages('iam-role-writes-need-boundary', RP, { policy: bounded }), []);
      const named = doc({
        Action: 'iam:PutRolePolicy',
        Resource: `arn:aws:iam::${ACCOUNT}:role/exchange-deploy`,
      });
      assert.deepEqual(await messages('iam-role-writes-need-boundary', RP, { policy: named }), []);
    });
    it('refuses iam:*Policy* on role/* without the boundary condition (the old deploy role)', async () => {
      const open = doc({
        Action: ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:GetRole'],
        Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
      });
      const [m] = await messages('iam-role-writes-need-boundary', RP, { policy: open });
      assert.match(
        m ?? '',
        /allows iam:PutRolePolicy, iam:AttachRolePolicy on .*role\/\* without an iam:PermissionsBoundary condition/,
      );
      const star = doc({ Action: 'iam:*', Resource: '*' });
      assert.equal((await messages('iam-role-writes-need-boundary', RP, { policy: star })).length, 1);
    });
    it('the real deploy permissions pass', async () => {
      const policy = JSON.stringify(
        deployPermissions({
          accountId: ACCOUNT,
          region: 'eu-west-1',
          stateBucket: 's',
          statePrefix: 'p',
          gitlabUrl: 'https://gitlab.com',
          workloadBoundaryArn: WORKLOAD,
          boundaryArns: [BOUNDARY, WORKLOAD],
        }),
      );
      assert.deepEqual(await messages('iam-role-writes-need-boundary', RP, { policy }), []);
      assert.deepEqual(await messages('iam-no-wildcard-actions', RP, { policy }), []);
    });
  });

  describe('iam-role-has-boundary', () => {
    it('accepts a role with a boundary', async () =>
      assert.deepEqual(
        await messages('iam-role-has-boundary', ROLE, {
          assumeRolePolicy: '{}',
          permissionsBoundary: BOUNDARY,
        }),
        [],
      ));
    it('refuses a role without one', async () =>
      assert.equal((await messages('iam-role-has-boundary', ROLE, { assumeRolePolicy: '{}' })).length, 1));
  });

  describe('documents', () => {
    it('preview reads are scoped: no object reads, no secrets, exchange-* buckets and roles only', () => {
      const text = JSON.stringify(previewReadPolicy(ACCOUNT, 'eu-west-1'));
      assert.ok(
        !text.includes('s3:GetObject') && !text.includes('secretsmanager') && !text.includes('kms:'),
        text,
      );
      assert.ok(text.includes('arn:aws:s3:::exchange-*') && text.includes(`:role/exchange-*`));
    });
    it('the boundary cannot be removed or rewritten by a role it bounds (evaluated: test/iam/)', () => {
      const b = boundaryPolicy(ACCOUNT);
      const denies = b.Statement.filter((s) => s.Effect === 'Deny');
      assert.ok(denies.some((s) => s.Action === 'iam:DeleteRolePermissionsBoundary'));
      assert.ok(
        denies.some(
          (s) =>
            [s.Resource].flat().includes(BOUNDARY) && [s.Resource].flat().includes(WORKLOAD) && s.NotAction,
        ),
        'every action but reads is denied on both boundary policies',
      );
    });
  });
});
