// Stickiness beats weights (issue 16 §2): a sticky client stays on its colour until the cookie expires,
// so a rollback cannot move it sooner. A shift refuses stickiness longer than its bake and `shift plan`
// says what stickiness means for the rollback; the AWS driver reads it from the listener.
import assert from 'node:assert/strict';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { readListenerStickiness } from '../../shift/drivers/awsElb.ts';
import { PreflightRefusal } from '../../shift/errors.ts';
import { stickinessProblem } from '../../shift/plan.ts';
import type { ShiftDriver } from '../../shift/port.ts';
import { runShiftVerb, type VerbIO } from '../../shift/verbs.ts';
import { mockAwsClients } from './awsMocks.ts';
import { FakeClock, FakeDriver } from './fakeDriver.ts';

function io(json = false): VerbIO & { text: () => string } {
  const out: string[] = [];
  return { write: (t) => void out.push(t), isTTY: false, json, text: () => out.join('') };
}

function sticky(seconds: number | undefined) {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  if (seconds !== undefined) (driver as ShiftDriver).readStickinessSeconds = async () => seconds;
  return { clock, driver };
}

describe('shift: stickiness', () => {
  it('stickiness up to the bake is accepted, one second longer is not', () => {
    assert.equal(stickinessProblem(0, 300), undefined);
    assert.equal(stickinessProblem(300, 300), undefined);
    assert.match(
      stickinessProblem(301, 300) ?? '',
      /stickiness 5m1s is longer than the bake 5m: a rollback would leave sticky users on the new colour/,
    );
  });

  it('plan and start refuse (exit 3) while stickiness is longer than the bake, and write nothing', async () => {
    const { clock, driver } = sticky(604_800);
    for (const verb of ['plan', 'start'] as const)
      await assert.rejects(
        runShiftVerb(verb, { to: 'green' }, { driver, clock }, io()),
        (e: unknown) =>
          e instanceof PreflightRefusal &&
          e.exitCode === 3 &&
          /stickiness 168h is longer than the bake 5m/.test(e.message) &&
          /lower exchange-shared:stickinessSeconds to 300 or less/.test(e.hint ?? ''),
      );
    assert.equal(driver.record, undefined);
    assert.ok(!driver.calls.includes('writeWeights'));
  });

  it('a longer bake makes the same stickiness acceptable, and the plan says what it means', async () => {
    const { clock, driver } = sticky(600);
    const o = io();
    assert.equal(await runShiftVerb('plan', { to: 'green', bakeSeconds: 600 }, { driver, clock }, o), 0);
    assert.match(
      o.text(),
      /Stickiness 10m \(no longer than the bake\): sticky users follow a rollback only when their cookie expires, up to 10m after it\./,
    );
    const j = io(true);
    await runShiftVerb('plan', { to: 'green', bakeSeconds: 600 }, { driver, clock }, j);
    assert.equal((JSON.parse(j.text()) as { stickinessSeconds: number }).stickinessSeconds, 600);
  });

  it('without stickiness (or a driver that has none) the plan says a rollback moves every user', async () => {
    for (const seconds of [0, undefined]) {
      const { clock, driver } = sticky(seconds);
      const o = io();
      await runShiftVerb('plan', { to: 'green' }, { driver, clock }, o);
      assert.match(o.text(), /Stickiness off: a rollback moves every user with the listener write/);
    }
  });

  it('the AWS driver reads the forward action’s stickiness (0 when disabled)', async () => {
    const m = mockAwsClients();
    const listenerArn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/exchange-alb/1/2';
    const targets = {
      listenerArn,
      url: 'http://alb',
      targetGroupArns: { blue: 'tg-blue', green: 'tg-green' },
      cluster: 'c',
      serviceNames: { blue: 'b', green: 'g' },
    };
    const answer = (Enabled: boolean) => ({
      Listeners: [
        {
          ListenerArn: listenerArn,
          DefaultActions: [
            {
              Type: 'forward' as const,
              ForwardConfig: {
                TargetGroups: [{ TargetGroupArn: 'tg-blue', Weight: 100 }],
                TargetGroupStickinessConfig: { Enabled, DurationSeconds: 3600 },
              },
            },
          ],
        },
      ],
    });
    m.elb.on(DescribeListenersCommand).resolves(answer(true));
    assert.equal(await readListenerStickiness({ ...m.clients, targets }), 3600);
    m.elb.on(DescribeListenersCommand).resolves(answer(false));
    assert.equal(await readListenerStickiness({ ...m.clients, targets }), 0);
    assert.deepEqual(m.elb.commandCalls(DescribeListenersCommand)[0]?.args[0].input, {
      ListenerArns: [listenerArn],
    });
  });
});
