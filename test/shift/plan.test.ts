// Pure planning: every strategy's exact weights, the bake floor, the budgets, and the refusals.
import assert from 'node:assert/strict';
import { PlanError } from '../../shift/errors.ts';
import { DEFAULT_THRESHOLDS } from '../../shift/gates.ts';
import { AWS_TIMING } from '../../shift/drivers/aws.ts';
import { localTiming } from '../../shift/drivers/local.ts';
import type { DriverTiming, ShiftDriver } from '../../shift/port.ts';
import { resolveDeps } from '../../shift/session.ts';
import {
  buildPlan,
  CHECK_INTERVAL_SECONDS,
  formatDuration,
  parseDuration,
  planBudget,
  strategyPercents,
} from '../../shift/plan.ts';
import { TIMING } from './fakeDriver.ts';

describe('shift plans', () => {
  const table: [string, number[]][] = [
    ['all-at-once', [100]],
    ['canary', [10, 100]],
    ['canary:5', [5, 100]],
    ['linear', [25, 50, 75, 100]],
    ['linear:3', [33, 67, 100]],
    ['steps:5,25,50,100', [5, 25, 50, 100]],
  ];
  for (const [strategy, percents] of table) {
    it(`${strategy} → ${percents.join(', ')}% for the new colour, integer weights summing to 100`, () => {
      assert.deepEqual(strategyPercents(strategy), percents);
      const plan = buildPlan({ from: 'blue', to: 'green', strategy, bakeSeconds: 300 }, TIMING);
      assert.deepEqual(
        plan.steps.map((s) => s.weights),
        percents.map((p) => ({ green: p, blue: 100 - p })),
      );
      for (const s of plan.steps)
        assert.ok(Number.isInteger(s.weights.blue) && s.weights.blue >= 0 && s.weights.blue <= 999);
    });
  }

  const bad: [string, RegExp][] = [
    ['blue-green', /unknown/],
    ['canary:0', /not an integer 1–99/],
    ['canary:100', /not an integer 1–99/],
    ['linear:1', /not an integer 2–20/],
    ['steps:5,25,50', /last step must be 100/],
    ['steps:50,25,100', /must increase/],
    ['steps:5,x,100', /step "x" is not an integer percent/],
    ['steps:0,100', /step "0"/],
  ];
  for (const [strategy, why] of bad) {
    it(`refuses ${strategy} with the reason and an example`, () => {
      assert.throws(
        () => strategyPercents(strategy),
        (e: unknown) => e instanceof PlanError && why.test(e.message) && e.hint !== undefined,
      );
    });
  }

  it('refuses a bake shorter than two metric periods (one-minute CloudWatch data needs two full minutes)', () => {
    assert.throws(
      () => buildPlan({ from: 'blue', to: 'green', bakeSeconds: 119 }, TIMING),
      /bake 119s is shorter than two metric periods \(120s\)/,
    );
    assert.equal(
      buildPlan({ from: 'blue', to: 'green', bakeSeconds: 120 }, TIMING).steps[0]?.bakeSeconds,
      120,
    );
  });

  it('bounds detection by the controller’s own check interval, not the 15 s default (a rehearsal checks every 0.1 s)', () => {
    const timing = localTiming(0.1);
    const plan = buildPlan({ from: 'blue', to: 'green', bakeSeconds: 1 }, timing);
    const r = planBudget(plan, timing, {
      checkIntervalSeconds: 0.1,
      thresholds: { maxP99Ms: 1000 },
    }).rollback;
    assert.equal(
      r.probeDetectionSeconds,
      0.1 + 2,
      'a failing probe shows at the next check, 0.1 s later; a hung one after the 2 s round deadline too',
    );
    assert.equal(
      r.totalSeconds,
      1 + 2 * timing.metricsPeriodSeconds + 0.1 + timing.rollbackWriteSeconds + timing.propagationSeconds,
      'rollback budget = the 1 s p99 limit + two metric periods + one check + the rollback write + propagation',
    );
  });

  it('takes the check interval from the driver unless the caller sets one: a local shift re-checks every second, AWS every 5 s', () => {
    const deps = (timing: DriverTiming, checkIntervalSeconds?: number) =>
      resolveDeps({
        driver: { timing } as ShiftDriver,
        clock: { now: () => 0, sleep: async () => undefined },
        ...(checkIntervalSeconds === undefined ? {} : { checkIntervalSeconds }),
      }).checkIntervalSeconds;
    assert.equal(deps(localTiming()), 1, '`shift --local` must not wait 15 s between gate checks');
    assert.equal(deps(AWS_TIMING), 5, 'AWS probes every 5 s (a hard failure back within 30 s)');
    assert.equal(deps(localTiming(), 0.1), 0.1, 'an explicit interval (rehearsals) wins');
    assert.equal(deps(TIMING), CHECK_INTERVAL_SECONDS, 'a driver that says nothing gets the default');
  });

  it('a hung target is detected at the round deadline after the next check; the total covers the slower detection', () => {
    const timing = { ...TIMING, metricsPeriodSeconds: 0.5, probeTimeoutSeconds: 4 };
    const plan = buildPlan({ from: 'blue', to: 'green', bakeSeconds: 1 }, timing);
    const r = planBudget(plan, timing, { checkIntervalSeconds: 1, thresholds: { maxP99Ms: 500 } }).rollback;
    assert.equal(r.detectionSeconds, 0.5 + 1 + 1);
    assert.equal(r.probeDetectionSeconds, 1 + 4);
    assert.equal(r.totalSeconds, 5 + timing.rollbackWriteSeconds + timing.propagationSeconds);
  });

  it('refuses a shift to the live colour', () => {
    assert.throws(() => buildPlan({ from: 'blue', to: 'blue' }, TIMING), /already the live colour/);
  });

  it('states the total duration and the rollback budget (detection + one write + propagation)', () => {
    const plan = buildPlan({ from: 'blue', to: 'green' }, TIMING);
    const b = planBudget(plan, TIMING, {
      checkIntervalSeconds: CHECK_INTERVAL_SECONDS,
      thresholds: DEFAULT_THRESHOLDS,
    });
    // canary, 2 steps of (write 40 + propagation 5 + bake 300)
    assert.equal(b.totalSeconds, 2 * (40 + 5 + 300));
    assert.deepEqual(b.rollback, {
      // a 1 s p99 breach + two 60 s metric periods + one 15 s check
      detectionSeconds: 136,
      // one 15 s check + the 5 s round deadline of a hung target
      probeDetectionSeconds: 20,
      writeSeconds: 2,
      propagationSeconds: 5,
      totalSeconds: 143,
    });
  });

  it('AWS: the rollback budget per fault kind meets the goals, each total the sum of its terms', () => {
    const plan = buildPlan({ from: 'blue', to: 'green' }, AWS_TIMING);
    const b = planBudget(plan, AWS_TIMING, {
      checkIntervalSeconds: AWS_TIMING.checkIntervalSeconds!,
      thresholds: DEFAULT_THRESHOLDS,
    });
    const totals = Object.fromEntries(b.byFault.map((f) => [f.fault, [f.totalSeconds, f.goalSeconds]]));
    // hard: next check 5 + round deadline 5 (a hung target) + write 5 + propagation 15;
    // partial: period 10 + lag 10 + 2 judgments × 10 + 5 + 15
    assert.deepEqual(totals, {
      'hard failure': [30, 30],
      'partial 5xx ≥ 2 %': [60, 60],
      'latency regression': [61, 90],
    });
    for (const f of b.byFault) {
      assert.equal(
        f.totalSeconds,
        f.terms.reduce((a, t) => a + t.seconds, 0),
        f.fault,
      );
      assert.ok(
        f.totalSeconds <= f.goalSeconds,
        `${f.fault}: ${f.totalSeconds}s over the ${f.goalSeconds}s goal`,
      );
    }
  });

  it('parses and prints durations', () => {
    assert.equal(parseDuration('90s'), 90);
    assert.equal(parseDuration('5m'), 300);
    assert.equal(parseDuration('1m30s'), 90);
    assert.equal(parseDuration('300'), 300);
    assert.throws(() => parseDuration('5 minutes'), /duration "5 minutes" is not understood/);
    assert.throws(() => parseDuration(''), PlanError);
    assert.equal(formatDuration(690), '11m30s');
    assert.equal(formatDuration(0), '0s');
  });
});
