// Autoscaling of a colour's service: the component's scalable target and two tracking policies (mocks),
// the stack config keys with their defaults and named errors, the bounds a recorded capacity decision
// declares at `up`, and each policy-pack rule at its boundaries.
import assert from 'node:assert/strict';
import { albResourceLabel } from '../../components/exchangeEnvironment/scaling.ts';
import { AUTO_SCALING_DEFAULTS } from '../../components/exchangeEnvironment/scalingArgs.ts';
import { initialDesiredCount } from '../../components/exchangeEnvironment/service.ts';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { parseEnvironmentConfig } from '../../infra/environment/config.ts';
import { capacityAtUp, storeCapacityReader } from '../../infra/environment/capacityAtUp.ts';
import { recordCapacity } from '../../release/state/capacity.ts';
import type { DocumentStore } from '../../release/state/store.ts';
import { CLUSTER, LISTENER, useComponentFixture } from './component.helpers.ts';
import { stackFileConfig } from './environment.helpers.ts';
import { promiseOf } from '../../infra/testing/mocks.ts';
import { messages } from './policyHarness.ts';

const TARGET = 'aws:appautoscaling/target:Target';
const POLICY = 'aws:appautoscaling/policy:Policy';
const LABEL = 'app/exchange-alb/50dc6c495c0c9188/targetgroup/exchange-green-tg/2453ed029918f21f';

describe('autoscaling of a colour (component, mocks)', () => {
  const f = useComponentFixture();

  it('registers the service’s desired count between min and max, on the service in the shared cluster', async () => {
    const env = await f.build();
    const t = f.h.one(TARGET).inputs;
    assert.deepEqual(
      [t.serviceNamespace, t.scalableDimension, t.minCapacity, t.maxCapacity],
      [
        'ecs',
        'ecs:service:DesiredCount',
        AUTO_SCALING_DEFAULTS.minCapacity,
        AUTO_SCALING_DEFAULTS.maxCapacity,
      ],
    );
    assert.equal(t.resourceId, `service/exchange-cluster/${await promiseOf(env.serviceName)}`);
  });

  it('tracks requests per task (ALBRequestCountPerTarget on this target group) and CPU, with the cooldowns', async () => {
    await f.build({
      autoScaling: { requestsPerTaskPerMinute: 4200, cpuPercent: 55, scaleOutCooldownSeconds: 30 },
    });
    const byMetric = Object.fromEntries(
      f.h.ofType(POLICY).map((p) => {
        const c = p.inputs.targetTrackingScalingPolicyConfiguration;
        return [c.predefinedMetricSpecification.predefinedMetricType, c];
      }),
    );
    const requests = byMetric.ALBRequestCountPerTarget;
    const cpu = byMetric.ECSServiceAverageCPUUtilization;
    assert.equal(requests.targetValue, 4200);
    assert.equal(cpu.targetValue, 55);
    assert.deepEqual([requests.scaleOutCooldown, requests.scaleInCooldown], [30, 300]);
    assert.match(
      requests.predefinedMetricSpecification.resourceLabel,
      /^app\/exchange-alb\/[0-9a-f]+\/targetgroup\/exchange-green-tg-[0-9a-f]+\/[0-9a-f]+$/,
    );
    for (const p of f.h.ofType(POLICY)) assert.equal(p.inputs.policyType, 'TargetTrackingScaling');
  });

  it('declares the recorded decision’s bounds instead (standby), and starts the service inside them', async () => {
    await f.build({ scalingBounds: { min: 0, max: 0 } });
    const t = f.h.one(TARGET).inputs;
    assert.deepEqual([t.minCapacity, t.maxCapacity], [0, 0]);
    assert.equal(f.h.one('aws:ecs/service:Service').inputs.desiredCount, 0);
  });

  it('refuses bad scaling arguments before anything is registered, naming the field', async () => {
    const cases: [object, string][] = [
      [{ autoScaling: { minCapacity: 0 } }, 'autoScaling.minCapacity'],
      [{ autoScaling: { minCapacity: 3, maxCapacity: 2 } }, 'autoScaling.maxCapacity'],
      [{ autoScaling: { cpuPercent: 91 } }, 'autoScaling.cpuPercent'],
      [{ autoScaling: { cpuPercent: 9 } }, 'autoScaling.cpuPercent'],
      [{ autoScaling: { scaleInCooldownSeconds: 3601 } }, 'autoScaling.scaleInCooldownSeconds'],
      [{ autoScaling: { requestsPerTaskPerMinute: 0 } }, 'autoScaling.requestsPerTaskPerMinute'],
      [{ desiredCount: 11 }, 'desiredCount'],
      [{ desiredCount: 1 }, 'desiredCount'],
      [{ scalingBounds: { min: 2, max: 1 } }, 'scalingBounds.max'],
    ];
    for (const [overrides, arg] of cases) {
      f.h.reset();
      await assert.rejects(
        f.build(overrides),
        (e: unknown) => e instanceof Error && (e as EnvironmentArgError).arg === arg,
        `${JSON.stringify(overrides)} must name ${arg}`,
      );
      assert.deepEqual(f.h.resources, [], 'nothing registered');
    }
    await assert.doesNotReject(
      f.build({ autoScaling: { cpuPercent: 90, minCapacity: 1, maxCapacity: 1 }, desiredCount: 1 }),
    );
  });
});

