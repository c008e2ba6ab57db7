// A whole shift through the AWS driver: the controller, ELBv2/ECS/CloudWatch mocks, the durable store
// on the embedded S3, `pulumi up` via a fake CLI (its up applies the recorded weights, as the shared
// program does), and a loopback server standing in for the ALB that routes by those weights.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  type ModifyListenerCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ConflictError, documentKey, s3DocumentStore } from '../../release/state/store.ts';
import {
  parseShiftRecord,
  parseWeightsDocument,
  recordWeights,
  SHIFT_DOCUMENT,
  WEIGHTS_DOCUMENT,
} from '../../release/state/traffic.ts';
import { resetShift, startShift } from '../../shift/api.ts';
import {
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  type RegisterScalableTargetCommandInput,
} from '@aws-sdk/client-application-auto-scaling';
import { createAwsDriver } from '../../shift/drivers/aws.ts';
import { probeClient } from '../../shift/drivers/http.ts';
import { listenerOnly, selectStack } from '../../shift/drivers/pulumiStack.ts';
import type { ShiftEvent } from '../../shift/port.ts';
import type { Weights } from '../../contract/weights.ts';
import { startLoopback, type LoopbackServer } from '../helpers/loopback.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';
import { answerMetricData, mockAwsClients } from './awsMocks.ts';
import { createFakePulumi, type FakePulumi } from './fakePulumi.ts';
import { FakeClock } from './fakeDriver.ts';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/exchange-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';
const TG = {
  blue: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-blue-tg/73e2d6bc24d8a067',
  green: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-green-tg/2453ed029918f21f',
};
const VERSION = { blue: '1.0.0', green: '1.1.0' };

/**
 * A shift rolled back after its first step, as the AWS calls come: the capacity hold (scale-in suspended
 * on both colours, green's floor raised) before the first record, released after the rollback's record.
 */
const HOLD_ROLLBACK_RELEASE = [
  'suspend blue',
  'suspend green',
  'bounds green 3–10',
  'record',
  'up',
  'ModifyListener',
  'record',
  'up',
  'bounds green 2–10',
  'resume blue',
  'resume green',
];

