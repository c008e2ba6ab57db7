// IAM documents of the pipeline identity: exact trust conditions and exact permissions.
import assert from 'node:assert/strict';
import {
  BUCKET_ADMIN_ACTIONS,
  deployPermissions,
  deployTrustPolicy,
  gitlabSubject,
  oidcHost,
  OIDC_PROVIDER_ACTIONS,
  previewStatePolicy,
  previewTrustPolicy,
  REGIONAL_SERVICE_ACTIONS,
  ROLE_ACTIONS,
  ROLE_WRITE_ACTIONS,
} from '../../infra/shared/iamDocuments.ts';
import { loadStackConfig } from '../../infra/synth/stackConfig.ts';
import { defaultStackFile, synthesize } from '../../infra/synth/synth.ts';
import { SYNTH_STACKS } from '../../infra/synth/stacks.ts';

const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/gitlab.example.com';
const trust = {
  providerArn: PROVIDER,
  gitlabUrl: 'https://gitlab.example.com',
  audience: 'https://gitlab.example.com',
  projectPath: 'acme/markets/exchange',
  protectedBranch: 'main',
};

const BOUNDARY = 'arn:aws:iam::123456789012:policy/exchange-permissions-boundary';

describe('shared IAM documents', () => {
  const hosts: [string, string][] = [
    ['https://gitlab.com', 'gitlab.com'],
    ['https://gitlab.example.com/', 'gitlab.example.com'],
    ['https://git.example.com/gitlab', 'git.example.com/gitlab'],
  ];
  for (const [url, host] of hosts) it(`oidcHost(${url}) = ${host}`, () => assert.equal(oidcHost(url), host));

  it('builds GitLab branch subjects', () => {
    assert.equal(
      gitlabSubject('acme/exchange', 'main'),
      'project_path:acme/exchange:ref_type:branch:ref:main',
    );
  });

  it('deploy role trusts only the protected branch of this project, with exact aud and sub', () => {
    assert.deepEqual(deployTrustPolicy(trust), {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'gitlab.example.com:aud': 'https://gitlab.example.com',
              'gitlab.example.com:sub': 'project_path:acme/markets/exchange:ref_type:branch:ref:main',
            },
          },
        },
      ],
    });
  });

  it('preview role trusts any branch of this project only (StringLike on sub, StringEquals on aud)', () => {
    const stmt = previewTrustPolicy(trust).Statement[0];
    assert.deepEqual(stmt?.Condition, {
      StringEquals: { 'gitlab.example.com:aud': 'https://gitlab.example.com' },
      StringLike: { 'gitlab.example.com:sub': 'project_path:acme/markets/exchange:ref_type:branch:ref:*' },
    });
    assert.deepEqual(stmt?.Principal, { Federated: PROVIDER });
  });

  it('deploy permissions: regional services pinned to the region, exchange-* roles and buckets, boundary required', () => {
    const doc = deployPermissions({
      accountId: '123456789012',
      region: 'eu-west-1',
      stateBucket: 'acme-state',
      statePrefix: 'exchange',
      gitlabUrl: 'https://gitlab.example.com',
      boundaryArn: BOUNDARY,
    });
    const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
    assert.deepEqual(Object.keys(bySid), [
      'RegionalServices',
      'SiteBuckets',
      'ListBuckets',
      'StateList',
      'StateObjects',
      'RoleWritesWithBoundary',
      'Roles',
      'PassRolesToTasksAndScheduler',
      'GitlabOidcProvider',
      'ServiceLinkedRoles',
      'Identity',
    ]);
    assert.deepEqual(bySid.RegionalServices?.Action, [
      'ec2:*',
      'elasticloadbalancing:*',
      'ecs:*',
      'logs:*',
      'scheduler:*',
      'sqs:*',
      'sns:*',
      'events:*',
      'cloudwatch:*',
      'application-autoscaling:*',
    ]);
    assert.deepEqual(bySid.RegionalServices?.Condition, {
      StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
    });
    assert.equal(bySid.SiteBuckets?.Resource, 'arn:aws:s3:::exchange-*', 'only our buckets, never the state');
    assert.ok(
      !BUCKET_ADMIN_ACTIONS.some((a) => a === 's3:*' || a.includes('Object')),
      'no object access on site buckets',
    );
    assert.deepEqual(bySid.StateList, {
      Sid: 'StateList',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-state',
      Condition: { StringLike: { 's3:prefix': ['exchange*'] } },
    });
    assert.deepEqual(bySid.StateObjects?.Action, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    assert.equal(bySid.StateObjects?.Resource, 'arn:aws:s3:::acme-state/exchange*');
    assert.equal(bySid.Roles?.Resource, 'arn:aws:iam::123456789012:role/exchange-*');
    assert.deepEqual(bySid.Roles?.Action, ROLE_ACTIONS);
    assert.ok(ROLE_ACTIONS.includes('iam:UpdateRoleDescription'), 'the provider updates role descriptions');
    assert.deepEqual(bySid.RoleWritesWithBoundary?.Action, ROLE_WRITE_ACTIONS);
    assert.deepEqual(bySid.RoleWritesWithBoundary?.Condition, {
      StringEquals: { 'iam:PermissionsBoundary': BOUNDARY },
    });
    assert.equal(bySid.PassRolesToTasksAndScheduler?.Resource, 'arn:aws:iam::123456789012:role/exchange-*');
    assert.deepEqual(bySid.PassRolesToTasksAndScheduler?.Condition, {
      StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'scheduler.amazonaws.com'] },
    });
    assert.equal(
      bySid.GitlabOidcProvider?.Resource,
      'arn:aws:iam::123456789012:oidc-provider/gitlab.example.com',
    );
    assert.deepEqual(bySid.GitlabOidcProvider?.Action, OIDC_PROVIDER_ACTIONS);
    const all = doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    assert.ok(!all.includes('*') && !all.includes('s3:*') && !all.includes('iam:*'), all.join(','));
  });

  it('preview reads the state and nothing else; an empty prefix covers the whole bucket', () => {
    assert.deepEqual(previewStatePolicy('acme-state', ''), {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-state' },
        {
          Sid: 'StateObjects',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: 'arn:aws:s3:::acme-state/*',
        },
      ],
    });
  });
});

