// Traffic planning of the shared listener: bootstrap 503, weighted forward, idle TGs kept, live colour.
import assert from 'node:assert/strict';
import type { Weights } from '../../contract/weights.ts';
import {
  defaultAction,
  effectiveWeights,
  liveColor,
  NO_ENVIRONMENT_MESSAGE,
  planTraffic,
  TrafficPlanError,
} from '../../infra/shared/traffic.ts';

const BLUE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-blue-tg/1';
const GREEN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-green-tg/2';
const w = (blue: number, green: number): Weights => ({ blue, green });

describe('shared traffic plan', () => {
  const plans: [
    string,
    Weights,
    { blue?: string; green?: string },
    ReturnType<typeof defaultAction>,
    string,
    Weights,
  ][] = [
    [
      'no TG at all → 503 whatever the weights',
      w(100, 0),
      {},
      {
        type: 'fixed-response',
        fixedResponse: { contentType: 'text/plain', statusCode: '503', messageBody: NO_ENVIRONMENT_MESSAGE },
      },
      'none',
      w(0, 0),
    ],
    [
      'stack exists but exports no TG yet → 503',
      w(0, 100),
      { blue: undefined, green: '' },
      {
        type: 'fixed-response',
        fixedResponse: { contentType: 'text/plain', statusCode: '503', messageBody: NO_ENVIRONMENT_MESSAGE },
      },
      'none',
      w(0, 0),
    ],
    [
      'only blue deployed',
      w(100, 0),
      { blue: BLUE },
      { type: 'forward', forward: { targetGroups: [{ arn: BLUE, weight: 100 }] } },
      'blue',
      w(100, 0),
    ],
    [
      'both deployed, idle green kept with weight 0',
      w(100, 0),
      { blue: BLUE, green: GREEN },
      {
        type: 'forward',
        forward: {
          targetGroups: [
            { arn: BLUE, weight: 100 },
            { arn: GREEN, weight: 0 },
          ],
        },
      },
      'blue',
      w(100, 0),
    ],
    [
      'canary 90/10',
      w(90, 10),
      { green: GREEN, blue: BLUE },
      {
        type: 'forward',
        forward: {
          targetGroups: [
            { arn: BLUE, weight: 90 },
            { arn: GREEN, weight: 10 },
          ],
        },
      },
      'blue',
      w(90, 10),
    ],
    [
      'cut-over 0/100',
      w(0, 100),
      { blue: BLUE, green: GREEN },
      {
        type: 'forward',
        forward: {
          targetGroups: [
            { arn: BLUE, weight: 0 },
            { arn: GREEN, weight: 100 },
          ],
        },
      },
      'green',
      w(0, 100),
    ],
    [
      'tie resolves in colour order',
      w(50, 50),
      { blue: BLUE, green: GREEN },
      {
        type: 'forward',
        forward: {
          targetGroups: [
            { arn: BLUE, weight: 50 },
            { arn: GREEN, weight: 50 },
          ],
        },
      },
      'blue',
      w(50, 50),
    ],
  ];
  for (const [label, weights, arns, action, live, effective] of plans) {
    it(label, () => {
      const plan = planTraffic(weights, arns);
      assert.deepEqual(defaultAction(plan), action);
      assert.equal(liveColor(plan), live);
      assert.deepEqual(effectiveWeights(plan), effective);
    });
  }

  it('adds stickiness to the forward only when configured', () => {
    const plan = planTraffic(w(90, 10), { blue: BLUE, green: GREEN }, 300);
    assert.deepEqual(defaultAction(plan).forward?.stickiness, { enabled: true, duration: 300 });
    assert.equal(
      defaultAction(planTraffic(w(90, 10), { blue: BLUE, green: GREEN })).forward?.stickiness,
      undefined,
    );
  });

  const failures: [string, Weights, { blue?: string; green?: string }, RegExp][] = [
    [
      'weight on a colour whose TG is missing',
      w(90, 10),
      { blue: BLUE },
      /green \(weight 10\).*exports no targetGroupArn/,
    ],
    ['all traffic on a missing colour', w(0, 100), { blue: BLUE, green: undefined }, /green \(weight 100\)/],
    ['blue exports an empty TG while green exists', w(5, 5), { blue: '', green: GREEN }, /blue \(weight 5\)/],
  ];
  for (const [label, weights, arns, message] of failures) {
    it(`fails clearly: ${label}`, () => {
      assert.throws(
        () => planTraffic(weights, arns),
        (err: unknown) => err instanceof TrafficPlanError && message.test(err.message),
      );
    });
  }
});
