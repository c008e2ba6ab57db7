// The AWS driver with aws-sdk-client-mock (real response shapes), the durable store on the embedded
// S3, and the Automation API over a fake `pulumi` binary: exact requests, the fast-rollback order, and
// what each failing call leaves behind.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { s3DocumentStore } from '../../release/state/store.ts';
import { WEIGHTS_DOCUMENT } from '../../release/state/traffic.ts';
import { createAwsDriver, targetsFromOutputs, type AwsTargets } from '../../shift/drivers/aws.ts';
import { probeClient } from '../../shift/drivers/http.ts';
import { listenerOnly, selectStack, type StackOps } from '../../shift/drivers/pulumiStack.ts';
import { DriverError, RollbackIncompleteError } from '../../shift/errors.ts';
import type { ShiftDriver } from '../../shift/port.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';
import { mockAwsClients } from './awsMocks.ts';
import { createFakePulumi, type FakePulumi } from './fakePulumi.ts';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/exchange-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';
const BLUE_TG =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-blue-tg/73e2d6bc24d8a067';
const GREEN_TG =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-green-tg/2453ed029918f21f';
const LISTENER_URN = 'urn:pulumi:shared::exchange-shared::aws:lb/listener:Listener::exchange-http';
const TARGETS: AwsTargets = {
  listenerArn: LISTENER,
  url: 'http://127.0.0.1:9',
  targetGroupArns: { blue: BLUE_TG, green: GREEN_TG },
  cluster: 'exchange',
  serviceNames: { blue: 'exchange-blue', green: 'exchange-green' },
};