describe('deploy role against what the stacks declare', () => {
  // Pulumi's module → the IAM prefix AWS checks (the provider groups several services under one module).
  const IAM_PREFIX: Record<string, string> = {
    'cloudwatch/eventRule': 'events',
    'cloudwatch/eventTarget': 'events',
    'cloudwatch/logGroup': 'logs',
    'cloudwatch/metricAlarm': 'cloudwatch',
    lb: 'elasticloadbalancing',
    vpc: 'ec2',
    appautoscaling: 'application-autoscaling',
  };
  // Granted by their own statements (exchange-* only), not by the regional ones.
  const OWN_STATEMENTS = new Set(['iam', 's3']);

  it('grants every regional service the blue, green and shared stacks declare a resource of', async function () {
    this.timeout(30_000);
    const granted = new Set(REGIONAL_SERVICE_ACTIONS.map((a) => a.replace(/:\*$/, '')));
    for (const stack of SYNTH_STACKS) {
      for (const { type } of await synthesize(stack, loadStackConfig(defaultStackFile(stack)))) {
        const [pkg, mod = '', resource = ''] = type.split(/[:/]/);
        if (pkg !== 'aws' || OWN_STATEMENTS.has(mod)) continue;
        const resourceModule = `${mod}/${resource.charAt(0).toLowerCase()}${resource.slice(1)}`;
        const prefix = IAM_PREFIX[resourceModule] ?? IAM_PREFIX[mod] ?? mod;
        assert.ok(
          granted.has(prefix),
          `stack ${stack} declares ${type}, but the deploy role grants no ${prefix}:* (REGIONAL_SERVICE_ACTIONS ` +
            'in infra/shared/iamDocuments.ts): `pulumi up` from the pipeline would be denied; add it there',
        );
      }
    }
  });
});
