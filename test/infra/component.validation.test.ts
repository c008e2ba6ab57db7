// Pure validators and argument resolution of ExchangeEnvironment: the AWS limits that only fail
// at deploy time, as tables of accepted and rejected values.
import assert from 'node:assert/strict';
import {
  DEFAULTS,
  resolveArgs,
  type ExchangeEnvironmentArgs,
} from '../../components/exchangeEnvironment/args.ts';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import {
  checkFargateSize,
  checkImage,
  checkLogRetention,
  checkScheduleExpression,
  checkTimezone,
  FARGATE_MEMORY,
} from '../../components/exchangeEnvironment/limits.ts';
import {
  environmentNames,
  testRouteHeader,
  testRoutePriority,
} from '../../components/exchangeEnvironment/naming.ts';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

/** Asserts fn throws an EnvironmentArgError for `arg` whose message shows the value and an allowed hint. */
function rejects(fn: () => void, arg: string, mentions: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EnvironmentArgError, `expected EnvironmentArgError, got ${String(err)}`);
    assert.equal(err.arg, arg);
    for (const m of mentions) assert.ok(err.message.includes(m), `"${err.message}" should mention "${m}"`);
    return true;
  });
}

describe('ExchangeEnvironment limits', () => {
  describe('Fargate cpu/memory pairs', () => {
    const accepted: [number, number][] = [
      [256, 512],
      [256, 2048],
      [512, 1024],
      [512, 4096],
      [1024, 8192],
      [2048, 16384],
      [4096, 30720],
      [8192, 61440],
      [16384, 122880],
    ];
    for (const [cpu, memory] of accepted) it(`accepts ${cpu}/${memory}`, () => checkFargateSize(cpu, memory));
    const rejected: [number, number, string, string][] = [
      [256, 4096, 'memory', '512, 1024, 2048'],
      [512, 512, 'memory', '1024, 2048, 3072, 4096'],
      [1024, 1536, 'memory', '2048–8192'],
      [8192, 17408, 'memory', 'steps of 4096'],
      [300, 512, 'cpu', '256, 512, 1024'],
    ];
    for (const [cpu, memory, arg, allowed] of rejected) {
      it(`rejects ${cpu}/${memory} naming ${arg}`, () =>
        rejects(() => checkFargateSize(cpu, memory), arg, [allowed]));
    }
    it('lists 16–60 GiB in 4 GiB steps for 8192 cpu', () => {
      assert.deepEqual(
        FARGATE_MEMORY[8192],
        [16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440],
      );
    });
  });

  describe('log retention', () => {
    for (const days of [1, 30, 365, 3653]) it(`accepts ${days}`, () => checkLogRetention(days));
    for (const days of [0, 2, 31, 366, 10000])
      it(`rejects ${days}`, () =>
        rejects(() => checkLogRetention(days), 'logRetentionDays', [String(days), '1, 3, 5, 7, 14, 30']));
  });

  describe('image pinning', () => {
    const ok = [
      `ghcr.io/acme/exchange@${DIGEST}`,
      'ghcr.io/acme/exchange:1.4.2',
      `ghcr.io/acme/exchange:1.4.2@${DIGEST}`,
      'localhost:5000/team/app:v2.0.1',
    ];
    for (const image of ok) it(`accepts ${image.slice(0, 40)}`, () => checkImage(image));
    const bad = [
      'ghcr.io/acme/exchange',
      'ghcr.io/acme/exchange:latest',
      'ghcr.io/acme/exchange:MAIN',
      // Not on a deny-list, still movable: only a digest or a full x.y.z tag passes.
      'ghcr.io/acme/exchange:sha-3f8a1c0',
      'localhost:5000/team/app:v2',
      'ghcr.io/acme/exchange@sha256:abc',
      'exchange:1.0.0',
      'ghcr.io/Acme/exchange:1.0.0',
      '',
    ];
    for (const image of bad)
      it(`rejects "${image}"`, () => rejects(() => checkImage(image), 'image', ['@sha256:<64 hex>']));
  });

  describe('schedule expressions', () => {
    const ok = [
      'cron(30 15 ? * SUN-THU *)',
      'cron(0 18 ? * MON-FRI *)',
      'cron(0/15 * * * ? *)',
      'cron(0 8 1 * ? *)',
      'rate(1 day)',
      'rate(6 hours)',
      'rate(1 minute)',
    ];
    for (const e of ok) it(`accepts ${e}`, () => checkScheduleExpression(e));
    const bad = [
      'cron(30 15 * * MON-FRI *)', // both day fields set
      'cron(30 15 ? * ? *)', // neither set
      'cron(30 15 ? * MON-FRI)', // 5 fields (Unix cron)
      '30 15 * * 1-5',
      'rate(0 days)',
      'rate(1 days)',
      'rate(5 day)',
      'rate(2 weeks)',
      'at(2030-01-01T00:00:00)',
    ];
    for (const e of bad)
      it(`rejects ${e}`, () =>
        rejects(() => checkScheduleExpression(e), 'scheduleExpression', [e, 'cron(min hour']));
  });

  describe('time zones', () => {
    for (const tz of ['UTC', 'Asia/Dhaka', 'Europe/Warsaw']) it(`accepts ${tz}`, () => checkTimezone(tz));
    for (const tz of ['Mars/Olympus', '', 'CEST+99'])
      it(`rejects "${tz}"`, () => rejects(() => checkTimezone(tz), 'scheduleTimezone', ['IANA']));
  });
});

