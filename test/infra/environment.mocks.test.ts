// The shared mock harness itself (infra/testing/mocks.ts): what tests and `synth` rely on.
import assert from 'node:assert/strict';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  createMocks,
  installMocks,
  mockSuffix,
  promiseOf,
  settle,
  type MockHarness,
} from '../../infra/testing/mocks.ts';

describe('mock harness', () => {
  let h: MockHarness;
  before(async () => {
    h = createMocks({ stackOutputs: { 'organization/exchange-shared/shared': { vpcId: 'vpc-1' } } });
    await installMocks(h, { project: 'exchange', stack: 'green' });
  });
  beforeEach(() => h.reset());

  it('auto-names like the engine (logical name + "-" + 7 chars), deterministically', async () => {
    const tg = new aws.lb.TargetGroup('exchange-green-tg', {
      port: 8080,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: 'vpc-1',
    });
    const bucket = new aws.s3.Bucket('Exchange-Green-Site', {});
    const named = new aws.iam.Role('role', { name: 'explicit', assumeRolePolicy: '{}' });
    assert.equal(
      await promiseOf(tg.name),
      `exchange-green-tg-${mockSuffix('aws:lb/targetGroup:TargetGroup::exchange-green-tg')}`,
    );
    assert.match(
      await promiseOf(tg.arn),
      /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup\/exchange-green-tg-[0-9a-f]{7}\/[0-9a-f]{16}$/,
    );
    assert.match(
      await promiseOf(bucket.bucket),
      /^exchange-green-site-[0-9a-f]{7}$/,
      'bucket names are lower-cased',
    );
    assert.equal(await promiseOf(named.arn), 'arn:aws:iam::123456789012:role/explicit');
  });

  it('captures parent URN and dependencies, which the plain Mocks API omits', async () => {
    class Parent extends pulumi.ComponentResource {
      constructor() {
        super('exchange:test:Parent', 'p', {});
        const a = new aws.cloudwatch.LogGroup('p-a', {}, { parent: this });
        new aws.cloudwatch.LogGroup('p-b', {}, { parent: this, dependsOn: [a] });
        this.registerOutputs({});
      }
    }
    new Parent();
    await settle();
    const parent = h.one('exchange:test:Parent');
    const a = h.one('aws:cloudwatch/logGroup:LogGroup', 'p-a');
    const b = h.one('aws:cloudwatch/logGroup:LogGroup', 'p-b');
    assert.equal(parent.parent, undefined);
    assert.equal(
      a.urn,
      'urn:pulumi:green::exchange::exchange:test:Parent$aws:cloudwatch/logGroup:LogGroup::p-a',
    );
    assert.deepEqual([a.parent, b.parent], [parent.urn, parent.urn]);
    assert.deepEqual(b.dependencies, [a.urn]);
  });

  it('serves configured StackReference outputs and rejects unknown stacks', async () => {
    const ref = new pulumi.StackReference('organization/exchange-shared/shared');
    assert.equal(await promiseOf(ref.requireOutput('vpcId')), 'vpc-1');
    h.setStackOutputs('organization/exchange/blue', { targetGroupArn: 'arn:tg' });
    assert.equal(
      await promiseOf(
        new pulumi.StackReference('organization/exchange/blue').requireOutput('targetGroupArn'),
      ),
      'arn:tg',
    );
    // Called directly: through the runtime, a failed read surfaces only as an unhandled rejection.
    const read = {
      type: 'pulumi:pulumi:StackReference',
      name: 'organization/exchange/purple',
      inputs: { name: 'organization/exchange/purple' },
      custom: true,
    };
    assert.throws(() => h.mocks.newResource(read), /unknown stack "organization\/exchange\/purple"/);
    const lenient = createMocks({ unknownStack: 'empty' });
    assert.deepEqual(lenient.mocks.newResource(read), {
      id: 'organization/exchange/purple',
      state: { name: 'organization/exchange/purple', outputs: {} },
    });
  });

  it('answers the AWS invokes programs use and fails loudly on others', async () => {
    assert.equal((await aws.getCallerIdentity()).accountId, '123456789012');
    assert.equal((await aws.getRegion()).region, 'eu-west-1');
    assert.equal((await aws.getPartition()).partition, 'aws');
    await assert.rejects(aws.ec2.getVpc({ default: true }));
    assert.throws(
      () => h.mocks.call({ token: 'aws:ec2/getVpc:getVpc', inputs: {} }),
      /no result for invoke aws:ec2\/getVpc:getVpc/,
    );
    assert.deepEqual(
      h.calls.map((c) => c.token),
      [
        'aws:index/getCallerIdentity:getCallerIdentity',
        'aws:index/getRegion:getRegion',
        'aws:index/getPartition:getPartition',
        'aws:ec2/getVpc:getVpc',
        'aws:ec2/getVpc:getVpc',
      ],
    );
  });

  it('gives awsx Vpc the scalar outputs only (a remote component under mocks)', async () => {
    const awsx = await import('@pulumi/awsx');
    const vpc = new awsx.ec2.Vpc('exchange-vpc', { numberOfAvailabilityZones: 2 });
    assert.match(await promiseOf(vpc.vpcId), /^vpc-[0-9a-f]{17}$/);
    const [pub, priv] = [await promiseOf(vpc.publicSubnetIds), await promiseOf(vpc.privateSubnetIds)];
    assert.equal(pub.length, 2);
    assert.equal(priv.length, 2);
    assert.notDeepEqual(pub, priv);
  });

  it('reset() empties the captures in place', async () => {
    new aws.cloudwatch.LogGroup('x', {});
    await settle();
    const live = h.resources;
    assert.equal(live.length, 1);
    h.reset();
    assert.equal(live.length, 0);
    assert.equal(h.calls.length, 0);
  });
});