describe('autoscaling pure parts', () => {
  it('the resource label joins the listener’s load balancer and the target group’s ARN suffix', () => {
    assert.equal(
      albResourceLabel(LISTENER, 'targetgroup/exchange-green-tg/2453ed029918f21f'),
      'app/exchange-alb/50dc6c495c0c9188/targetgroup/exchange-green-tg/2453ed029918f21f',
    );
    assert.throws(() => albResourceLabel(CLUSTER, 'targetgroup/x/1'), /listenerArn/);
    assert.throws(() => albResourceLabel(LISTENER, 'x/1'), /targetGroupArnSuffix/);
  });

  it('the initial count is desiredCount clamped into the bounds in force', () => {
    const r = { desiredCount: 2, autoScaling: AUTO_SCALING_DEFAULTS };
    assert.equal(initialDesiredCount(r), 2);
    assert.equal(initialDesiredCount({ ...r, scalingBounds: { min: 0, max: 0 } }), 0);
    assert.equal(initialDesiredCount({ ...r, scalingBounds: { min: 5, max: 12 } }), 5);
  });
});

describe('scaling config keys', () => {
  const parse = (extra: Record<string, string>) =>
    parseEnvironmentConfig({ ...stackFileConfig('green'), ...extra }, 'green');

  it('defaults as documented; every key read from the stack file', () => {
    const cfg = parse({});
    assert.deepEqual(cfg.autoScaling, AUTO_SCALING_DEFAULTS);
    assert.equal(cfg.standbyTasks, 0);
    const set = parse({
      'exchange:minCapacity': '3',
      'exchange:maxCapacity': '12',
      'exchange:requestsPerTaskPerMinute': '9000',
      'exchange:targetCpuPercent': '70',
      'exchange:scaleOutCooldownSeconds': '45',
      'exchange:scaleInCooldownSeconds': '600',
      'exchange:standbyTasks': '1',
      'exchange:desiredCount': '3',
    });
    assert.deepEqual(set.autoScaling, {
      minCapacity: 3,
      maxCapacity: 12,
      requestsPerTaskPerMinute: 9000,
      cpuPercent: 70,
      scaleOutCooldownSeconds: 45,
      scaleInCooldownSeconds: 600,
    });
    assert.equal(set.standbyTasks, 1);
  });

  for (const [key, value, mention] of [
    ['targetCpuPercent', '95', 'from 10 to 90'],
    ['minCapacity', '0', 'from 1 to 5000'],
    ['maxCapacity', '1', 'from 2 to 5000'],
    ['scaleOutCooldownSeconds', '3601', 'from 0 to 3600'],
    ['standbyTasks', '11', 'from 0 to maxCapacity (10)'],
  ] as const)
    it(`rejects ${key} ${value} naming exchange:${key}`, () => {
      assert.throws(
        () => parse({ [`exchange:${key}`]: value }),
        (e: unknown) =>
          e instanceof EnvironmentArgError && e.arg === `exchange:${key}` && e.message.includes(mention),
      );
    });

  it('accepts standbyTasks at exactly maxCapacity', () => {
    assert.equal(parse({ 'exchange:standbyTasks': '10' }).standbyTasks, 10);
  });
});

describe('capacity decisions at up', () => {
  function memoryStore(): DocumentStore {
    const docs = new Map<string, { value: unknown; etag: string }>();
    let n = 0;
    return {
      async read(name, parse) {
        const d = docs.get(name);
        return d && { value: parse(d.value), etag: d.etag };
      },
      async write(name, value, ifMatch) {
        if ((docs.get(name)?.etag ?? null) !== ifMatch) throw new Error('conflict');
        const etag = `e${++n}`;
        docs.set(name, { value: structuredClone(value), etag });
        return etag;
      },
      where: (name) => `memory://${name}`,
    };
  }

  it('reads the recorded mode for the colour, and says where the bounds came from', async () => {
    const store = memoryStore();
    const log: string[] = [];
    const read = storeCapacityReader(store);
    assert.equal(await capacityAtUp('blue', read, (l) => log.push(l)), undefined);
    await recordCapacity(store, 'blue', { mode: 'standby', tasks: 0 }, 'scale-down', new Date());
    assert.deepEqual(await capacityAtUp('blue', read, (l) => log.push(l)), { mode: 'standby', tasks: 0 });
    assert.deepEqual(log, [
      'blue: scaling within the configured min/max (no capacity decision recorded)',
      'blue: scaling bounds from the release state: standby 0 tasks',
    ]);
  });
});

