// Multi-resource guardrails and the container health-check ranges: each rule passes the good shape and
// names the resources and the fix on the broken one.
import assert from 'node:assert/strict';
import type { PolicyTarget } from '../../infra/policy/evaluate.ts';
import {
  deregistrationBeforeStop,
  evaluateStackRules,
  publicAccessBlockAgrees,
  stackRules,
  uniqueListenerPriorities,
} from '../../infra/policy/stackRules.ts';
import { messages } from './policyHarness.ts';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/alb/1/2';
const rule = (name: string, priority: number, listenerArn = LISTENER): PolicyTarget => ({
  type: 'aws:lb/listenerRule:ListenerRule',
  name,
  inputs: { listenerArn, priority },
});
const td = (container: Record<string, unknown>): PolicyTarget => ({
  type: 'aws:ecs/taskDefinition:TaskDefinition',
  name: 'td',
  inputs: { containerDefinitions: JSON.stringify([{ name: 'exchange', ...container }]) },
});
const tg = (deregistrationDelay?: number): PolicyTarget => ({
  type: 'aws:lb/targetGroup:TargetGroup',
  name: 'tg',
  inputs: deregistrationDelay === undefined ? {} : { deregistrationDelay },
});
const publicPolicy: PolicyTarget = {
  type: 'aws:s3/bucketPolicy:BucketPolicy',
  name: 'bp',
  inputs: {
    bucket: 'site',
    policy: JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'x' }],
    }),
  },
};
const pab = (open: boolean): PolicyTarget => ({
  type: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  name: 'pab',
  inputs: { bucket: 'site', blockPublicPolicy: !open, restrictPublicBuckets: !open },
});

describe('policy pack: multi-resource rules', () => {
  it('every rule is named, described, and registered', () => {
    assert.equal(new Set(stackRules.map((r) => r.name)).size, stackRules.length);
    for (const r of stackRules) assert.ok(r.description.length > 20, r.name);
  });

  describe('listener-rule-priority-unique', () => {
    it('accepts distinct priorities, and equal ones on different listeners', () =>
      assert.deepEqual(
        uniqueListenerPriorities.check([rule('a', 100), rule('b', 200), rule('c', 100, `${LISTENER}x`)]),
        [],
      ));
    it('names both rules that share a priority on one listener', () => {
      const [v] = uniqueListenerPriorities.check([rule('blue-test-route', 100), rule('canary', 100)]);
      assert.match(
        v?.message ?? '',
        /priority 100 is already used by aws:lb\/listenerRule:ListenerRule::blue-test-route/,
      );
      assert.equal(v?.resource, 'aws:lb/listenerRule:ListenerRule::canary');
    });
  });

  describe('deregistration-before-stop-timeout', () => {
    it('accepts a delay shorter than the stop timeout', () =>
      assert.deepEqual(deregistrationBeforeStop.check([tg(20), td({ stopTimeout: 30 })]), []));
    it('refuses an equal delay, and the AWS default 300 s against the default 30 s stop', () => {
      assert.equal(deregistrationBeforeStop.check([tg(30), td({ stopTimeout: 30 })]).length, 1);
      const [v] = deregistrationBeforeStop.check([tg(), td({})]);
      assert.match(
        v?.message ?? '',
        /deregistrationDelay 300s is not shorter than container "exchange" stopTimeout 30s/,
      );
    });
  });

  describe('public-access-block-agrees', () => {
    it('accepts a public policy on a bucket whose block allows it', () =>
      assert.deepEqual(publicAccessBlockAgrees.check([publicPolicy, pab(true)]), []));
    it('refuses a public policy behind a blocking (or missing) public access block', () => {
      const [v] = publicAccessBlockAgrees.check([publicPolicy, pab(false)]);
      assert.match(
        v?.message ?? '',
        /PutBucketPolicy fails with AccessDenied; set blockPublicPolicy and restrictPublicBuckets to false/,
      );
      assert.equal(publicAccessBlockAgrees.check([publicPolicy]).length, 1);
    });
  });

  it('evaluateStackRules labels violations with the rule name', () =>
    assert.deepEqual(
      evaluateStackRules(stackRules, [rule('a', 1), rule('b', 1)]).map((v) => v.policy),
      ['listener-rule-priority-unique'],
    ));
});

describe('container-health-check', () => {
  const hc = (over: Record<string, unknown>) => ({
    healthCheck: {
      command: ['CMD', 'node', '-e', 'x'],
      interval: 10,
      timeout: 5,
      retries: 3,
      startPeriod: 10,
      ...over,
    },
  });
  const TD = 'aws:ecs/taskDefinition:TaskDefinition';
  const check = async (over: Record<string, unknown>) =>
    messages('container-health-check', TD, td(hc(over)).inputs);

  it("accepts the component's health check", async () => assert.deepEqual(await check({}), []));
  for (const [over, message] of [
    [{ interval: 4 }, 'healthCheck.interval 4 is outside 5–300'],
    [{ timeout: 61 }, 'healthCheck.timeout 61 is outside 2–60'],
    [{ retries: 0 }, 'healthCheck.retries 0 is outside 1–10'],
    [{ startPeriod: 301 }, 'healthCheck.startPeriod 301 is outside 0–300'],
    [{ command: ['node', '-e', 'x'] }, 'must start with "CMD" or "CMD-SHELL"'],
  ] as const)
    it(`refuses ${JSON.stringify(over)}`, async () => {
      const got = await check(over);
      assert.equal(got.length, 1, got.join('\n'));
      assert.ok(got[0]?.includes(message), got[0]);
    });
});
