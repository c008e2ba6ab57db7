// Rules for changes every other check let through (issue 16 §5), each at its boundary: the ALB idle
// timeout vs serve's keep-alive, a flexible schedule window without its size, private subnets without
// egress, and a target-group property that replaces the group under the shared listener.
import assert from 'node:assert/strict';
import { ALB_IDLE_TIMEOUT_SECONDS, SERVE_KEEP_ALIVE_TIMEOUT_MS } from '../../contract/index.ts';
import { natStrategyOf, privateSubnetEgress } from '../../infra/policy/egress.ts';
import { evaluateStackRules, stackRules } from '../../infra/policy/stackRules.ts';
import type { PolicyTarget } from '../../infra/policy/evaluate.ts';
import { silentLogger } from '../../lib/log.ts';
import { createService } from '../../serve/server.ts';
import { messages } from './policyHarness.ts';

const LB = 'aws:lb/loadBalancer:LoadBalancer';
const SCHEDULE = 'aws:scheduler/schedule:Schedule';
const TG = 'aws:lb/targetGroup:TargetGroup';

describe('policy pack: deploy hazards', () => {
  describe('alb-idle-timeout-under-keep-alive', () => {
    const keepAlive = SERVE_KEEP_ALIVE_TIMEOUT_MS / 1000;
    it('accepts the ALB default (60 s) and anything below serve’s keep-alive', async () => {
      assert.deepEqual(await messages('alb-idle-timeout-under-keep-alive', LB, {}), []);
      assert.deepEqual(
        await messages('alb-idle-timeout-under-keep-alive', LB, { idleTimeout: keepAlive - 1 }),
        [],
      );
    });
    it('refuses an idle timeout equal to or above the keep-alive (raising the ALB to 120 s)', async () => {
      for (const idleTimeout of [keepAlive, 120]) {
        const m = await messages('alb-idle-timeout-under-keep-alive', LB, { idleTimeout });
        assert.equal(m.length, 1, `idleTimeout ${idleTimeout}`);
        assert.match(
          m[0] ?? '',
          new RegExp(`idleTimeout ${idleTimeout}s is not shorter than serve's keep-alive ${keepAlive}s`),
        );
      }
    });
    it('ignores network load balancers (no HTTP keep-alive to outlive)', async () => {
      assert.deepEqual(
        await messages('alb-idle-timeout-under-keep-alive', LB, {
          loadBalancerType: 'network',
          idleTimeout: 350,
        }),
        [],
      );
    });
    it('serve’s real server keeps idle connections longer than the ALB’s idle timeout', () => {
      const { server, watch } = createService({
        s3: {} as never,
        bucket: 'b',
        log: silentLogger,
        identity: { version: '0.0.0' } as never,
        maxAgeSeconds: 60,
      });
      watch.stop();
      assert.ok(
        server.keepAliveTimeout > ALB_IDLE_TIMEOUT_SECONDS * 1000,
        `serve keepAliveTimeout ${server.keepAliveTimeout} ms must outlive the ALB idle timeout ${ALB_IDLE_TIMEOUT_SECONDS}s`,
      );
      assert.equal(server.keepAliveTimeout, SERVE_KEEP_ALIVE_TIMEOUT_MS, 'one source: contract/index.ts');
    });
  });

  describe('schedule-flexible-window', () => {
    const window = (w: Record<string, unknown>) =>
      messages('schedule-flexible-window', SCHEDULE, { flexibleTimeWindow: w });
    it('accepts OFF, and FLEXIBLE with 1–1440 minutes', async () => {
      assert.deepEqual(await window({ mode: 'OFF' }), []);
      assert.deepEqual(await window({ mode: 'FLEXIBLE', maximumWindowInMinutes: 1 }), []);
      assert.deepEqual(await window({ mode: 'FLEXIBLE', maximumWindowInMinutes: 1440 }), []);
    });
    it('refuses FLEXIBLE without maximumWindowInMinutes (CreateSchedule rejects it)', async () => {
      assert.deepEqual(await window({ mode: 'FLEXIBLE' }), [
        'flexibleTimeWindow mode FLEXIBLE without maximumWindowInMinutes: CreateSchedule rejects it; set 1–1440 or use mode OFF.',
      ]);
    });
    it('refuses a window outside 1–1440 and an unknown mode', async () => {
      assert.equal((await window({ mode: 'FLEXIBLE', maximumWindowInMinutes: 0 })).length, 1);
      assert.equal((await window({ mode: 'FLEXIBLE', maximumWindowInMinutes: 1441 })).length, 1);
      assert.match((await window({ mode: 'flexible' }))[0] ?? '', /mode flexible is not OFF or FLEXIBLE/);
    });
  });

  describe('target-group-replacement', () => {
    const deployed = { port: 8080, protocol: 'HTTP', targetType: 'ip', vpcId: 'vpc-1' };
    const tg = (inputs: Record<string, unknown>, name = 'exchange-green-tg') =>
      messages('target-group-replacement', TG, { ...deployed, ...inputs }, name);
    it('accepts the deployed identity, also with its AWS defaults spelled out', async () => {
      assert.deepEqual(await tg({}), []);
      assert.deepEqual(await tg({ protocolVersion: 'HTTP1', ipAddressType: 'ipv4' }), []);
      assert.deepEqual(await tg({ protocolVersion: 'http1' }), [], 'the provider upper-cases it');
    });
    const changes: [string, Record<string, unknown>][] = [
      ['port', { port: 8081 }],
      ['protocol', { protocol: 'HTTPS' }],
      ['protocolVersion', { protocolVersion: 'HTTP2' }],
      ['targetType', { targetType: 'instance' }],
      ['ipAddressType', { ipAddressType: 'ipv6' }],
      ['name', { name: 'exchange-green' }],
      ['namePrefix', { namePrefix: 'exg-' }],
    ];
    for (const [key, change] of changes)
      it(`names ${key} and points at the Hazards procedure`, async () => {
        const m = await tg(change);
        assert.equal(m.length, 1, JSON.stringify(m));
        assert.match(m[0] ?? '', new RegExp(`^${key} .* forces a replacement of the target group`));
        assert.match(m[0] ?? '', /infra\/README\.md "Hazards: target group replacement"/);
      });
    it('a renamed logical resource is a new group', async () => {
      assert.match(
        (await tg({}, 'exchange-green-tg2'))[0] ?? '',
        /logical name "exchange-green-tg2" .* new group/,
      );
    });
  });

  describe('private-subnet-egress', () => {
    const vpc = (inputs: Record<string, unknown>): PolicyTarget => ({
      type: 'awsx:ec2:Vpc',
      name: 'exchange-vpc',
      inputs,
    });
    const endpoint = (service: string): PolicyTarget => ({
      type: 'aws:ec2/vpcEndpoint:VpcEndpoint',
      name: service,
      inputs: { serviceName: `com.amazonaws.eu-west-1.${service}` },
    });
    const check = (targets: PolicyTarget[]) => privateSubnetEgress.check(targets).map((v) => v.message);
    const both = [{ type: 'Public' }, { type: 'Private' }];
    it('is part of the pack’s stack rules', () => assert.ok(stackRules.includes(privateSubnetEgress)));
    it('accepts private subnets behind NAT, public-only subnets, and awsx’s defaults (NAT per AZ)', () => {
      assert.deepEqual(check([vpc({ subnetSpecs: both, natGateways: { strategy: 'Single' } })]), []);
      assert.deepEqual(check([vpc({ subnetSpecs: both, natGateways: { strategy: 'OnePerAz' } })]), []);
      assert.deepEqual(
        check([vpc({ subnetSpecs: [{ type: 'Public' }], natGateways: { strategy: 'None' } })]),
        [],
      );
      assert.deepEqual(check([vpc({})]), []);
      assert.deepEqual(natStrategyOf({}), { privateSubnets: true, nat: 'OnePerAz' });
      assert.deepEqual(natStrategyOf({ subnetSpecs: [{ type: 'Private' }] }), {
        privateSubnets: true,
        nat: 'None',
      });
    });
    it('refuses private subnets without NAT, naming what the tasks cannot reach and the fix', () => {
      const [m, ...rest] = check([
        vpc({ subnetSpecs: both, natGateways: { strategy: 'None' } }),
        endpoint('s3'),
      ]);
      assert.deepEqual(rest, []);
      assert.match(m ?? '', /cannot reach ghcr\.io \(image pull\) or the exchange pages \(ingest\)/);
      assert.match(m ?? '', /com\.amazonaws\.<region>\.logs \(Interface endpoint/);
      assert.match(m ?? '', /com\.amazonaws\.<region>\.secretsmanager/);
      assert.doesNotMatch(m ?? '', /\.s3 \(/, 'the S3 gateway endpoint exists');
      assert.match(m ?? '', /set exchange-shared:natStrategy single or one-per-az/);
      assert.equal(
        evaluateStackRules(stackRules, [vpc({ subnetSpecs: both, natGateways: { strategy: 'None' } })])
          .length,
        1,
      );
    });
  });
});
