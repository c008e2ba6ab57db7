// The shared stack's smaller guarantees: S3 traffic bypasses the NAT (gateway endpoint on the private
// route tables), the ALB logs to a retained private bucket and is deletion-protected by default.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { SHARED_PROJECT } from '../../contract/stacks.ts';
import { albLogsBucketPolicy } from '../../infra/shared/albLogs.ts';
import { toRuntimeConfig } from '../../infra/synth/stackConfig.ts';
import { createMocks, installMocks, promiseOf, settle } from '../../infra/testing/mocks.ts';

const harness = createMocks({ stackOutputs: {} });
let program: typeof import('../../infra/shared/program.ts');

async function run(overrides: Record<string, unknown> = {}) {
  harness.reset();
  const map: Record<string, unknown> = {
    weights: { blue: 100, green: 0 },
    gitlab: { url: 'https://gitlab.example.com', projectPath: 'acme/exchange' },
    stateBucket: 'acme-state',
    ...overrides,
  };
  pulumi.runtime.setAllConfig(
    toRuntimeConfig(Object.fromEntries(Object.entries(map).map(([k, v]) => [`${SHARED_PROJECT}:${k}`, v])))
      .config,
  );
  const stack = await program.runSharedProgram();
  await settle();
  return stack;
}

describe('shared stack: endpoint, ALB logs, deletion protection (mocks)', () => {
  before(async () => {
    await installMocks(harness, { project: SHARED_PROJECT, stack: 'shared' });
    program = await import('../../infra/shared/program.ts');
  });
  after(() => pulumi.runtime.setAllConfig({}));

  it("an S3 gateway endpoint sits on the private subnets' route tables", async () => {
    const stack = await run();
    const ep = harness.one('aws:ec2/vpcEndpoint:VpcEndpoint').inputs;
    assert.deepEqual([ep.vpcEndpointType, ep.serviceName], ['Gateway', 'com.amazonaws.eu-west-1.s3']);
    const privateIds = await promiseOf(stack.outputs.privateSubnetIds);
    assert.equal(ep.routeTableIds.length, privateIds.length, 'one route table per private subnet');
    assert.ok(ep.routeTableIds.every((id: string) => id.startsWith('rtb-')));
  });

  it('no endpoint without private subnets (natStrategy none)', async () => {
    await run({ natStrategy: 'none' });
    assert.equal(harness.ofType('aws:ec2/vpcEndpoint:VpcEndpoint').length, 0);
  });

  it('the ALB logs to a private, retained bucket and is deletion-protected', async () => {
    await run();
    const alb = harness.one('aws:lb/loadBalancer:LoadBalancer');
    assert.equal(alb.inputs.enableDeletionProtection, true);
    assert.deepEqual(alb.inputs.accessLogs.enabled, true);
    assert.equal(alb.inputs.accessLogs.prefix, 'alb');
    const policy = harness.one('aws:s3/bucketPolicy:BucketPolicy');
    assert.ok(alb.dependencies.includes(policy.urn), 'ELB checks write access when logging is enabled');
    const life = harness.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs;
    assert.equal(life.rules[0].expiration.days, 90);
    const block = harness.one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs;
    assert.equal(block.blockPublicPolicy && block.restrictPublicBuckets && block.blockPublicAcls, true);
  });

  it('deletion protection and retention come from config', async () => {
    await run({ albDeletionProtection: false, albLogRetentionDays: 30 });
    assert.equal(harness.one('aws:lb/loadBalancer:LoadBalancer').inputs.enableDeletionProtection, false);
    const life = harness.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs;
    assert.equal(life.rules[0].expiration.days, 30);
  });

  it('log delivery may write only under the prefix for this account', () => {
    const doc = albLogsBucketPolicy(
      'arn:aws:s3:::exchange-alb-logs-1',
      'arn:aws:iam::156460612806:root',
      '123456789012',
    );
    assert.equal(doc.Statement[0]?.Resource, 'arn:aws:s3:::exchange-alb-logs-1/alb/AWSLogs/123456789012/*');
  });
});
