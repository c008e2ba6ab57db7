// IAM documents of the pipeline identity: exact trust conditions and exact permissions.
import assert from 'node:assert/strict';
import {
  BUCKET_ADMIN_ACTIONS,
  deployPermissions,
  deployTrustPolicy,
  gitlabSubject,
  oidcHost,
  OIDC_PROVIDER_ACTIONS,
  POLICY_READ_ACTIONS,
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
const WORKLOAD = 'arn:aws:iam::123456789012:policy/exchange-workload-boundary';

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

  it('preview role trusts only the protected branch too: no merge-request job assumes it', () => {
    assert.deepEqual(previewTrustPolicy(trust), deployTrustPolicy(trust));
  });

  it('deploy permissions: regional services pinned to the region, exchange-* roles and buckets, workload boundary required', () => {
    const doc = deployPermissions({
      accountId: '123456789012',
      region: 'eu-west-1',
      stateBucket: 'acme-state',
      statePrefix: 'exchange',
      gitlabUrl: 'https://gitlab.example.com',
      workloadBoundaryArn: WORKLOAD,
      boundaryArns: [BOUNDARY, WORKLOAD],
    });
    const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
    assert.deepEqual(Object.keys(bySid), [
      'RegionalServices',
      'SiteBuckets',
      'StateList',
      'StateObjects',
      'RoleWritesWithWorkloadBoundary',
      'AttachOnlyKnownPolicies',
      'Roles',
      'PassRolesToTasksAndScheduler',
      'ReadPipelineIdentity',
      'ServiceLinkedRoles',
      'Identity',
    ]);
    assert.deepEqual(bySid.RegionalServices?.Action, REGIONAL_SERVICE_ACTIONS);
    assert.deepEqual(bySid.RegionalServices?.Condition, {
      StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
    });
    assert.equal(bySid.SiteBuckets?.Resource, 'arn:aws:s3:::exchange-*', 'only our buckets, never the state');
    assert.ok(
      !BUCKET_ADMIN_ACTIONS.some((a) => a === 's3:*' || a.includes('Object')),
      'no object access on site buckets',
    );
    assert.deepEqual(bySid.StateObjects?.Action, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    assert.equal(bySid.StateObjects?.Resource, 'arn:aws:s3:::acme-state/exchange*');
    assert.equal(bySid.Roles?.Resource, 'arn:aws:iam::123456789012:role/exchange-*');
    assert.deepEqual(bySid.Roles?.Action, ROLE_ACTIONS);
    assert.deepEqual(bySid.RoleWritesWithWorkloadBoundary?.Action, ROLE_WRITE_ACTIONS);
    assert.deepEqual(bySid.RoleWritesWithWorkloadBoundary?.Condition, {
      StringEquals: { 'iam:PermissionsBoundary': WORKLOAD },
    });
    assert.deepEqual(bySid.AttachOnlyKnownPolicies?.Condition, {
      StringEquals: { 'iam:PermissionsBoundary': WORKLOAD },
      ArnEquals: {
        'iam:PolicyARN': ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
      },
    });
    assert.equal(bySid.PassRolesToTasksAndScheduler?.Resource, 'arn:aws:iam::123456789012:role/exchange-*');
    assert.deepEqual(bySid.PassRolesToTasksAndScheduler?.Condition, {
      StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'scheduler.amazonaws.com'] },
    });
    assert.deepEqual(bySid.ReadPipelineIdentity?.Resource, [
      'arn:aws:iam::123456789012:oidc-provider/gitlab.example.com',
      BOUNDARY,
      WORKLOAD,
    ]);
    assert.deepEqual(bySid.ReadPipelineIdentity?.Action, [...OIDC_PROVIDER_ACTIONS, ...POLICY_READ_ACTIONS]);
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
