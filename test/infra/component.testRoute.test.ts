// The header test route is closed to the public: a secret header value and/or source CIDRs are required.
import assert from 'node:assert/strict';
import { checkTestRouteAccess } from '../../components/exchangeEnvironment/args.ts';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { TEST_KEY_HEADER } from '../../components/exchangeEnvironment/service.ts';
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

  describe('rule (mocks)', () => {
    const f = useComponentFixture();
    it('requires the secret header value when one is set', async () => {
      await f.build({ testRouteSourceCidrs: [], testRouteSecret: 's3cr3t-value' });
      // A secret inside makes the engine receive the whole input as a secret (never plain in state).
      const raw = f.h.one('aws:lb/listenerRule:ListenerRule').inputs.conditions as { value?: unknown };
      assert.ok(!Array.isArray(raw) && raw.value !== undefined, 'conditions are sent as a secret');
      const conditions = raw.value as { httpHeader?: { httpHeaderName: string; values: unknown[] } }[];
      const key = conditions.find((c) => c.httpHeader?.httpHeaderName === TEST_KEY_HEADER);
      assert.ok(key, `a ${TEST_KEY_HEADER} condition`);
      assert.ok(!JSON.stringify(conditions).includes('sourceIp'));
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
