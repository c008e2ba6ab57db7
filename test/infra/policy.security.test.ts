// The security guardrails on hand-made resources: the good shape passes, each bad shape reports its message.
import assert from 'node:assert/strict';
import { messages } from './policyHarness.ts';
import { immutableImageProblem } from '../../components/exchangeEnvironment/limits.ts';
import { resourceCoversKey, wildcardMatches } from '../../infra/policy/documents.ts';

const TD = 'aws:ecs/taskDefinition:TaskDefinition';
const BUCKET_POLICY = 'aws:s3/bucketPolicy:BucketPolicy';
const ROLE = 'aws:iam/role:Role';
const TLS_DENY = {
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const read = (resource: string) => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: resource,
});
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('policy pack: security rules', () => {
  describe('ecs-service-safe-deploys', () => {
    const S = 'aws:ecs/service:Service';
    it('accepts rollback + waitForSteadyState', async () => {
      assert.deepEqual(
        await messages('ecs-service-safe-deploys', S, {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          waitForSteadyState: true,
        }),
        [],
      );
    });
    it('rejects a missing rollback and not waiting', async () => {
      assert.deepEqual(
        await messages('ecs-service-safe-deploys', S, {
          deploymentCircuitBreaker: { enable: true, rollback: false },
        }),
        [
          'deploymentCircuitBreaker must be { enable: true, rollback: true }.',
          'waitForSteadyState must be true so `pulumi up` waits for the rollout (and fails when it times out); ' +
            'a rollback still reports success, so run `exchange deploy-check` after `up`.',
        ],
      );
    });
  });

  describe('s3 bucket policies', () => {
    const good = doc(
      TLS_DENY,
      read('arn:aws:s3:::b/index.html'),
      read('arn:aws:s3:::b/data/*'),
      read('arn:aws:s3:::b/assets/*'),
    );
    it('accept a TLS-only policy with public reads of site keys only', async () => {
      assert.deepEqual(await messages('s3-deny-insecure-transport', BUCKET_POLICY, { policy: good }), []);
      assert.deepEqual(await messages('s3-no-public-raw-or-failed', BUCKET_POLICY, { policy: good }), []);
    });
    it('reject a policy without the TLS deny', async () => {
      assert.deepEqual(
        await messages('s3-deny-insecure-transport', BUCKET_POLICY, {
          policy: doc(read('arn:aws:s3:::b/data/*')),
        }),
        [
          'Bucket policy has no Deny of s3:* for Principal "*" with Condition Bool aws:SecureTransport "false".',
        ],
      );
      const allowOnly = doc({ ...TLS_DENY, Effect: 'Allow' });
      assert.equal(
        (await messages('s3-deny-insecure-transport', BUCKET_POLICY, { policy: allowOnly })).length,
        1,
      );
    });
    it('reject public reads covering raw/ or failed/', async () => {
      assert.deepEqual(
        await messages('s3-no-public-raw-or-failed', BUCKET_POLICY, {
          policy: doc(TLS_DENY, read('arn:aws:s3:::b/*')),
        }),
        ['Public s3:GetObject on "arn:aws:s3:::b/*" exposes raw/ and failed/.'],
      );
      const failedOnly = doc({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['s3:Get*'],
        Resource: 'arn:aws:s3:::b/failed/*',
      });
      assert.deepEqual(await messages('s3-no-public-raw-or-failed', BUCKET_POLICY, { policy: failedOnly }), [
        'Public s3:GetObject on "arn:aws:s3:::b/failed/*" exposes failed/.',
      ]);
    });
    const covers: [string, string, boolean][] = [
      ['arn:aws:s3:::b/*', 'raw/x', true],
      ['arn:aws:s3:::b/r*', 'raw/x', true],
      ['arn:aws:s3:::b/data/*', 'raw/x', false],
      ['arn:aws:s3:::b', 'raw/x', false],
      ['arn:aws:s3:::b/raw/2024/?', 'raw/2024/1', true],
    ];
    for (const [arn, key, expected] of covers)
      it(`${arn} covers ${key}: ${expected}`, () => assert.equal(resourceCoversKey(arn, key), expected));
    it('matches IAM wildcards case-insensitively', () => {
      assert.ok(wildcardMatches('s3:Get*', 's3:GetObject'));
      assert.ok(wildcardMatches('S3:GETOBJECT', 's3:GetObject'));
      assert.ok(!wildcardMatches('s3:Put*', 's3:GetObject'));
    });
  });

  describe('iam-no-wildcard-actions', () => {
    it('accepts named actions, rejects *, s3:* and iam:* in role policies and inline policies', async () => {
      const RP = 'aws:iam/rolePolicy:RolePolicy';
      const named = doc({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: 'arn:aws:s3:::b/data/*',
      });
      assert.deepEqual(await messages('iam-no-wildcard-actions', RP, { policy: named }), []);
      assert.deepEqual(
        await messages('iam-no-wildcard-actions', RP, {
          policy: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
        }),
        ['Role policy allows "s3:*"; list the actions the role needs.'],
      );
      const inline = [{ name: 'admin', policy: doc({ Effect: 'Allow', Action: ['*'], Resource: '*' }) }];
      assert.deepEqual(await messages('iam-no-wildcard-actions', ROLE, { inlinePolicies: inline }), [
        'Inline policy "admin" allows "*"; list the actions the role needs.',
      ]);
      assert.deepEqual(
        await messages('iam-no-wildcard-actions', RP, {
          policy: doc({ Effect: 'Deny', Action: '*', Resource: '*' }),
        }),
        [],
        'Deny * is fine',
      );
    });
  });

  describe('container-image-pinned', () => {
    const images: [string, string | undefined][] = [
      [`ghcr.io/acme/exchange@sha256:${'a'.repeat(64)}`, undefined],
      ['ghcr.io/acme/exchange:1.4.2', undefined],
      ['ghcr.io/acme/exchange:v2.0.0-rc.1', undefined],
      ['ghcr.io/acme/exchange', 'has no tag (implicitly "latest")'],
      ['localhost:5000/exchange', 'has no tag (implicitly "latest")'],
      // An allow-list: moving names nobody thought to deny are refused too.
      [
        'ghcr.io/acme/exchange:latest',
        'uses tag "latest", which can move (not a digest or a full x.y.z version)',
      ],
      [
        'ghcr.io/acme/exchange:release',
        'uses tag "release", which can move (not a digest or a full x.y.z version)',
      ],
      ['ghcr.io/acme/exchange:1.4', 'uses tag "1.4", which can move (not a digest or a full x.y.z version)'],
      [
        'localhost:5000/acme/exchange:2024-05-01',
        'uses tag "2024-05-01", which can move (not a digest or a full x.y.z version)',
      ],
      [`ghcr.io/acme/exchange@sha256:${'a'.repeat(63)}`, 'has a malformed digest (sha256:<64 hex>)'],
    ];
    for (const [image, problem] of images)
      it(`${image} → ${problem ?? 'pinned'}`, () => assert.equal(immutableImageProblem(image), problem));
    it('reports the container and image', async () => {
      const containerDefinitions = JSON.stringify([
        { name: 'exchange', image: 'ghcr.io/acme/exchange:latest' },
      ]);
      assert.deepEqual(await messages('container-image-pinned', TD, { containerDefinitions }), [
        'Container "exchange" image "ghcr.io/acme/exchange:latest" uses tag "latest", which can move (not a digest or a full x.y.z version); pin a digest or an x.y.z release tag.',
      ]);
    });
  });

  describe('oidc-role-subject', () => {
    const trust = (condition?: object) =>
      doc({
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/gitlab.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        ...(condition ? { Condition: condition } : {}),
      });
    it('accepts aud + sub pinned to a project', async () => {
      const c = {
        StringEquals: {
          'gitlab.com:aud': 'https://gitlab.com',
          'gitlab.com:sub': 'project_path:acme/exchange:ref_type:branch:ref:main',
        },
      };
      assert.deepEqual(await messages('oidc-role-subject', ROLE, { assumeRolePolicy: trust(c) }), []);
    });
    it('rejects a trust without sub, or with a sub that pins no project', async () => {
      assert.deepEqual(
        await messages('oidc-role-subject', ROLE, {
          assumeRolePolicy: trust({ StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' } }),
        }),
        ['OIDC trust has no ":sub" condition: any project on that identity provider could assume the role.'],
      );
      const wide = {
        StringEquals: { 'gitlab.com:aud': 'x' },
        StringLike: { 'gitlab.com:sub': 'project_path:*' },
      };
      assert.deepEqual(await messages('oidc-role-subject', ROLE, { assumeRolePolicy: trust(wide) }), [
        'OIDC ":sub" condition "project_path:*" does not pin a project.',
      ]);
      assert.deepEqual(await messages('oidc-role-subject', ROLE, { assumeRolePolicy: trust() }), [
        'OIDC trust has no ":sub" condition: any project on that identity provider could assume the role.',
        'OIDC trust has no ":aud" condition.',
      ]);
    });
    it('ignores service-principal roles', async () => {
      const ecs = doc({
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
      });
      assert.deepEqual(await messages('oidc-role-subject', ROLE, { assumeRolePolicy: ecs }), []);
    });
  });
});
