// The shared stack program under the mock runtime: network, ALB, listeners, pipeline roles, outputs.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { SERVICE_PORT } from '../../contract/index.ts';
import { SHARED_OUTPUTS, SHARED_PROJECT } from '../../contract/stacks.ts';
import { listenerOnly } from '../../shift/drivers/pulumiStack.ts';
import type { SharedStack } from '../../infra/shared/program.ts';
import { toRuntimeConfig } from '../../infra/synth/stackConfig.ts';
import { createMocks, installMocks, MOCK_ACCOUNT_ID, promiseOf, settle } from '../../infra/testing/mocks.ts';

const BLUE_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-blue-tg-1/aaa';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-green-tg-2/bbb';
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-1234567890ab';
const STACKS = { blue: 'organization/exchange/blue', green: 'organization/exchange/green' };

const harness = createMocks({
  stackOutputs: { [STACKS.blue]: { targetGroupArn: BLUE_TG }, [STACKS.green]: { targetGroupArn: GREEN_TG } },
});
let program: typeof import('../../infra/shared/program.ts');

function config(overrides: Record<string, unknown> = {}): void {
  const map: Record<string, unknown> = {
    weights: { blue: 90, green: 10 },
    environments: ['blue', 'green'],
    environmentStacks: STACKS,
    vpcCidr: '10.20.0.0/16',
    gitlab: { url: 'https://gitlab.example.com', projectPath: 'acme/exchange' },
    stateBucket: 'acme-state',
    ...overrides,
  };
  const entries = Object.entries(map)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [`${SHARED_PROJECT}:${k}`, v]);
  pulumi.runtime.setAllConfig(toRuntimeConfig(Object.fromEntries(entries)).config);
}

async function run(overrides: Record<string, unknown> = {}): Promise<SharedStack> {
  harness.reset();
  config(overrides);
  const stack = await program.runSharedProgram();
  await settle();
  return stack;
}

const json = (v: unknown) =>
  JSON.parse(String(v)) as { Statement: { Condition?: unknown; Principal?: unknown }[] };

