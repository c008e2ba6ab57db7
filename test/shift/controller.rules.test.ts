// Rules of the plan and the controller that only show in time and counts (issue 19): a step bakes for
// its stated seconds, a step gives up exactly at its deadline, a report counts the steps that passed,
// a colour at weight 0 may not answer the main URL, and a plan refuses repeated steps.
import { DEFAULT_JUDGE } from '../../shift/judge/samples.ts';
import assert from 'node:assert/strict';
import { startShift } from '../../shift/api.ts';
import { healthGates } from '../../shift/check.ts';
import { PlanError } from '../../shift/errors.ts';
import { buildPlan, minimumBakeSeconds, stepDeadlineSeconds, strategyPercents } from '../../shift/plan.ts';
import type { ShiftEvent } from '../../shift/port.ts';
import { openSession } from '../../shift/session.ts';
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import { FakeClock, FakeDriver, TIMING } from './fakeDriver.ts';
import { canaryAtStep1 } from './records.ts';

const CHECK_MS = 15_000;

function setup(onEvent: (e: ShiftEvent, d: FakeDriver) => void = () => undefined) {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  const events: ShiftEvent[] = [];
  const deps = {
    driver,
    clock,
    checkIntervalSeconds: CHECK_MS / 1000,
    emit: (e: ShiftEvent) => {
      events.push(e);
      onEvent(e, driver);
    },
  };
  return { clock, driver, events, deps };
}

const at = (e: ShiftEvent | undefined): number => Date.parse(e?.time ?? 'missing');

describe('shift plan and controller: rules in time and counts', () => {
  it('a plan refuses repeated steps (steps:25,25,100): every step must increase', () => {
    assert.throws(
      () => strategyPercents('steps:25,25,100'),
      (err: unknown) => {
        assert.ok(err instanceof PlanError);
        assert.match(err.message, /steps must increase/);
        return true;
      },
    );
    assert.deepEqual(strategyPercents('steps:25,26,100'), [25, 26, 100]);
  });

  it('the step deadline is the bake plus one write, propagation, three metric periods and a judge streak', () => {
    // The canary judge may need its failing streak to clear: N + 1 judgments after the samples' lag.
    const judge =
      (DEFAULT_JUDGE.consecutive + 1) * (TIMING.judgeIntervalSeconds ?? 10) + (TIMING.samplesLagSeconds ?? 0);
    const want =
      120 + TIMING.writeSeconds + TIMING.propagationSeconds + 3 * TIMING.metricsPeriodSeconds + judge;
    assert.equal(stepDeadlineSeconds(120, TIMING), want);
    const plan = buildPlan({ from: 'blue', to: 'green', strategy: 'canary', bakeSeconds: 120 }, TIMING);
    assert.equal(plan.stepDeadlineSeconds, want);
    assert.deepEqual(
      plan.steps.map((s) => s.bakeSeconds),
      [120, 120],
      'every step bakes for the requested time',
    );
  });

  it('a bake of exactly two metric periods is accepted; one second less is refused', () => {
    const min = minimumBakeSeconds(TIMING);
    assert.equal(min, 2 * TIMING.metricsPeriodSeconds);
    assert.doesNotThrow(() => buildPlan({ from: 'blue', to: 'green', bakeSeconds: min }, TIMING));
    assert.throws(
      () => buildPlan({ from: 'blue', to: 'green', bakeSeconds: min - 1 }, TIMING),
      /bake 119s is shorter than two metric periods \(120s\)/,
    );
  });

  it('a step bakes for its stated seconds: it advances at the first check at or after the bake, not before', async () => {
    const { events, deps } = setup();
    const report = await startShift(deps, { to: 'green', strategy: 'canary', bakeSeconds: 120 });
    assert.equal(report.status, 'promoted', report.reason);
    const confirmed = events.find((e) => e.action === 'split-confirmed' && e.step === 1);
    const advanced = events.find((e) => e.action === 'advance' && e.step === 1);
    const baked = at(advanced) - at(confirmed);
    assert.ok(baked >= 120_000, `step 1 advanced after ${baked / 1000}s of a 120s bake`);
    assert.ok(baked < 120_000 + CHECK_MS, `step 1 baked ${baked / 1000}s: more than one check past 120s`);
  });

  it('a step whose gates never pass gives up exactly at its deadline, not earlier and not a check later', async () => {
    const { driver, deps } = setup();
    // Too few requests for the metrics gate: no data every round, which is never a pass.
    driver.colours.green.metrics = () => ({ requests: 0, errors5xx: 0, p99Ms: 100 });
    const report = await startShift(deps, { to: 'green', strategy: 'canary', bakeSeconds: 120 });
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /^step 1 deadline passed: metrics no-data 0 req/);
    const rec = driver.record?.value as ShiftRecord;
    const decidedMs = Date.parse(rec.lastDecision?.time ?? 'missing');
    const deadlineMs = (rec.stepWrittenMs as number) + rec.plan.stepDeadlineSeconds * 1000;
    assert.ok(decidedMs >= deadlineMs, `gave up ${(deadlineMs - decidedMs) / 1000}s before the deadline`);
    assert.ok(decidedMs < deadlineMs + CHECK_MS, `gave up ${(decidedMs - deadlineMs) / 1000}s after it`);
  });

  it('a report counts the steps that passed: rolled back in step 2 of 2 → 1 completed, in step 1 → 0', async () => {
    const second = setup((e, d) => {
      if (e.action === 'advance') d.colours.green.healthz = 503;
    });
    const r2 = await startShift(second.deps, { to: 'green', strategy: 'canary', bakeSeconds: 120 });
    assert.equal(r2.status, 'rolled-back');
    assert.deepEqual(
      { completed: r2.stepsCompleted, planned: r2.stepsPlanned },
      { completed: 1, planned: 2 },
    );

    const first = setup((e, d) => {
      if (e.action === 'split-confirmed') d.colours.green.healthz = 503;
    });
    const r1 = await startShift(first.deps, { to: 'green', strategy: 'canary', bakeSeconds: 120 });
    assert.equal(r1.status, 'rolled-back');
    assert.equal(r1.stepsCompleted, 0);

    const done = await startShift(setup().deps, { to: 'green', strategy: 'linear:3', bakeSeconds: 120 });
    assert.deepEqual(
      { completed: done.stepsCompleted, planned: done.stepsPlanned },
      { completed: 3, planned: 3 },
    );
  });

  it('a colour at weight 0 answering the main URL fails the main readiness probe', async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    // The record says blue carries everything, but the listener routes to green.
    driver.applied = { blue: 0, green: 100 };
    const record = canaryAtStep1(clock.now(), {
      id: 'shift-weight-zero',
      weights: { blue: 100, green: 0 },
      stepWrittenMs: clock.now(),
    });
    const s = openSession({ driver, clock }, { value: record, etag: '"e0"' });
    const main = (await healthGates(s)).find((g) => g.gate === 'probe-main' && g.value.includes('1.1.0'));
    assert.equal(main?.outcome, 'fail', 'green is at weight 0: its answer on the main URL is a fault');
    assert.equal(main?.threshold, '200 from blue at its version');
  });
});
