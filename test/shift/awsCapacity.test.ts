// The AWS driver's capacity calls with aws-sdk-client-mock (response shapes as the ECS and Application
// Auto Scaling APIs return them) and the durable store on the embedded S3: the exact requests, the
// record-before-apply order, and what each failure says and leaves behind.
import assert from 'node:assert/strict';
import {
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { capacityDocument, parseCapacityDocument } from '../../release/state/capacity.ts';
import { s3DocumentStore, type DocumentStore } from '../../release/state/store.ts';
import { createAwsDriver, targetsFromOutputs, type AwsTargets } from '../../shift/drivers/aws.ts';
import { probeClient } from '../../shift/drivers/http.ts';
import { DriverError } from '../../shift/errors.ts';
import type { ShiftDriver } from '../../shift/port.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';
import { mockAwsClients } from './awsMocks.ts';

const TARGETS: AwsTargets = {
  listenerArn:
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/exchange-alb/50dc6c495c0c9188/f2f7dc8efc522ab2',
  url: 'http://127.0.0.1:9',
  targetGroupArns: {
    blue: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-blue-tg/73e2d6bc24d8a067',
    green:
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-green-tg/2453ed029918f21f',
  },
  cluster: 'exchange-cluster',
  serviceNames: { blue: 'exchange-blue-svc', green: 'exchange-green-svc' },
  scaling: {
    blue: { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 },
    green: { minCapacity: 2, maxCapacity: 10, standbyTasks: 1 },
  },
};

/** A DescribeScalableTargets entry as the API returns it for an ECS service. */
function scalableTarget(service: string, min: number, max: number, scaleInSuspended: boolean) {
  return {
    ServiceNamespace: 'ecs' as const,
    ResourceId: `service/exchange-cluster/${service}`,
    ScalableDimension: 'ecs:service:DesiredCount' as const,
    MinCapacity: min,
    MaxCapacity: max,
    RoleARN:
      'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
    CreationTime: new Date('2026-11-30T10:00:00Z'),
    SuspendedState: {
      DynamicScalingInSuspended: scaleInSuspended,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
    },
    ScalableTargetARN:
      'arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/0ec50a1f2b1c4d7e8f9a0b1c2d3e4f5a',
  };
}

describe('AWS shift driver: capacity', () => {
  const { clients, ecs, aas } = mockAwsClients();
  let s3: TestS3;
  let store: DocumentStore;
  let log: string[];
  let driver: ShiftDriver;

  before(async () => {
    s3 = await startTestS3('state');
  });
  after(async () => s3.close());

  beforeEach(() => {
    ecs.reset();
    aas.reset();
    log = [];
    const real = s3DocumentStore(s3.client, {
      bucket: 'state',
      prefix: `t${Math.random().toString(36).slice(2)}`,
    });
    store = {
      ...real,
      write: async <T>(n: string, v: T, e: string | null) => (log.push(`record ${n}`), real.write(n, v, e)),
    };
    aas.on(RegisterScalableTargetCommand).callsFake(() => (log.push('RegisterScalableTarget'), {}));
    driver = createAwsDriver({
      ...clients,
      targets: TARGETS,
      store,
      sharedStack: { up: async () => undefined, outputs: async () => ({}) } as never,
      http: probeClient(500),
      now: () => new Date('2026-12-01T05:00:00Z'),
    });
  });

  it('reads running, desired and pending tasks and the scalable target, with the exact requests', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'exchange-blue-svc', desiredCount: 6, runningCount: 5, pendingCount: 1 }],
      failures: [],
    });
    aas.on(DescribeScalableTargetsCommand).resolves({
      ScalableTargets: [scalableTarget('exchange-blue-svc', 2, 10, true)],
    });
    assert.deepEqual(await driver.readCapacity!('blue'), {
      running: 5,
      desired: 6,
      pending: 1,
      minCapacity: 2,
      maxCapacity: 10,
      scaleInSuspended: true,
      config: { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 },
    });
    assert.deepEqual(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input, {
      cluster: 'exchange-cluster',
      services: ['exchange-blue-svc'],
    });
    assert.deepEqual(aas.commandCalls(DescribeScalableTargetsCommand)[0]?.args[0].input, {
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceIds: ['service/exchange-cluster/exchange-blue-svc'],
    });
  });

  it('a service without a scalable target reads as null bounds, not as an error', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'exchange-green-svc', desiredCount: 2, runningCount: 2, pendingCount: 0 }],
    });
    aas.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    const c = await driver.readCapacity!('green');
    assert.deepEqual([c.minCapacity, c.maxCapacity, c.scaleInSuspended], [null, null, null]);
  });

  it('a missing service names the reason ECS gave and the fix', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [
        {
          arn: 'arn:aws:ecs:eu-west-1:123456789012:service/exchange-cluster/exchange-green-svc',
          reason: 'MISSING',
        },
      ],
    });
    await assert.rejects(
      driver.readCapacity!('green'),
      (e: unknown) =>
        e instanceof DriverError &&
        /exchange-green-svc is not in cluster exchange-cluster \(MISSING\)/.test(e.message) &&
        /pulumi up --stack green/.test(e.oneLine()),
    );
  });

  it('a floor is recorded first, then applied as MinCapacity/MaxCapacity only', async () => {
    await driver.setCapacity!('green', { mode: 'floor', tasks: 12 }, 'shift s1');
    assert.deepEqual(log, ['record capacity/green', 'RegisterScalableTarget']);
    assert.deepEqual(aas.commandCalls(RegisterScalableTargetCommand)[0]?.args[0].input, {
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: 'service/exchange-cluster/exchange-green-svc',
      MinCapacity: 12,
      MaxCapacity: 12,
    });
    const doc = await store.read(capacityDocument('green'), parseCapacityDocument);
    assert.deepEqual(doc?.value, {
      color: 'green',
      capacity: { mode: 'floor', tasks: 12 },
      decidedAt: '2026-12-01T05:00:00.000Z',
      writer: 'shift s1',
    });
  });

  it('standby pins the colour; serving restores the configured bounds', async () => {
    await driver.setCapacity!('blue', { mode: 'standby', tasks: 0 }, 'scale-down');
    await driver.setCapacity!('blue', { mode: 'serving' }, 'release');
    const inputs = aas.commandCalls(RegisterScalableTargetCommand).map((c) => c.args[0].input);
    assert.deepEqual(
      inputs.map((i) => [i.MinCapacity, i.MaxCapacity]),
      [
        [0, 0],
        [2, 10],
      ],
    );
  });

  it('scale-in suspension sends SuspendedState alone, so min, max and the rest stay unchanged', async () => {
    await driver.setScaleInSuspended!('blue', true);
    await driver.setScaleInSuspended!('blue', false);
    const inputs = aas.commandCalls(RegisterScalableTargetCommand).map((c) => c.args[0].input);
    assert.deepEqual(inputs, [
      {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: 'service/exchange-cluster/exchange-blue-svc',
        SuspendedState: { DynamicScalingInSuspended: true },
      },
      {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: 'service/exchange-cluster/exchange-blue-svc',
        SuspendedState: { DynamicScalingInSuspended: false },
      },
    ]);
  });

  it('a refused RegisterScalableTarget says the decision is recorded but the target unchanged', async () => {
    aas.on(RegisterScalableTargetCommand).rejects(
      new ValidationException({
        message: 'Minimum capacity cannot be greater than maximum',
        $metadata: {},
      }),
    );
    await assert.rejects(
      driver.setCapacity!('green', { mode: 'floor', tasks: 3 }, 'shift s2'),
      /RegisterScalableTarget failed: ValidationException: .*green's capacity is recorded as floor \(3–10\) but its scalable target is unchanged/,
    );
    await assert.rejects(driver.setScaleInSuspended!('green', true), /green's scale-in is still active/);
  });

  it('a failed record write changes nothing on AWS', async () => {
    store.write = async () => {
      throw new Error('AccessDenied');
    };
    await assert.rejects(
      driver.setCapacity!('green', { mode: 'standby', tasks: 1 }, 'scale-down'),
      /recording green's capacity \(standby\) failed: AccessDenied/,
    );
    assert.equal(aas.commandCalls(RegisterScalableTargetCommand).length, 0);
  });

  it('without a scaling output a capacity change refuses with the fix; outputs are validated on read', async () => {
    const noScaling = createAwsDriver({
      ...clients,
      targets: { ...TARGETS, scaling: { blue: null, green: null } },
      store,
      sharedStack: { up: async () => undefined, outputs: async () => ({}) } as never,
      http: probeClient(500),
      now: () => new Date(),
    });
    await assert.rejects(
      noScaling.setCapacity!('blue', { mode: 'serving' }, 'x'),
      /the blue stack exports no scaling configuration/,
    );
    const env = (c: string, scaling: unknown) => ({
      targetGroupArn: TARGETS.targetGroupArns.blue,
      serviceName: `exchange-${c}-svc`,
      ...(scaling === undefined ? {} : { scaling }),
    });
    const shared = { listenerArn: TARGETS.listenerArn, url: 'http://alb', clusterName: 'exchange-cluster' };
    const t = targetsFromOutputs(shared, {
      blue: env('blue', { minCapacity: 1, maxCapacity: 4, standbyTasks: 1 }),
      green: env('green', undefined),
    });
    assert.deepEqual(t.scaling, { blue: { minCapacity: 1, maxCapacity: 4, standbyTasks: 1 }, green: null });
    assert.throws(
      () =>
        targetsFromOutputs(shared, {
          blue: env('blue', { minCapacity: 5, maxCapacity: 4, standbyTasks: 1 }),
          green: env('green', undefined),
        }),
      (e: unknown) => e instanceof DriverError && /minCapacity 5 exceeds maxCapacity 4/.test(e.message),
    );
  });

  it('a driver without the autoscaling client has no capacity methods (no gate, nothing held)', () => {
    const { autoscaling: _omit, ...rest } = clients;
    const plain = createAwsDriver({
      ...rest,
      targets: TARGETS,
      store,
      sharedStack: { up: async () => undefined, outputs: async () => ({}) } as never,
      http: probeClient(500),
      now: () => new Date(),
    });
    assert.equal(plain.readCapacity, undefined);
    assert.equal(plain.timing.scaleUp, undefined);
    assert.deepEqual(driver.timing.scaleUp, { taskStartSeconds: 120, healthySeconds: 20 });
  });
});