describe('ExchangeEnvironment naming', () => {
  it('derives colour-bearing names and a family per colour', () => {
    const n = environmentNames('exchange-green', 'green');
    assert.equal(n.targetGroup, 'exchange-green-tg');
    assert.equal(n.family, 'exchange-green');
    assert.equal(n.bucket, 'exchange-green-site');
    assert.equal(environmentNames('exchange-blue', 'blue').family, 'exchange-blue');
  });
  it('keeps the target group logical name within 24 characters', () => {
    const longest = 'a-very-long-env-green';
    assert.equal(environmentNames(longest, 'green').targetGroup.length, 24);
    rejects(() => environmentNames(`${longest}x`, 'green'), 'name', ['at most 21']);
  });
  it('rejects names without the colour, with upper case or underscores', () => {
    rejects(() => environmentNames('exchange-blue', 'green'), 'name', ['"green"']);
    rejects(() => environmentNames('Exchange-green', 'green'), 'name', ['lower-case']);
    rejects(() => environmentNames('exchange_green', 'green'), 'name', ['lower-case']);
  });
  it('gives each colour its own test-route priorities and header', () => {
    assert.equal(testRoutePriority('blue', 'sourceIp'), 100);
    assert.equal(testRoutePriority('green', 'sourceIp'), 200);
    const all = (['blue', 'green'] as const).flatMap((c) =>
      (['sourceIp', 'testKey'] as const).map((k) => testRoutePriority(c, k)),
    );
    assert.equal(new Set(all).size, 4, `every test route has its own priority: ${all.join(', ')}`);
    assert.equal(testRouteHeader('green'), 'X-Exchange-Color: green');
  });
});

describe('ExchangeEnvironment args', () => {
  const base: ExchangeEnvironmentArgs = {
    color: 'green',
    image: `ghcr.io/acme/exchange@${DIGEST}`,
    version: '1.4.2',
    source: 'dse',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-1', 'subnet-2'],
    assignPublicIp: false,
    clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/c',
    albSecurityGroupId: 'sg-1',
    listenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/a/1/2',
    scheduleExpression: 'rate(1 day)',
    testRouteSourceCidrs: ['198.51.100.0/24'],
  };

  it('applies every documented default', () => {
    const r = resolveArgs(base);
    assert.deepEqual(
      { ...DEFAULTS },
      {
        scheduleTimezone: r.scheduleTimezone,
        cpu: r.cpu,
        memory: r.memory,
        desiredCount: r.desiredCount,
        logRetentionDays: r.logRetentionDays,
        maxDataAge: r.maxDataAge,
        deregistrationDelaySeconds: r.deregistrationDelaySeconds,
        healthCheckGracePeriodSeconds: r.healthCheckGracePeriodSeconds,
        stopTimeoutSeconds: r.stopTimeoutSeconds,
        rawRetentionDays: r.rawRetentionDays,
        failedRetentionDays: r.failedRetentionDays,
        noncurrentVersionRetentionDays: r.noncurrentVersionRetentionDays,
        forceDestroyBucket: r.forceDestroyBucket,
        alertEmail: r.alertEmail,
        protectTargetGroup: r.protectTargetGroup,
      },
    );
    assert.equal(r.cpu, 256);
    assert.equal(r.memory, 512);
    assert.equal(r.desiredCount, 2);
    assert.equal(r.scheduleTimezone, 'UTC');
    assert.deepEqual(r.tags, {});
    assert.equal(r.command, undefined);
  });
  it('keeps explicit zeros (?? not ||)', () => {
    const r = resolveArgs({
      ...base,
      autoScaling: { scaleOutCooldownSeconds: 0 },
      deregistrationDelaySeconds: 0,
      healthCheckGracePeriodSeconds: 0,
    });
    assert.equal(r.autoScaling.scaleOutCooldownSeconds, 0);
    assert.equal(r.deregistrationDelaySeconds, 0);
    assert.equal(r.healthCheckGracePeriodSeconds, 0);
  });
  const errors: [Partial<ExchangeEnvironmentArgs>, string][] = [
    [{ color: 'red' as 'green' }, 'color'],
    [{ image: 'ghcr.io/acme/exchange:latest' }, 'image'],
    [{ version: '' }, 'version'],
    [{ source: 'DSE!' }, 'source'],
    [{ maxDataAge: '4 days' }, 'maxDataAge'],
    [{ scheduleExpression: 'daily' }, 'scheduleExpression'],
    [{ scheduleTimezone: 'Nowhere/City' }, 'scheduleTimezone'],
    [{ cpu: 512, memory: 512 }, 'memory'],
    [{ desiredCount: -1 }, 'desiredCount'],
    [{ desiredCount: 1.5 }, 'desiredCount'],
    [{ logRetentionDays: 45 }, 'logRetentionDays'],
    [{ deregistrationDelaySeconds: 3601 }, 'deregistrationDelaySeconds'],
    [{ deregistrationDelaySeconds: 30, stopTimeoutSeconds: 30 }, 'deregistrationDelaySeconds'],
    [{ stopTimeoutSeconds: 121 }, 'stopTimeoutSeconds'],
    [{ rawRetentionDays: 0 }, 'rawRetentionDays'],
    [{ failedRetentionDays: 0 }, 'failedRetentionDays'],
    [{ noncurrentVersionRetentionDays: 0 }, 'noncurrentVersionRetentionDays'],
    [{ command: [] }, 'command'],
  ];
  for (const [override, arg] of errors) {
    it(`rejects ${JSON.stringify(override)} naming ${arg}`, () =>
      rejects(() => resolveArgs({ ...base, ...override }), arg, ['allowed:']));
  }
  it('formats one line with the fix', () => {
    try {
      resolveArgs({ ...base, cpu: 256, memory: 4096 });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof EnvironmentArgError);
      assert.equal(
        err.oneLine(),
        'memory: 4096 is not allowed; allowed: for cpu 256: 512, 1024, 2048 — Fargate cpu/memory pairs (MiB)',
      );
      assert.equal(err.exitCode, 2);
    }
  });
});
