// The AWS-limit guardrails on hand-made resources: the good shape passes, each bad shape reports its message.
import assert from 'node:assert/strict';
import { bucketNameProblem, fargateMemoryAllowed } from '../../infra/policy/limits.ts';
import { evaluatePolicies } from '../../infra/policy/evaluate.ts';
import { policies } from '../../infra/policy/policies.ts';
import { messages } from './policyHarness.ts';

const TG = 'aws:lb/targetGroup:TargetGroup';
const LB = 'aws:lb/loadBalancer:LoadBalancer';
const LISTENER = 'aws:lb/listener:Listener';
const RULE = 'aws:lb/listenerRule:ListenerRule';
const TD = 'aws:ecs/taskDefinition:TaskDefinition';
const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/1';

describe('policy pack: AWS limits', () => {
  it('has unique names, descriptions and mandatory enforcement', () => {
    assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
    for (const p of policies) {
      assert.ok(p.description.length > 20, p.name);
      assert.equal(p.enforcementLevel, 'mandatory', p.name);
    }
  });

  it('policies ignore resource types they are not about', async () => {
    const { violations, applied } = await evaluatePolicies(policies, [
      { type: 'aws:sqs/queue:Queue', name: 'q', inputs: {} },
    ]);
    assert.deepEqual(violations, []);
    assert.ok(Object.values(applied).every((n) => n === 0));
  });

  describe('lb-name-length', () => {
    it('accepts logical names ≤ 24 and explicit names ≤ 32', async () => {
      assert.deepEqual(await messages('lb-name-length', TG, {}, 'exchange-green-tg'), []);
      assert.deepEqual(
        await messages('lb-name-length', LB, { name: 'a'.repeat(32) }, 'a-very-long-logical-name-over-24'),
        [],
      );
    });
    it('rejects long logical names, long or malformed explicit names and long prefixes', async () => {
      assert.deepEqual(await messages('lb-name-length', TG, {}, 'exchange-green-target-grp'), [
        'Target group logical name "exchange-green-target-grp" (25 chars) becomes its AWS name plus an 8-char suffix; keep it ≤ 24 chars of [A-Za-z0-9-] or set an explicit name ≤ 32.',
      ]);
      assert.deepEqual(await messages('lb-name-length', LB, { name: 'exchange_alb' }), [
        'Load balancer name "exchange_alb" must be 1–32 of [A-Za-z0-9-], not starting or ending with "-".',
      ]);
      assert.deepEqual(await messages('lb-name-length', TG, { namePrefix: 'exchange' }), [
        'Target group namePrefix "exchange" is longer than 6 characters.',
      ]);
    });
  });

  describe('tg-health-check', () => {
    it('accepts a fast, valid health check', async () => {
      const healthCheck = {
        path: '/healthz',
        interval: 10,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      };
      assert.deepEqual(await messages('tg-health-check', TG, { healthCheck, deregistrationDelay: 30 }), []);
    });
    it('rejects timeout ≥ interval, including against the AWS defaults', async () => {
      assert.deepEqual(await messages('tg-health-check', TG, { healthCheck: { interval: 5 } }), [
        'Health check timeout 5 s must be less than the interval 5 s.',
      ]);
    });
    it('rejects ranges AWS refuses', async () => {
      const healthCheck = { interval: 400, timeout: 1, healthyThreshold: 11, path: 'healthz' };
      assert.deepEqual(await messages('tg-health-check', TG, { healthCheck, deregistrationDelay: 4000 }), [
        'Health check interval 400 s is outside 5–300.',
        'Health check timeout 1 s is outside 2–120.',
        'Health check healthyThreshold 11 is outside 2–10.',
        'Health check path "healthz" must start with "/".',
        'deregistrationDelay 4000 s is outside 0–3600.',
      ]);
    });
  });

  describe('fargate-cpu-memory', () => {
    const pairs: [number, number, boolean][] = [
      [256, 512, true],
      [256, 2048, true],
      [256, 4096, false],
      [512, 4096, true],
      [512, 512, false],
      [1024, 2048, true],
      [1024, 2500, false],
      [4096, 30720, true],
      [8192, 20480, true],
      [8192, 17408, false],
      [16384, 122880, true],
      [16384, 36864, false],
      [300, 1024, false],
    ];
    for (const [cpu, memory, ok] of pairs) {
      it(`${cpu}/${memory} is ${ok ? 'valid' : 'invalid'}`, () =>
        assert.equal(fargateMemoryAllowed(cpu, memory), ok));
    }
    it('reports an invalid pair on a Fargate task definition only', async () => {
      assert.deepEqual(
        await messages('fargate-cpu-memory', TD, {
          requiresCompatibilities: ['FARGATE'],
          cpu: '256',
          memory: '4096',
        }),
        ['Fargate cpu 256 / memory 4096 is not a valid pair (e.g. 256/512, 512/1024, 1024/2048).'],
      );
      assert.deepEqual(
        await messages('fargate-cpu-memory', TD, {
          requiresCompatibilities: ['EC2'],
          cpu: '256',
          memory: '4096',
        }),
        [],
      );
    });
  });

  describe('forward-weights and forward-stickiness', () => {
    const fwd = (targetGroups: object[], stickiness?: object) => ({
      defaultActions: [{ type: 'forward', forward: { targetGroups, ...(stickiness ? { stickiness } : {}) } }],
    });
    it('accepts 100/0 with stickiness', async () => {
      const l = fwd(
        [
          { arn: ARN, weight: 100 },
          { arn: ARN, weight: 0 },
        ],
        { enabled: true, duration: 300 },
      );
      assert.deepEqual(await messages('forward-weights', LISTENER, l), []);
      assert.deepEqual(await messages('forward-stickiness', LISTENER, l), []);
    });
    it('rejects all-zero, out-of-range and too many target groups', async () => {
      assert.deepEqual(
        await messages(
          'forward-weights',
          LISTENER,
          fwd([
            { arn: ARN, weight: 0 },
            { arn: ARN, weight: 0 },
          ]),
        ),
        ['All forward weights are 0: the listener would route nowhere.'],
      );
      assert.deepEqual(
        await messages('forward-weights', RULE, {
          actions: fwd([{ arn: ARN, weight: 1000 }]).defaultActions,
          priority: 5,
        }),
        ['Forward weight 1000 is outside 0–999.'],
      );
      assert.deepEqual(
        await messages(
          'forward-weights',
          LISTENER,
          fwd(Array.from({ length: 6 }, () => ({ arn: ARN, weight: 1 }))),
        ),
        ['A forward action lists 6 target groups; AWS allows 1–5.'],
      );
    });
    it('rejects stickiness outside 1–604800 s', async () => {
      assert.deepEqual(
        await messages(
          'forward-stickiness',
          LISTENER,
          fwd([{ arn: ARN, weight: 1 }], { enabled: true, duration: 0 }),
        ),
        ['Forward stickiness duration 0 s is outside 1–604800.'],
      );
      assert.deepEqual(
        await messages('forward-stickiness', LISTENER, fwd([{ arn: ARN, weight: 1 }], { enabled: false })),
        [],
      );
    });
  });

  describe('listener-rule-priority', () => {
    it('accepts 1–50000 and rejects missing or out of range', async () => {
      assert.deepEqual(await messages('listener-rule-priority', RULE, { priority: 200 }), []);
      assert.deepEqual(await messages('listener-rule-priority', RULE, { priority: 50001 }), [
        'Listener rule priority 50001 must be an integer in 1–50000.',
      ]);
      assert.deepEqual(await messages('listener-rule-priority', RULE, {}), [
        'Listener rule priority undefined must be an integer in 1–50000.',
      ]);
    });
  });

  describe('log-retention', () => {
    it('accepts AWS values and rejects others or none', async () => {
      const LG = 'aws:cloudwatch/logGroup:LogGroup';
      assert.deepEqual(await messages('log-retention', LG, { retentionInDays: 30 }), []);
      assert.match(
        (await messages('log-retention', LG, { retentionInDays: 31 }))[0] ?? '',
        /^retentionInDays 31 is not one of 1, 3, 5, 7, 14, 30/,
      );
      assert.match(
        (await messages('log-retention', LG, {}))[0] ?? '',
        /^retentionInDays undefined is not one of/,
      );
    });
  });

  describe('bucket-name', () => {
    const names: [string, string | undefined][] = [
      ['exchange-green-site-1a2b3c4', undefined],
      ['ab', 'is 2 chars (3–63)'],
      ['Exchange', 'must be lower-case a-z 0-9 . - and start/end with a letter or digit'],
      ['ex..change', 'must not contain ".."'],
      ['192.168.1.10', 'must not look like an IP address'],
      ['xn--exchange', 'uses a prefix/suffix AWS reserves'],
    ];
    for (const [name, problem] of names)
      it(`"${name}" → ${problem ?? 'valid'}`, () => assert.equal(bucketNameProblem(name), problem));
    it('checks explicit names, prefixes and the auto-name of the logical name', async () => {
      const B = 'aws:s3/bucket:Bucket';
      assert.deepEqual(await messages('bucket-name', B, {}, 'exchange-green-site'), []);
      assert.deepEqual(await messages('bucket-name', B, { bucket: 'My_Bucket' }), [
        'Bucket name "My_Bucket" must be lower-case a-z 0-9 . - and start/end with a letter or digit.',
      ]);
      assert.deepEqual(await messages('bucket-name', B, {}, 'site_green'), [
        'Bucket logical name "site_green" yields an invalid auto-name: it must be lower-case a-z 0-9 . - and start/end with a letter or digit.',
      ]);
      assert.deepEqual(await messages('bucket-name', B, { bucketPrefix: 'p'.repeat(38) }), [
        `bucketPrefix "${'p'.repeat(38)}" is longer than 37 chars.`,
      ]);
    });
  });
});
