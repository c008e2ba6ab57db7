// The blue and green stack programs on the mock runtime, from their real stack files: the shared
// stack's outputs wired in, the subnet/public-IP choice, the exports, and blue ≠ green everywhere.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../../contract/stacks.ts';
import { parseEnvironmentConfig } from '../../infra/environment/config.ts';
import { serviceNetwork } from '../../infra/environment/network.ts';
import {
  createMocks,
  installMocks,
  promiseOf,
  settle,
  type CapturedResource,
  type MockHarness,
} from '../../infra/testing/mocks.ts';
import { environmentStackOutputs, sharedStackOutputs } from '../../infra/testing/stackOutputs.ts';
import { stackFileConfig } from './environment.helpers.ts';

type ProgramModule = typeof import('../../infra/environment/program.ts');
const SHARED = 'organization/exchange-shared/shared';
const COLORS = ['blue', 'green'] as const;

interface Run {
  resources: CapturedResource[];
  outputs: Record<string, unknown>;
}

describe('environment stacks (mocks)', () => {
  let h: MockHarness;
  let program: ProgramModule;

  before(async () => {
    h = createMocks({ stackOutputs: { [SHARED]: sharedStackOutputs() } });
    await installMocks(h, { project: 'exchange', stack: 'green' });
    program = await import('../../infra/environment/program.ts');
  });
  after(() => pulumi.runtime.setAllConfig({}));

  /** Runs one stack's program from its stack file; `nat` picks the shared stack's layout. */
  async function run(
    color: (typeof COLORS)[number],
    opts: { nat?: boolean; preview?: boolean } = {},
  ): Promise<Run> {
    h.setStackOutputs(SHARED, sharedStackOutputs({ nat: opts.nat ?? true }));
    await installMocks(h, { project: 'exchange', stack: color, preview: opts.preview ?? false });
    h.reset();
    const cfg = parseEnvironmentConfig(stackFileConfig(color), color);
    const stack = program.environmentProgram(cfg);
    const outputs = opts.preview
      ? {}
      : Object.fromEntries(
          await Promise.all(
            Object.entries(stack.outputs).map(async ([k, v]) => [
              k,
              await promiseOf<unknown>(v as pulumi.Output<unknown>),
            ]),
          ),
        );
    await settle();
    return { resources: [...h.resources], outputs };
  }
  const one = (r: Run, type: string) => {
    const found = r.resources.filter((x) => x.type === type);
    assert.equal(found.length, 1, type);
    return found[0] as CapturedResource;
  };

  for (const color of COLORS) {
    describe(`${color} stack`, () => {
      let r: Run;
      before(async () => {
        r = await run(color);
      });

      it('reads the shared stack by its configured name', () => {
        const ref = one(r, 'pulumi:pulumi:StackReference');
        assert.equal(ref.inputs.name, SHARED);
        assert.ok(r.resources.every((x) => x.stack === color));
      });

      it('exports exactly the ENV_OUTPUTS names, with the values the shared stack expects', () => {
        assert.deepEqual(Object.keys(r.outputs).sort(), Object.values(ENV_OUTPUTS).sort());
        assert.deepEqual(r.outputs, environmentStackOutputs(color));
      });

      it('wires VPC, cluster, ALB security group and listener from the shared outputs', () => {
        const shared = sharedStackOutputs();
        assert.equal(one(r, 'aws:lb/targetGroup:TargetGroup').inputs.vpcId, shared[SHARED_OUTPUTS.vpcId]);
        assert.equal(
          one(r, 'aws:ec2/securityGroup:SecurityGroup').inputs.vpcId,
          shared[SHARED_OUTPUTS.vpcId],
        );
        assert.equal(one(r, 'aws:ecs/service:Service').inputs.cluster, shared[SHARED_OUTPUTS.clusterArn]);
        assert.equal(
          one(r, 'aws:scheduler/schedule:Schedule').inputs.target.arn,
          shared[SHARED_OUTPUTS.clusterArn],
        );
        assert.equal(
          one(r, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').inputs
            .referencedSecurityGroupId,
          shared[SHARED_OUTPUTS.albSecurityGroupId],
        );
        assert.equal(
          one(r, 'aws:lb/listenerRule:ListenerRule').inputs.listenerArn,
          shared[SHARED_OUTPUTS.listenerArn],
        );
      });

      it('runs service and ingest in the private subnets without public IPs when the VPC has NAT', () => {
        const expected = sharedStackOutputs()[SHARED_OUTPUTS.privateSubnetIds];
        const svc = one(r, 'aws:ecs/service:Service').inputs.networkConfiguration;
        const sched = one(r, 'aws:scheduler/schedule:Schedule').inputs.target.ecsParameters
          .networkConfiguration;
        assert.deepEqual([svc.subnets, svc.assignPublicIp], [expected, false]);
        assert.deepEqual([sched.subnets, sched.assignPublicIp], [expected, false]);
      });

      it('uses the stack file values: size, count, schedule, time zone, image, retention', () => {
        const td = one(r, 'aws:ecs/taskDefinition:TaskDefinition').inputs;
        assert.deepEqual([td.family, td.cpu, td.memory], [`exchange-${color}`, '256', '512']);
        const [container] = JSON.parse(td.containerDefinitions);
        assert.equal(container.image, stackFileConfig(color)['exchange:image']);
        assert.deepEqual(
          container.environment.filter((e: { name: string }) =>
            ['EXCHANGE_COLOR', 'EXCHANGE_VERSION', 'EXCHANGE_SOURCE'].includes(e.name),
          ),
          [
            { name: 'EXCHANGE_COLOR', value: color },
            { name: 'EXCHANGE_VERSION', value: '0.1.0' },
            { name: 'EXCHANGE_SOURCE', value: 'dse' },
          ],
        );
        assert.equal(one(r, 'aws:ecs/service:Service').inputs.desiredCount, 2);
        const s = one(r, 'aws:scheduler/schedule:Schedule').inputs;
        assert.deepEqual(
          [s.scheduleExpression, s.scheduleExpressionTimezone],
          ['cron(30 15 ? * SUN-THU *)', 'Asia/Dhaka'],
        );
        assert.deepEqual(JSON.parse(s.target.input).containerOverrides[0].command.slice(0, 3), [
          'ingest',
          '--source',
          'dse',
        ]);
        assert.equal(one(r, 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays, 30);
      });
    });
  }

  it('blue and green never collide: priorities, families, headers and every physical name differ', async () => {
    const blue = await run('blue');
    const green = await run('green');
    const rule = (x: Run) => one(x, 'aws:lb/listenerRule:ListenerRule').inputs;
    assert.deepEqual([rule(blue).priority, rule(green).priority], [100, 200]);
    assert.deepEqual(
      [rule(blue).conditions[0].httpHeader.values, rule(green).conditions[0].httpHeader.values],
      [['blue'], ['green']],
    );
    const family = (x: Run) => one(x, 'aws:ecs/taskDefinition:TaskDefinition').inputs.family;
    assert.deepEqual([family(blue), family(green)], ['exchange-blue', 'exchange-green']);
    assert.deepEqual(
      [blue.outputs[ENV_OUTPUTS.testRouteHeader], green.outputs[ENV_OUTPUTS.testRouteHeader]],
      ['X-Exchange-Color: blue', 'X-Exchange-Color: green'],
    );
    for (const key of [
      ENV_OUTPUTS.bucketName,
      ENV_OUTPUTS.targetGroupArn,
      ENV_OUTPUTS.serviceName,
      ENV_OUTPUTS.taskDefinitionArn,
    ]) {
      assert.notEqual(blue.outputs[key], green.outputs[key], key);
    }
    const logicalNames = (x: Run) =>
      new Set(
        x.resources.filter((c) => c.custom && c.type !== 'pulumi:pulumi:StackReference').map((c) => c.name),
      );
    const shared = [...logicalNames(blue)].filter((n) => logicalNames(green).has(n));
    assert.deepEqual(shared, []);
  });

  it('without NAT, tasks run in the public subnets with a public IP', async () => {
    const r = await run('green', { nat: false });
    const expected = sharedStackOutputs({ nat: false })[SHARED_OUTPUTS.publicSubnetIds];
    const svc = one(r, 'aws:ecs/service:Service').inputs.networkConfiguration;
    const sched = one(r, 'aws:scheduler/schedule:Schedule').inputs.target.ecsParameters.networkConfiguration;
    assert.deepEqual([svc.subnets, svc.assignPublicIp], [expected, true]);
    assert.deepEqual([sched.subnets, sched.assignPublicIp], [expected, true]);
  });

  it('preview: registers the same resources while every computed ARN and name is unknown', async () => {
    const real = await run('green');
    const previewHarness = createMocks({
      stackOutputs: { [SHARED]: sharedStackOutputs() },
      omitComputed: true,
    });
    await installMocks(previewHarness, { project: 'exchange', stack: 'green', preview: true });
    const stack = program.environmentProgram(parseEnvironmentConfig(stackFileConfig('green'), 'green'));
    await settle();
    const shape = (x: CapturedResource[]) => x.map((c) => `${c.type}::${c.name}`).sort();
    assert.deepEqual(shape(previewHarness.resources), shape(real.resources));
    // In preview an unknown Output never runs its apply, so promiseOf times out instead of resolving.
    await assert.rejects(promiseOf(stack.outputs[ENV_OUTPUTS.targetGroupArn], 200), /still unknown/);
    const svc = previewHarness.one('aws:ecs/service:Service').inputs;
    assert.equal(pulumi.isUnknown(svc.taskDefinition), true, 'task definition ARN unknown in preview');
    assert.deepEqual(
      svc.networkConfiguration.subnets,
      sharedStackOutputs()[SHARED_OUTPUTS.privateSubnetIds],
      'shared outputs are read in preview',
    );
  });

  it('the entry point exports the program outputs and creates nothing on import', async () => {
    await installMocks(h, { project: 'exchange', stack: 'blue' });
    h.reset();
    const index = await import('../../infra/environment/index.ts');
    await settle();
    assert.deepEqual(h.resources, []);
    pulumi.runtime.setAllConfig(stackFileConfig('blue'));
    const outputs = index.default();
    const resolved = Object.fromEntries(
      await Promise.all(Object.entries(outputs).map(async ([k, v]) => [k, await promiseOf(v)])),
    );
    assert.deepEqual(resolved, environmentStackOutputs('blue'));
    await settle();
  });
});

describe('service network choice', () => {
  const pub = ['subnet-0aa1111111111111a', 'subnet-0bb2222222222222b'];
  const priv = ['subnet-0cc3333333333333c', 'subnet-0dd4444444444444d'];
  it('private subnets without public IP behind NAT', () => {
    assert.deepEqual(serviceNetwork(false, pub, priv), { subnetIds: priv, assignPublicIp: false });
  });
  it('public subnets with public IP without NAT', () => {
    assert.deepEqual(serviceNetwork(true, pub, []), { subnetIds: pub, assignPublicIp: true });
  });
  const bad: [unknown, unknown, unknown, RegExp][] = [
    ['false', pub, priv, /servicesNeedPublicIp: "false" is not allowed; allowed: true or false/],
    [false, pub, [], /privateSubnetIds: \[\] is not allowed; allowed: at least two subnet ids/],
    [false, pub, ['subnet-1'], /privateSubnetIds/],
    [true, ['sg-1', 'sg-2'], priv, /publicSubnetIds/],
    [true, undefined, priv, /publicSubnetIds: undefined/],
  ];
  for (const [need, p, q, message] of bad) {
    it(`rejects ${JSON.stringify([need, p, q])}`, () =>
      assert.throws(() => serviceNetwork(need, p, q), message));
  }
});
