// synth's offline checks: the policy pack over what it prints (own resources and across the stacks on
// the shared listener), and config errors told apart from code errors.
import assert from 'node:assert/strict';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { SharedConfigError } from '../../infra/shared/config.ts';
import {
  assertGuardrails,
  crossStackViolations,
  GuardrailError,
  stackViolations,
} from '../../infra/synth/guardrails.ts';
import { loadStackConfig } from '../../infra/synth/stackConfig.ts';
import {
  codeLocation,
  defaultStackFile,
  isConfigError,
  synthesize,
  type SynthResource,
} from '../../infra/synth/synth.ts';

const RULE = 'aws:lb/listenerRule:ListenerRule';
const edit = (list: SynthResource[], type: string, change: (i: Record<string, unknown>) => void) =>
  list.map((r) => {
    if (r.type !== type) return r;
    const inputs = structuredClone(r.inputs);
    change(inputs);
    return { ...r, inputs };
  });

describe('synth guardrails', function () {
  this.timeout(30000);
  let green: SynthResource[];
  before(async () => {
    green = await synthesize('green', loadStackConfig(defaultStackFile('green')));
  });

  it('the committed green stack passes every policy and rule, alone and next to blue', async () => {
    await assertGuardrails('green', green);
  });

  it("refuses a test route on blue's priority: a collision no single stack's preview can see", async () => {
    const broken = edit(green, RULE, (i) => (i.priority = 100));
    assert.deepEqual(await stackViolations(broken), [], 'alone, green looks fine');
    const cross = await crossStackViolations('green', broken);
    assert.equal(cross.length, 1, JSON.stringify(cross));
    assert.match(cross[0]!.message, /priority 100 is already used by .*exchange-blue-test-route/);
  });

  it('names each violation of the printed resources', async () => {
    const broken = edit(green, 'aws:lb/targetGroup:TargetGroup', (i) => (i.deregistrationDelay = 300));
    await assert.rejects(assertGuardrails('green', broken), (err: unknown) => {
      assert.ok(err instanceof GuardrailError);
      assert.match(
        err.message,
        /deregistration-before-stop-timeout: aws:lb\/targetGroup:TargetGroup::exchange-green-tg: deregistrationDelay 300s/,
      );
      return true;
    });
  });

  describe('config error or code error', () => {
    it('a config key in the error is a config error; an argument set in code is not', () => {
      assert.ok(isConfigError(new EnvironmentArgError('exchange:cpu', 3, '256…')));
      assert.ok(isConfigError(new SharedConfigError('azCount', 9, '2–6')));
      assert.ok(!isConfigError(new EnvironmentArgError('deregistrationDelaySeconds', 30, 'less than 30')));
      assert.ok(!isConfigError(new TypeError('x is undefined')));
    });
    it('points a code error at the repository file and line that threw', () => {
      const err = (() => new Error('boom'))();
      assert.match(codeLocation(err) ?? '', /^test\/infra\/synth\.guardrails\.test\.ts:\d+$/);
    });
  });
});