function listenerOutput(blue: number, green: number) {
  return {
    Listeners: [
      {
        ListenerArn: LISTENER,
        LoadBalancerArn:
          'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/exchange-alb/50dc6c495c0c9188',
        Port: 80,
        Protocol: 'HTTP' as const,
        DefaultActions: [
          {
            Type: 'forward' as const,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BLUE_TG, Weight: blue },
                { TargetGroupArn: GREEN_TG, Weight: green },
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      },
    ],
  };
}

describe('AWS shift driver', () => {
  const { clients, elb, ecs, cw } = mockAwsClients();
  let s3: TestS3;
  let fake: FakePulumi;
  let workDir: string;
  let log: string[];
  let driver: ShiftDriver;

  before(async () => {
    s3 = await startTestS3('state');
  });
  after(async () => s3.close());

  beforeEach(async () => {
    elb.reset();
    ecs.reset();
    cw.reset();
    log = [];
    fake = await createFakePulumi();
    workDir = await mkdtemp(join(tmpdir(), 'shift-shared-'));
    await writeFile(join(workDir, 'Pulumi.yaml'), 'name: exchange-shared\nruntime: nodejs\n');
    const real = await selectStack({ workDir, stackName: 'shared', pulumiRoot: fake.root });
    const logged: StackOps = { ...real, up: async (o) => (log.push('up'), real.up(o)) };
    const sharedStack = listenerOnly(logged, { listenerUrn: LISTENER_URN });
    const store = s3DocumentStore(s3.client, {
      bucket: 'state',
      prefix: `t${Math.random().toString(36).slice(2)}`,
    });
    const loggedStore = {
      ...store,
      write: async <T>(n: string, v: T, e: string | null) => (log.push(`record ${n}`), store.write(n, v, e)),
    };
    elb.on(DescribeListenersCommand).resolves(listenerOutput(90, 10));
    elb.on(ModifyListenerCommand).callsFake(() => (log.push('ModifyListener'), {}));
    driver = createAwsDriver({
      ...clients,
      targets: TARGETS,
      store: loggedStore,
      sharedStack,
      http: probeClient(500),
      now: () => new Date('2026-12-01T05:00:00Z'),
    });
  });
  afterEach(async () => {
    await fake.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('reads the live weights from the listener default action, by target group', async () => {
    assert.deepEqual(await driver.readLiveWeights(), { blue: 90, green: 10 });
    assert.deepEqual(elb.commandCalls(DescribeListenersCommand)[0]?.args[0].input, {
      ListenerArns: [LISTENER],
    });
  });

  it('a step write records the weights, then runs pulumi up targeting only the listener — and never calls ModifyListener', async () => {
    await driver.writeWeights({ blue: 75, green: 25 });
    assert.deepEqual(log, [`record ${WEIGHTS_DOCUMENT}`, 'up']);
    assert.deepEqual(await driver.readRecordedWeights?.(), { blue: 75, green: 25 });
    const calls = await fake.calls();
    assert.ok(
      calls.some((c) => /^stack select --stack shared/.test(c)),
      calls.join(' | '),
    );
    const ups = calls.filter((c) => /^up /.test(c));
    assert.equal(ups.length, 1, calls.join(' | '));
    assert.match(
      ups[0] ?? '',
      new RegExp(
        `^up --yes --skip-preview --target ${LISTENER_URN.replace(/[$/]/g, '\\$&')} .*--stack shared`,
      ),
      'the step must change the listener and nothing else the shared stack declares',
    );
    assert.doesNotMatch(ups[0] ?? '', /--target-dependents/);
    assert.equal(elb.commandCalls(ModifyListenerCommand).length, 0);
  });

  it('fast rollback: ModifyListener first (all weights, stickiness kept), then the record, then up', async () => {
    await driver.rollbackWeights({ blue: 100, green: 0 });
    assert.deepEqual(log, ['ModifyListener', `record ${WEIGHTS_DOCUMENT}`, 'up']);
    assert.deepEqual(elb.commandCalls(ModifyListenerCommand)[0]?.args[0].input, {
      ListenerArn: LISTENER,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: BLUE_TG, Weight: 100 },
              { TargetGroupArn: GREEN_TG, Weight: 0 },
            ],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
  });

  it('ModifyListener failing: a DriverError saying the listener is unchanged; nothing recorded, no up', async () => {
    elb.on(ModifyListenerCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: elasticloadbalancing:ModifyListener'), {
        name: 'AccessDenied',
      }),
    );
    await assert.rejects(
      driver.rollbackWeights({ blue: 100, green: 0 }),
      (e: unknown) =>
        e instanceof DriverError &&
        !(e instanceof RollbackIncompleteError) &&
        /ModifyListener failed: AccessDenied.*still holds its previous weights/.test(e.message),
    );
    assert.deepEqual(log, []);
  });

  it('up failing after the listener write: RollbackIncompleteError, and the record already holds the rollback weights', async () => {
    await fake.failUp('error: the stack is currently locked by 1 lock(s)');
    await assert.rejects(
      driver.rollbackWeights({ blue: 100, green: 0 }),
      (e: unknown) =>
        e instanceof RollbackIncompleteError &&
        /listener rolled back to blue 100 \/ green 0, then pulumi up --stack shared failed: .*locked/.test(
          e.message,
        ),
    );
    assert.deepEqual(await driver.readRecordedWeights?.(), { blue: 100, green: 0 });
  });

  it('recording failing after the listener write: RollbackIncompleteError naming the document', async () => {
    const bad = createAwsDriver({
      ...clients,
      targets: TARGETS,
      store: s3DocumentStore(s3.client, { bucket: 'no-such-bucket', prefix: '' }),
      sharedStack: { stackName: 'shared', listenerUrn: LISTENER_URN, up: async () => undefined },
      http: probeClient(500),
      now: () => new Date(),
    });
    await assert.rejects(
      bad.rollbackWeights({ blue: 100, green: 0 }),
      (e: unknown) =>
        e instanceof RollbackIncompleteError &&
        /recording weights blue 100 \/ green 0 in s3:\/\/no-such-bucket\/exchange-release\/traffic\/weights\.json failed/.test(
          e.message,
        ),
    );
  });

  it('a step write whose up fails says the weights are recorded and what the listener may hold', async () => {
    await fake.failUp('error: update failed');
    await assert.rejects(
      driver.writeWeights({ blue: 50, green: 50 }),
      (e: unknown) =>
        e instanceof DriverError &&
        /weights blue 50 \/ green 50 are recorded but pulumi up .*failed.*may still hold the previous weights/.test(
          e.message,
        ),
    );
  });

  it('target health: registered, healthy and the service desired count', async () => {
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: '10.0.1.5', Port: 8080 }, TargetHealth: { State: 'healthy' } },
        {
          Target: { Id: '10.0.2.7', Port: 8080 },
          TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress' },
        },
      ],
    });
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'exchange-green', desiredCount: 2, runningCount: 2 }],
      failures: [],
    });
    assert.deepEqual(await driver.targetHealth('green'), {
      registered: 2,
      healthy: 1,
      desired: 2,
      initial: 1,
      draining: 0,
      pending: 0,
    });
    assert.deepEqual(elb.commandCalls(DescribeTargetHealthCommand)[0]?.args[0].input, {
      TargetGroupArn: GREEN_TG,
    });
    assert.deepEqual(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input, {
      cluster: 'exchange',
      services: ['exchange-green'],
    });
    elb.on(DescribeTargetHealthCommand).rejects(new Error('Throttling'));
    await assert.rejects(
      driver.targetHealth('green'),
      /DescribeTargetHealth failed: .*Throttling; green's target health is unknown/,
    );
  });

  it('metrics: one GetMetricData over whole minutes, per-target-group dimensions, p99 in ms; no RequestCount is no data', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', StatusCode: 'Complete', Timestamps: [new Date(), new Date()], Values: [300, 320] },
        { Id: 'errors', StatusCode: 'Complete', Timestamps: [new Date()], Values: [3] },
        { Id: 'p99', StatusCode: 'Complete', Timestamps: [new Date(), new Date()], Values: [0.12, 0.3] },
      ],
    });
    const from = Date.parse('2026-12-01T05:00:42Z');
    assert.deepEqual(await driver.metrics('green', { fromMs: from, toMs: from + 120_000 }), {
      requests: 620,
      errors5xx: 3,
      p99Ms: 300,
    });
    const input = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    assert.equal(input?.StartTime?.toISOString(), '2026-12-01T05:00:00.000Z', 'start floored to the minute');
    const q = input?.MetricDataQueries?.map((m) => [
      m.MetricStat?.Metric?.MetricName,
      m.MetricStat?.Stat,
      m.MetricStat?.Period,
    ]);
    assert.deepEqual(q, [
      ['RequestCount', 'Sum', 60],
      ['HTTPCode_Target_5XX_Count', 'Sum', 60],
      ['TargetResponseTime', 'p99', 60],
    ]);
    assert.deepEqual(input?.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions, [
      { Name: 'LoadBalancer', Value: 'app/exchange-alb/50dc6c495c0c9188' },
      { Name: 'TargetGroup', Value: 'targetgroup/exchange-green-tg/2453ed029918f21f' },
    ]);
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', Values: [] },
        { Id: 'errors', Values: [] },
        { Id: 'p99', Values: [] },
      ],
    });
    assert.deepEqual(await driver.metrics('green', { fromMs: from, toMs: from + 60_000 }), {
      requests: null,
      errors5xx: null,
      p99Ms: null,
    });
  });

  it('a test-route probe without the colour’s listener rule fails without sending a request', async () => {
    elb.on(DescribeRulesCommand).resolves({
      Rules: [{ RuleArn: 'r', Priority: 'default', IsDefault: true, Conditions: [], Actions: [] }],
    });
    const r = await driver.probe({ route: { via: 'test-route', color: 'green' }, path: '/healthz' });
    assert.equal(r.status, 0);
    assert.match(r.error ?? '', /no green test-route rule/);
  });

  it('targets come from the stack outputs and a missing output names the stack to deploy', () => {
    const env = (c: string, tg: string) => ({ targetGroupArn: tg, serviceName: `exchange-${c}` });
    const t = targetsFromOutputs(
      { listenerArn: LISTENER, url: 'http://alb', clusterName: 'exchange' },
      { blue: env('blue', BLUE_TG), green: env('green', GREEN_TG) },
    );
    assert.deepEqual(t.targetGroupArns, { blue: BLUE_TG, green: GREEN_TG });
    assert.throws(
      () =>
        targetsFromOutputs(
          { listenerArn: LISTENER, url: 'http://alb', clusterName: 'x' },
          { blue: env('blue', BLUE_TG), green: {} },
        ),
      /stack green has no output "targetGroupArn"/,
    );
  });
});