describe('shared stack program (mocks)', () => {
  before(async () => {
    await installMocks(harness, { project: SHARED_PROJECT, stack: 'shared' });
    program = await import('../../infra/shared/program.ts');
  });

  it('HTTP only: VPC, cluster, ALB and a weighted forward over both target groups', async () => {
    const stack = await run();
    const vpc = harness.one('awsx:ec2:Vpc').inputs;
    assert.deepEqual(vpc, {
      cidrBlock: '10.20.0.0/16',
      numberOfAvailabilityZones: 2,
      natGateways: { strategy: 'Single' },
      subnetStrategy: 'Auto',
      subnetSpecs: [{ type: 'Public' }, { type: 'Private' }],
      enableDnsHostnames: true,
    });
    assert.deepEqual(harness.one('aws:ecs/cluster:Cluster').inputs.settings, [
      { name: 'containerInsights', value: 'enabled' },
    ]);

    const sg = harness.one('aws:ec2/securityGroup:SecurityGroup');
    assert.deepEqual(
      (sg.inputs.ingress as { fromPort: number }[]).map((r) => r.fromPort),
      [80],
    );
    assert.deepEqual(sg.inputs.egress, [
      {
        description: 'to tasks',
        protocol: 'tcp',
        fromPort: SERVICE_PORT,
        toPort: SERVICE_PORT,
        cidrBlocks: ['10.20.0.0/16'],
      },
    ]);

    const publicSubnets = await promiseOf(stack.outputs.publicSubnetIds);
    const alb = harness.one('aws:lb/loadBalancer:LoadBalancer');
    assert.ok(alb.name.length <= 24, alb.name);
    assert.deepEqual(alb.inputs.subnets, publicSubnets);
    assert.equal(publicSubnets.length, 2);
    assert.deepEqual(alb.inputs.securityGroups, [await promiseOf(stack.outputs.albSecurityGroupId)]);
    assert.equal(alb.inputs.dropInvalidHeaderFields, true);

    const listener = harness.one('aws:lb/listener:Listener');
    assert.equal(listener.name, 'exchange-http');
    assert.deepEqual(
      { port: listener.inputs.port, protocol: listener.inputs.protocol },
      { port: 80, protocol: 'HTTP' },
    );
    assert.deepEqual(listener.inputs.defaultActions, [
      {
        type: 'forward',
        forward: {
          targetGroups: [
            { arn: BLUE_TG, weight: 90 },
            { arn: GREEN_TG, weight: 10 },
          ],
        },
      },
    ]);
    assert.equal(listener.inputs.loadBalancerArn, await promiseOf(stack.resources.alb.arn));
  });

  it('exports every SHARED_OUTPUTS name with the live colour, weights and URL', async () => {
    const { outputs } = await run();
    for (const key of Object.values(SHARED_OUTPUTS)) assert.ok(key in outputs, `missing output ${key}`);
    assert.equal(outputs.liveColor, 'blue');
    assert.deepEqual(outputs.weights, { blue: 90, green: 10 });
    assert.equal(outputs.servicesNeedPublicIp, false);
    const dns = await promiseOf(outputs.albDnsName);
    assert.match(dns, /elb\.amazonaws\.com$/);
    assert.equal(await promiseOf(outputs.url), `http://${dns}`);
    assert.match(await promiseOf(outputs.listenerArn), /:listener\/app\/exchange-alb-/);
    // The shift targets this URN: the driver must accept what the program exports.
    const urn = await promiseOf(outputs.listenerUrn);
    assert.match(urn, /::aws:lb\/listener:Listener::exchange-http$/);
    const ops = { stackName: 'shared', up: async () => undefined, outputs: async () => ({}) };
    assert.equal(listenerOnly(ops, { listenerUrn: urn }).listenerUrn, urn);
    assert.match(await promiseOf(outputs.clusterArn), /:cluster\//);
    assert.equal((await promiseOf(outputs.privateSubnetIds)).length, 2);
  });

  it('with a certificate: HTTPS 443 carries the forward (modern TLS, stickiness) and HTTP 80 redirects', async () => {
    const stack = await run({
      certificateArn: CERT,
      domainName: 'quotes.example.com',
      stickinessSeconds: 600,
      natStrategy: 'none',
      azCount: 3,
    });
    const { outputs } = stack;
    const https = harness.one('aws:lb/listener:Listener', 'exchange-https').inputs;
    assert.deepEqual(
      {
        port: https.port,
        protocol: https.protocol,
        sslPolicy: https.sslPolicy,
        certificateArn: https.certificateArn,
      },
      {
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn: CERT,
      },
    );
    assert.deepEqual(https.defaultActions, [
      {
        type: 'forward',
        forward: {
          targetGroups: [
            { arn: BLUE_TG, weight: 90 },
            { arn: GREEN_TG, weight: 10 },
          ],
          stickiness: { enabled: true, duration: 600 },
        },
      },
    ]);
    assert.deepEqual(harness.one('aws:lb/listener:Listener', 'exchange-http').inputs.defaultActions, [
      { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
    ]);
    const ingress = harness.one('aws:ec2/securityGroup:SecurityGroup').inputs.ingress as {
      fromPort: number;
    }[];
    assert.deepEqual(
      ingress.map((r) => r.fromPort),
      [80, 443],
    );
    assert.equal(await promiseOf(outputs.url), 'https://quotes.example.com');
    // Environments attach their test routes to the listener users reach: the HTTPS one.
    assert.match(await promiseOf(stack.resources.listener.urn), /::exchange-https$/);
    assert.equal(await promiseOf(outputs.listenerArn), await promiseOf(stack.resources.listener.arn));
    assert.equal(outputs.servicesNeedPublicIp, true);
    assert.deepEqual(harness.one('awsx:ec2:Vpc').inputs.subnetSpecs, [{ type: 'Public' }]);
    assert.deepEqual(harness.one('awsx:ec2:Vpc').inputs.natGateways, { strategy: 'None' });
    assert.equal(harness.one('awsx:ec2:Vpc').inputs.numberOfAvailabilityZones, 3);
  });

  it('pipeline identity: GitLab OIDC provider, deploy role on the protected branch, scoped preview role, boundary', async () => {
    await run({
      gitlab: {
        url: 'https://gitlab.example.com',
        projectPath: 'acme/exchange',
        protectedBranch: 'release',
        audience: 'exchange-ci',
      },
    });
    const provider = harness.one('aws:iam/openIdConnectProvider:OpenIdConnectProvider').inputs;
    assert.deepEqual(provider, { url: 'https://gitlab.example.com', clientIdLists: ['exchange-ci'] });
    const providerArn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/gitlab.example.com`;

    const deploy = json(harness.one('aws:iam/role:Role', 'exchange-deploy').inputs.assumeRolePolicy)
      .Statement[0];
    assert.deepEqual(deploy?.Principal, { Federated: providerArn });
    assert.deepEqual(deploy?.Condition, {
      StringEquals: {
        'gitlab.example.com:aud': 'exchange-ci',
        'gitlab.example.com:sub': 'project_path:acme/exchange:ref_type:branch:ref:release',
      },
    });
    const preview = json(harness.one('aws:iam/role:Role', 'exchange-preview').inputs.assumeRolePolicy)
      .Statement[0];
    // No merge-request job assumes the preview role: it trusts the protected branch only, as the deploy role.
    assert.deepEqual(preview?.Condition, {
      StringEquals: {
        'gitlab.example.com:aud': 'exchange-ci',
        'gitlab.example.com:sub': 'project_path:acme/exchange:ref_type:branch:ref:release',
      },
    });
    assert.equal(
      harness.ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment').length,
      0,
      'no AWS managed ReadOnlyAccess: it reads every object in the account, the state included',
    );
    const boundary = `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/exchange-permissions-boundary`;
    assert.equal(
      harness.one('aws:iam/policy:Policy', 'exchange-permissions-boundary').inputs.name,
      'exchange-permissions-boundary',
    );
    assert.equal(
      harness.one('aws:iam/policy:Policy', 'exchange-workload-boundary').inputs.name,
      'exchange-workload-boundary',
      "the colour stacks' roles get a boundary of their own, without IAM writes",
    );
    for (const role of ['exchange-deploy', 'exchange-preview'])
      assert.equal(harness.one('aws:iam/role:Role', role).inputs.permissionsBoundary, boundary, role);

    const deployPolicy = JSON.parse(
      String(harness.one('aws:iam/rolePolicy:RolePolicy', 'exchange-deploy').inputs.policy),
    ) as { Statement: { Sid: string; Resource?: unknown; Condition?: unknown }[] };
    const sids = Object.fromEntries(deployPolicy.Statement.map((s) => [s.Sid, s]));
    assert.deepEqual(sids.RegionalServices?.Condition, {
      StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
    });
    assert.equal(sids.Roles?.Resource, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/exchange-*`);
    assert.equal(sids.StateObjects?.Resource, 'arn:aws:s3:::acme-state/*');
  });

  it('reuses an existing OIDC provider instead of creating a second one', async () => {
    const existing = 'arn:aws:iam::123456789012:oidc-provider/gitlab.com';
    const { outputs } = await run({
      gitlab: { url: 'https://gitlab.com', projectPath: 'acme/exchange', existingProviderArn: existing },
    });
    assert.equal(harness.ofType('aws:iam/openIdConnectProvider:OpenIdConnectProvider').length, 0);
    assert.deepEqual(
      json(harness.one('aws:iam/role:Role', 'exchange-deploy').inputs.assumeRolePolicy).Statement[0]
        ?.Principal,
      { Federated: existing },
    );
    assert.equal(await promiseOf(outputs.oidcProviderArn), existing);
  });

  it('the entry (index.ts) default export runs the program and returns the stack outputs', async () => {
    harness.reset();
    config();
    const entry = (await import('../../infra/shared/index.ts')).default;
    const outputs = await entry(async () => undefined);
    await settle();
    assert.deepEqual(
      Object.keys(outputs).sort(),
      [...Object.values(SHARED_OUTPUTS), 'deployRoleArn', 'previewRoleArn', 'oidcProviderArn'].sort(),
    );
    assert.equal(harness.ofType('aws:lb/listener:Listener').length, 1);
  });

  it('bad config fails before any resource is registered, naming the key', async () => {
    harness.reset();
    config({ weights: { blue: 0, green: 0 } });
    await assert.rejects(program.runSharedProgram(), /exchange-shared:weights = .*not all zero/);
    await settle();
    assert.deepEqual(harness.resources, []);
  });

  it('weight on a deployed colour without a target group fails before any AWS resource', async () => {
    harness.reset();
    harness.setStackOutputs(STACKS.green, {});
    try {
      config({ weights: { blue: 50, green: 50 } });
      await assert.rejects(program.runSharedProgram(), {
        name: 'TrafficPlanError',
        message: /green \(weight 50\) but that stack exports no targetGroupArn/,
      });
      await settle();
      assert.deepEqual(
        harness.resources.map((r) => r.type),
        ['pulumi:pulumi:StackReference', 'pulumi:pulumi:StackReference'],
      );
    } finally {
      harness.setStackOutputs(STACKS.green, { targetGroupArn: GREEN_TG });
    }
  });
});