describe('policy pack: Application Auto Scaling', () => {
  const target = {
    serviceNamespace: 'ecs',
    scalableDimension: 'ecs:service:DesiredCount',
    resourceId: 'service/c/s',
  };
  const tracking = (c: Record<string, unknown>) => ({
    policyType: 'TargetTrackingScaling',
    targetTrackingScalingPolicyConfiguration: c,
  });
  const requests = (label: unknown, extra: Record<string, unknown> = {}) =>
    tracking({
      targetValue: 6000,
      predefinedMetricSpecification: {
        predefinedMetricType: 'ALBRequestCountPerTarget',
        resourceLabel: label,
      },
      ...extra,
    });
  const cpu = (targetValue: number) =>
    tracking({
      targetValue,
      predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });

  it('scalable-target-bounds: min = max and 0–5000 pass; one past each edge fails with the value', async () => {
    assert.deepEqual(
      await messages('scalable-target-bounds', TARGET, { ...target, minCapacity: 0, maxCapacity: 0 }),
      [],
    );
    assert.deepEqual(
      await messages('scalable-target-bounds', TARGET, { ...target, minCapacity: 5000, maxCapacity: 5000 }),
      [],
    );
    assert.deepEqual(
      await messages('scalable-target-bounds', TARGET, { ...target, minCapacity: 3, maxCapacity: 2 }),
      ['minCapacity 3 exceeds maxCapacity 2: RegisterScalableTarget refuses it.'],
    );
    assert.deepEqual(
      await messages('scalable-target-bounds', TARGET, { ...target, minCapacity: -1, maxCapacity: 5001 }),
      ['minCapacity -1 is not an integer 0–5000.', 'maxCapacity 5001 is not an integer 0–5000.'],
    );
    assert.deepEqual(
      await messages('scalable-target-bounds', TARGET, {
        ...target,
        scalableDimension: 'ecs:service:RunningCount',
        resourceId: 'cluster/c/s',
        minCapacity: 1,
        maxCapacity: 2,
      }),
      [
        'scalableDimension "ecs:service:RunningCount" of an ECS service must be ecs:service:DesiredCount.',
        'resourceId "cluster/c/s" is not service/<cluster name>/<service name>.',
      ],
    );
  });

  it('target-tracking-ranges: CPU 10 and 90 pass, 9 and 91 fail; a target of 0 fails', async () => {
    for (const ok of [10, 90])
      assert.deepEqual(await messages('target-tracking-ranges', POLICY, cpu(ok)), []);
    for (const bad of [9, 91])
      assert.deepEqual(await messages('target-tracking-ranges', POLICY, cpu(bad)), [
        `CPU targetValue ${bad} % is outside 10–90: no room to absorb a burst, or idle tasks.`,
      ]);
    assert.deepEqual(await messages('target-tracking-ranges', POLICY, requests(LABEL, { targetValue: 0 })), [
      'targetValue 0 must be above 0.',
    ]);
  });

  it('target-tracking-ranges: cooldowns 0 and 3600 pass, 3601 and -1 fail', async () => {
    assert.deepEqual(
      await messages(
        'target-tracking-ranges',
        POLICY,
        requests(LABEL, { scaleInCooldown: 0, scaleOutCooldown: 3600 }),
      ),
      [],
    );
    assert.deepEqual(
      await messages(
        'target-tracking-ranges',
        POLICY,
        requests(LABEL, { scaleInCooldown: 3601, scaleOutCooldown: -1 }),
      ),
      ['scaleInCooldown 3601 s is not an integer 0–3600.', 'scaleOutCooldown -1 s is not an integer 0–3600.'],
    );
  });

  it('target-tracking-ranges: the request policy needs the target group’s resource label, well formed', async () => {
    assert.deepEqual(await messages('target-tracking-ranges', POLICY, requests(LABEL)), []);
    assert.deepEqual(await messages('target-tracking-ranges', POLICY, requests(undefined)), [
      'ALBRequestCountPerTarget needs a resourceLabel naming the target group.',
    ]);
    const bad =
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-green-tg/2453ed029918f21f';
    assert.deepEqual(await messages('target-tracking-ranges', POLICY, requests(bad)), [
      `resourceLabel "${bad}" is not app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id> (the ARN suffixes of the load balancer and the target group).`,
    ]);
  });
});
