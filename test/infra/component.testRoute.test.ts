// The header test route is closed to the public: a secret header value and/or source CIDRs are required,
// and either one admits a tester (one listener rule per way in).
import assert from 'node:assert/strict';
import { checkTestRouteAccess } from '../../components/exchangeEnvironment/args.ts';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { TEST_KEY_HEADER, testRouteRules } from '../../components/exchangeEnvironment/service.ts';
import { COLOR_HEADER } from '../../contract/index.ts';
import { TEST_ROUTE_PRIORITY } from '../../contract/stacks.ts';
import { placeholderProblems } from '../../infra/synth/placeholders.ts';
import { useComponentFixture } from './component.helpers.ts';

const refused = (fn: () => void, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof EnvironmentArgError && pattern.test(e.message));

describe('test route access', () => {
  it('is refused open to anyone (no CIDRs, no secret)', () =>
    refused(
      () => checkTestRouteAccess([], false),
      /testRouteSourceCidrs: \[\] is not allowed; allowed: at least one CIDR, or a testRouteSecret/,
    ));
  it('refuses malformed or too many CIDRs (ALB condition values are limited)', () => {
    refused(() => checkTestRouteAccess(['10.0.0.0/33'], false), /at most 3 IPv4 CIDRs/);
    refused(
      () => checkTestRouteAccess(['1.1.1.1/32', '2.2.2.2/32', '3.3.3.3/32', '4.4.4.4/32'], false),
      /at most 3/,
    );
  });
  it('accepts a secret alone or CIDRs alone', () => {
    checkTestRouteAccess([], true);
    checkTestRouteAccess(['198.51.100.0/24'], false);
  });

  describe('rules (mocks): one per way in, since ELBv2 ANDs the conditions of a rule', () => {
    const f = useComponentFixture();
    type Condition = {
      httpHeader?: { httpHeaderName: string; values: unknown[] };
      sourceIp?: { values: string[] };
    };
    /** Conditions of a rule; a secret inside makes the engine receive the whole input as a secret. */
    const conditionsOf = (name: string): Condition[] => {
      const raw = f.h.one('aws:lb/listenerRule:ListenerRule', name).inputs.conditions as
        Condition[] | { value: Condition[] };
      return Array.isArray(raw) ? raw : raw.value;
    };
    const header = (c: Condition[], name: string) => c.find((x) => x.httpHeader?.httpHeaderName === name);

    it('CIDRs and a secret: two rules, each the colour header AND one way in, at the colour’s fixed priorities', async () => {
      const env = await f.build({
        testRouteSourceCidrs: ['198.51.100.0/24'],
        testRouteSecret: 's3cr3t-value',
      });
      const tgArn = await f.arnOf(env.resources.targetGroup);
      const rules = f.h.ofType('aws:lb/listenerRule:ListenerRule');
      assert.deepEqual(rules.map((r) => [r.name, r.inputs.priority]).sort(), [
        ['exchange-green-test-route', TEST_ROUTE_PRIORITY.green.sourceIp],
        ['exchange-green-test-route-key', TEST_ROUTE_PRIORITY.green.testKey],
      ]);
      const byCidr = conditionsOf('exchange-green-test-route');
      assert.equal(
        byCidr.length,
        2,
        'colour + source CIDRs, no secret: a tester from the CIDRs needs no key',
      );
      assert.deepEqual(header(byCidr, COLOR_HEADER)?.httpHeader?.values, ['green']);
      assert.deepEqual(byCidr.find((c) => c.sourceIp)?.sourceIp?.values, ['198.51.100.0/24']);
      const byKey = conditionsOf('exchange-green-test-route-key');
      assert.equal(byKey.length, 2, 'colour + secret, no CIDRs: CI from anywhere with the key');
      assert.ok(header(byKey, TEST_KEY_HEADER), `a ${TEST_KEY_HEADER} condition`);
      assert.ok(!byKey.some((c) => c.sourceIp));
      const raw = f.h.one('aws:lb/listenerRule:ListenerRule', 'exchange-green-test-route-key').inputs
        .conditions;
      assert.ok(!Array.isArray(raw), 'the rule holding the secret is sent as a secret');
      for (const r of rules)
        assert.deepEqual(
          r.inputs.actions,
          [{ type: 'forward', targetGroupArn: tgArn }],
          `${r.name} forwards to the colour`,
        );
      const service = f.h.one('aws:ecs/service:Service');
      for (const r of rules)
        assert.ok(service.dependencies.includes(r.urn), `the service waits for ${r.name}`);
    });

    it('a secret alone: only the key rule; CIDRs alone: only the CIDR rule', async () => {
      await f.build({ testRouteSourceCidrs: [], testRouteSecret: 's3cr3t-value' });
      assert.deepEqual(
        f.h.ofType('aws:lb/listenerRule:ListenerRule').map((r) => r.name),
        ['exchange-green-test-route-key'],
      );
      f.h.reset();
      await f.build({ testRouteSourceCidrs: ['198.51.100.0/24'] });
      assert.deepEqual(
        f.h.ofType('aws:lb/listenerRule:ListenerRule').map((r) => r.name),
        ['exchange-green-test-route'],
      );
    });

    it('each rule stays within the ALB limits (≤ 3 values per condition, ≤ 5 per rule)', () => {
      const rules = testRouteRules({
        color: 'blue',
        testRouteSourceCidrs: ['198.51.100.0/24', '198.51.101.0/24', '198.51.102.0/24'],
        testRouteSecret: 'k',
      });
      for (const { kind, conditions } of rules) {
        const values = (conditions as Condition[]).map(
          (c) => (c.httpHeader?.values ?? c.sourceIp?.values ?? []).length,
        );
        assert.ok(
          values.every((n) => n <= 3),
          `${kind}: ${values.join(', ')}`,
        );
        assert.ok(values.reduce((a, b) => a + b, 0) <= 5, `${kind}: ${values.join(', ')}`);
      }
    });
  });

  describe('placeholders', () => {
    it('names the committed placeholder digest and documentation CIDRs, and accepts real values', () => {
      const committed = {
        'exchange:image':
          'ghcr.io/acme/exchange@sha256:3f8a1c0e9b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19',
        'exchange:testRouteSourceCidrs': '["203.0.113.0/24"]',
      };
      assert.equal(placeholderProblems(committed).length, 2);
      const real = {
        'exchange:image': `ghcr.io/acme/exchange@sha256:${'0a'.repeat(32)}`,
        'exchange:testRouteSourceCidrs': '["81.2.69.0/24"]',
      };
      assert.deepEqual(placeholderProblems(real), []);
    });
  });
});