describe('a shift through the AWS driver (mocked AWS, fake pulumi, embedded S3, loopback ALB)', () => {
  const { clients, elb, ecs, cw, aas } = mockAwsClients();
  let s3: TestS3;
  let alb: LoopbackServer;
  let fake: FakePulumi;
  let workDir: string;
  let applied: Weights;
  let errors5xx: number;
  let deleted = false;
  const order: string[] = [];

  before(async () => {
    s3 = await startTestS3('state');
    let n = 0;
    alb = await startLoopback((req, res) => {
      const pinned = req.headers['x-exchange-color'];
      const color =
        pinned === 'blue' || pinned === 'green' ? pinned : n++ % 100 < applied.green ? 'green' : 'blue';
      res.writeHead(200, { 'content-type': 'application/json', 'x-exchange-color': color });
      res.end(JSON.stringify({ status: 'ok', color, version: VERSION[color] }));
    });
  });
  after(async () => {
    await alb.close();
    await s3.close();
  });

  async function setup(prefix: string) {
    elb.reset();
    ecs.reset();
    cw.reset();
    aas.reset();
    order.length = 0;
    applied = { blue: 100, green: 0 };
    errors5xx = 0;
    deleted = false;
    fake = await createFakePulumi();
    workDir = await mkdtemp(join(tmpdir(), 'shift-e2e-'));
    await writeFile(join(workDir, 'Pulumi.yaml'), 'name: exchange-shared\nruntime: nodejs\n');
    const store = s3DocumentStore(s3.client, { bucket: 'state', prefix });
    await recordWeights(store, applied, 'bootstrap', new Date());
    const real = await selectStack({ workDir, stackName: 'shared', pulumiRoot: fake.root });
    const applying = {
      ...real,
      up: async (o?: { target?: string[] }) => {
        order.push('up');
        await real.up(o);
        applied = (await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value.weights ?? applied;
      },
    };
    const sharedStack = listenerOnly(applying, {
      listenerUrn: 'urn:pulumi:shared::exchange-shared::aws:lb/listener:Listener::exchange-http',
    });
    elb.on(DescribeListenersCommand).callsFake(() => ({
      Listeners: [
        {
          ListenerArn: LISTENER,
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: TG.blue, Weight: applied.blue },
                  { TargetGroupArn: TG.green, Weight: applied.green },
                ],
              },
            },
          ],
        },
      ],
    }));
    elb.on(ModifyListenerCommand).callsFake((input: ModifyListenerCommandInput) => {
      order.push('ModifyListener');
      const groups = input.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
      applied = {
        blue: groups.find((g) => g.TargetGroupArn === TG.blue)?.Weight ?? 0,
        green: groups.find((g) => g.TargetGroupArn === TG.green)?.Weight ?? 0,
      };
      return {};
    });
    elb.on(DescribeRulesCommand).resolves({
      Rules: (['blue', 'green'] as const).map((c) => ({
        RuleArn: `rule-${c}`,
        Priority: c === 'blue' ? '100' : '200',
        Conditions: [
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Exchange-Color', Values: [c] } },
        ],
        Actions: [{ Type: 'forward' as const, TargetGroupArn: TG[c] }],
      })),
    });
    // A service runs what Application Auto Scaling last set (bounds move the desired count into range),
    // every task healthy behind its target group: the world the capacity gate reads.
    const tasks = { blue: 2, green: 2 };
    const colourOf = (s: string | undefined): 'blue' | 'green' => (s?.includes('green') ? 'green' : 'blue');
    elb.on(DescribeTargetHealthCommand).callsFake((i: { TargetGroupArn?: string }) => ({
      TargetHealthDescriptions: Array.from({ length: tasks[colourOf(i.TargetGroupArn)] }, (_, n) => ({
        Target: { Id: `10.0.1.${n + 1}`, Port: 8080 },
        TargetHealth: { State: 'healthy' as const },
      })),
    }));
    ecs.on(DescribeServicesCommand).callsFake((i: { services?: string[] }) => {
      const n = tasks[colourOf(i.services?.[0])];
      return { services: [{ desiredCount: n, runningCount: n, pendingCount: 0 }] };
    });
    // Each colour's scalable target as Application Auto Scaling describes it; a registration is logged.
    aas.on(DescribeScalableTargetsCommand).callsFake((input: { ResourceIds?: string[] }) => ({
      ScalableTargets: (input.ResourceIds ?? []).map((id) => ({
        ServiceNamespace: 'ecs',
        ResourceId: id,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        MaxCapacity: 10,
        RoleARN:
          'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
        CreationTime: new Date('2026-11-30T10:00:00Z'),
        SuspendedState: {
          DynamicScalingInSuspended: false,
          DynamicScalingOutSuspended: false,
          ScheduledScalingSuspended: false,
        },
      })),
    }));
    aas.on(RegisterScalableTargetCommand).callsFake((i: RegisterScalableTargetCommandInput) => {
      const colour = colourOf(i.ResourceId);
      if (i.MinCapacity !== undefined && i.MaxCapacity !== undefined)
        tasks[colour] = Math.min(i.MaxCapacity, Math.max(i.MinCapacity, tasks[colour]));
      order.push(
        i.SuspendedState
          ? `${i.SuspendedState.DynamicScalingInSuspended ? 'suspend' : 'resume'} ${colour}`
          : `bounds ${colour} ${i.MinCapacity}–${i.MaxCapacity}`,
      );
      return {};
    });
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) =>
      answerMetricData(input, {
        legacy: [
          { Id: 'requests', Values: [600, 600] },
          { Id: 'errors', Values: errors5xx > 0 ? [errors5xx] : [] },
          { Id: 'p99', Values: [0.08, 0.11] },
        ],
      }),
    );
    const driver = createAwsDriver({
      ...clients,
      targets: {
        listenerArn: LISTENER,
        url: alb.origin,
        targetGroupArns: TG,
        cluster: 'exchange',
        serviceNames: { blue: 'exchange-blue', green: 'exchange-green' },
        scaling: {
          blue: { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 },
          green: { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 },
        },
      },
      store: {
        ...store,
        // A deleted shift document behaves as on S3: an If-Match write to it fails (404 → ConflictError,
        // test/release/state.test.ts), a create succeeds.
        read: async <T>(name: string, parse: (raw: unknown) => T) =>
          name === SHIFT_DOCUMENT && deleted ? undefined : store.read(name, parse),
        write: async <T>(name: string, v: T, e: string | null) => {
          if (name === WEIGHTS_DOCUMENT) order.push('record');
          if (name === SHIFT_DOCUMENT && deleted) {
            if (e !== null) throw new ConflictError(`${name} no longer exists (deleted since it was read)`);
            deleted = false;
          }
          return store.write(name, v, e);
        },
      },
      sharedStack,
      http: probeClient(2000),
      now: () => new Date(),
    });
    return { driver, store };
  }

  afterEach(async () => {
    await fake.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('canary: each step recorded then applied by up, split confirmed through the ALB, promoted on green 100', async () => {
    const { driver, store } = await setup('promote');
    const clock = new FakeClock();
    const report = await startShift(
      { driver, clock, splitSampleSize: 200 },
      { to: 'green', bakeSeconds: 120 },
    );
    assert.equal(report.status, 'promoted', report.reason);
    assert.deepEqual(applied, { blue: 0, green: 100 });
    assert.deepEqual((await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value.weights, {
      blue: 0,
      green: 100,
    });
    assert.deepEqual(
      order,
      [
        'suspend blue',
        'suspend green',
        'bounds green 3–10',
        'record',
        'up',
        'record',
        'up',
        'bounds green 2–10',
        'resume blue',
        'resume green',
      ],
      'scale-in held and green raised to ⌈2 × 1.2⌉ before the first step; two steps, each recorded then applied; no listener write; all released at the end',
    );
  });

  it('a 5xx breach after the split: one ModifyListener to blue 100 first, then record, then up', async () => {
    const { driver, store } = await setup('rollback');
    const clock = new FakeClock();
    const emit = (e: ShiftEvent) => {
      if (e.action === 'split-confirmed') errors5xx = 180;
    };
    const report = await startShift(
      { driver, clock, emit, splitSampleSize: 200 },
      { to: 'green', bakeSeconds: 120 },
    );
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /metrics 1200 req, 5xx 15%/);
    assert.deepEqual(applied, { blue: 100, green: 0 });
    assert.deepEqual(order, HOLD_ROLLBACK_RELEASE);
    assert.deepEqual((await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value.weights, {
      blue: 100,
      green: 0,
    });
  });

  it('the shift record deleted mid-shift: one ModifyListener back to blue 100, and a record saying so', async () => {
    const { driver, store } = await setup('deleted');
    const emit = (e: ShiftEvent) => {
      if (e.action === 'split-confirmed') deleted = true;
    };
    const report = await startShift(
      { driver, clock: new FakeClock(), emit, splitSampleSize: 200 },
      { to: 'green', bakeSeconds: 120 },
    );
    assert.equal(report.status, 'rolled-back', report.reason);
    assert.match(report.reason, /the shift record disappeared/);
    assert.deepEqual(applied, { blue: 100, green: 0 });
    assert.deepEqual(order, HOLD_ROLLBACK_RELEASE);
    const rec = await store.read(SHIFT_DOCUMENT, parseShiftRecord);
    assert.equal(rec?.value.status, 'rolled-back', 'the record is written again, saying what happened');
  });

  it('reset --to blue with a record that fails validation: ModifyListener first, the record left untouched', async () => {
    const { driver, store } = await setup('reset');
    const key = documentKey({ bucket: 'state', prefix: 'reset' }, SHIFT_DOCUMENT);
    await s3.client.send(new PutObjectCommand({ Bucket: 'state', Key: key, Body: '{"schema":1,"id":' }));
    await recordWeights(store, { blue: 90, green: 10 }, 'test', new Date());
    applied = { blue: 90, green: 10 };
    const outcome = await resetShift({ driver, clock: new FakeClock() }, 'blue');
    assert.deepEqual(applied, { blue: 100, green: 0 });
    assert.deepEqual(order.slice(0, 2), ['ModifyListener', 'record'], 'the listener first, then the record');
    assert.deepEqual((await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value.weights, {
      blue: 100,
      green: 0,
    });
    assert.match(outcome.recordProblem ?? '', /traffic\/shift\.json is not a valid document/);
    const body = await s3.client.send(new GetObjectCommand({ Bucket: 'state', Key: key }));
    assert.equal(
      await body.Body?.transformToString(),
      '{"schema":1,"id":',
      'a bad record is never written over',
    );
  });
});
