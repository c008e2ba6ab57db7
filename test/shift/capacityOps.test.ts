// The capacity operations around a release over the fake capacity driver and clock: prepare (the floor,
// the wait, the refusals), scale-down (only the idle colour, only after its drain, to its standby),
// release (the repair), and the lines `shift plan` and `status` print about capacity.
import assert from 'node:assert/strict';
import { startShift } from '../../shift/api.ts';
import { CapacityError, prepareCapacity, releaseHeld, scaleDown } from '../../shift/capacityOps.ts';
import { planCapacityLines, statusCapacityFindings } from '../../shift/capacityText.ts';
import { PreflightRefusal } from '../../shift/errors.ts';
import { buildPlan } from '../../shift/plan.ts';
import { runCapacityVerb } from '../../shift/capacityVerbs.ts';
import { FakeClock } from './fakeDriver.ts';
import { CapacityFakeDriver } from './fakeCapacity.ts';

const prep = { headroom: 1.2, sharePercent: 10, waitSeconds: 600, checkIntervalSeconds: 15 };

function setup(tasks = { blue: 4, green: 2 }) {
  const clock = new FakeClock();
  return { clock, driver: new CapacityFakeDriver(clock, tasks) };
}

describe('capacity operations', () => {
  describe('prepare', () => {
    it('raises the idle colour to ⌈live running × headroom⌉ and returns once the first step could pass', async () => {
      const { clock, driver } = setup({ blue: 10, green: 0 });
      driver.services.green.desired = 0;
      const gates: string[] = [];
      const r = await prepareCapacity(driver, clock, {
        ...prep,
        to: 'green',
        onGate: (g) => gates.push(g.value),
      });
      assert.ok(!('skipped' in r));
      assert.deepEqual([r.from, r.fromRunning, r.floor, r.gate.outcome], ['blue', 10, 12, 'pass']);
      assert.deepEqual(driver.capacityCalls, ['floor green 12']);
      assert.equal(gates[0], 'green 0 healthy', 'it waited');
      assert.ok(clock.now() >= Date.parse('2026-12-01T05:00:00Z') + driver.startSeconds * 1000);
    });

    it('refuses the colour that takes traffic, changing nothing', async () => {
      const { clock, driver } = setup();
      await assert.rejects(
        prepareCapacity(driver, clock, { ...prep, to: 'blue' }),
        (e: unknown) => e instanceof PreflightRefusal && /blue takes traffic \(weight 100\)/.test(e.message),
      );
      assert.deepEqual(driver.capacityCalls, []);
    });

    it('fails at the wait with the gate’s numbers when the tasks never come', async () => {
      const { clock, driver } = setup({ blue: 10, green: 0 });
      driver.services.green.desired = 0;
      driver.services.green.placeable = 0;
      await assert.rejects(
        prepareCapacity(driver, clock, { ...prep, to: 'green', waitSeconds: 60 }),
        (e: unknown) =>
          e instanceof CapacityError &&
          e.message ===
            "capacity green 0 healthy (needs 2 for 10 % of blue's 10 running × 1.2) after 60 s; green's floor is 12",
      );
    });

    it('skips a colour whose stack predates autoscaling (its up creates it)', async () => {
      const { clock, driver } = setup();
      const read = driver.readCapacity.bind(driver);
      driver.readCapacity = async (c) => ({
        ...(await read(c)),
        config: null,
        minCapacity: null,
        maxCapacity: null,
      });
      assert.deepEqual(await prepareCapacity(driver, clock, { ...prep, to: 'green' }), {
        skipped: 'green has no autoscaling yet (its stack predates it): its up creates it',
      });
      assert.deepEqual(driver.capacityCalls, []);
    });
  });

  describe('scale-down', () => {
    it('after a promotion: waits for the old colour’s drain, then pins it at its standby', async () => {
      const { clock, driver } = setup();
      await startShift({ driver, clock }, { to: 'green', strategy: 'all-at-once', bakeSeconds: 120 });
      driver.capacityCalls.length = 0;
      const ended = Date.parse(driver.record!.value.completedAt!);
      const r = await scaleDown(driver, clock, { waitSeconds: 300 });
      assert.deepEqual([r.color, r.standby, r.wasRunning, r.scaleUpSeconds], ['blue', 0, 4, 140]);
      assert.deepEqual(driver.capacityCalls, ['standby blue 0']);
      const { propagationSeconds, deregistrationDelaySeconds } = driver.timing;
      assert.ok(
        clock.now() >= ended + (propagationSeconds + deregistrationDelaySeconds) * 1000,
        'not before the drain',
      );
      assert.equal(driver.services.blue.desired, 0);
    });

    it('a standby that can carry the live colour needs no scale-up', async () => {
      const { clock, driver } = setup({ blue: 2, green: 2 });
      driver.services.green.config = { ...driver.services.green.config, standbyTasks: 2 };
      const r = await scaleDown(driver, clock, { waitSeconds: 0 });
      assert.deepEqual([r.color, r.standby, r.scaleUpSeconds], ['green', 2, 0]);
    });

    it('refuses while a shift runs, while traffic is split, and when the drain ends after the wait', async () => {
      const { clock, driver } = setup();
      driver.live = { blue: 50, green: 50 };
      await assert.rejects(scaleDown(driver, clock, { waitSeconds: 300 }), /leave no single idle colour/);
      driver.live = { blue: 100, green: 0 };
      await startShift({ driver, clock }, { to: 'green', strategy: 'all-at-once', bakeSeconds: 120 });
      driver.record!.value.status = 'running';
      await assert.rejects(
        scaleDown(driver, clock, { waitSeconds: 300 }),
        /is running: both colours are part of it/,
      );
      driver.record!.value.status = 'promoted';
      driver.record!.value.completedAt = new Date(clock.now()).toISOString();
      await assert.rejects(
        scaleDown(driver, clock, { waitSeconds: 1 }),
        (e: unknown) =>
          e instanceof PreflightRefusal && /blue may still drain connections until/.test(e.message),
      );
    });
  });

  it('release: resumes scale-in on both colours, returns the live one to its bounds and clears the record', async () => {
    const { clock, driver } = setup();
    driver.failNext.set('resume blue', new Error('Throttling'));
    await startShift({ driver, clock }, { to: 'green', strategy: 'all-at-once', bakeSeconds: 120 });
    assert.deepEqual(driver.record?.value.capacity?.scaleInSuspended, ['blue']);
    const done = await releaseHeld(driver);
    assert.deepEqual(done.slice(0, 3), [
      'blue scale-in resumed',
      'green scale-in resumed',
      'green back within its configured bounds',
    ]);
    assert.equal(driver.services.blue.suspended, false);
    assert.deepEqual(driver.record?.value.capacity?.scaleInSuspended, []);
    assert.equal(driver.record?.value.lastError, null);
  });

  describe('what plan and status say', () => {
    it('plan: the floor, each step’s need and the rollback after a scale-down to standby 0', async () => {
      const { driver } = setup({ blue: 10, green: 4 });
      const plan = buildPlan(
        { from: 'blue', to: 'green', strategy: 'steps:10,50,100', bakeSeconds: 120 },
        driver.timing,
      );
      const capacity = { blue: await driver.readCapacity('blue'), green: await driver.readCapacity('green') };
      assert.deepEqual(planCapacityLines(plan, capacity, 1.2, driver.timing), [
        'Capacity: blue 10 running of desired 10 (bounds 2–10); green 4 running of desired 4 (bounds 2–10).',
        "Before step 1 green's floor is raised to 12 (blue's 10 running × 1.2) and scale-in is suspended on both until the shift ends; healthy green tasks needed per step: 2, 6, 12.",
        'green runs 4 of those 12: a step that needs more waits for them, about 140 s (within its deadline).',
        "After the promotion, scale-down leaves blue at standby 0: a rollback then first scales it up to green's running tasks × 1.2 (about 140 s), then moves the weights.",
      ]);
    });

    it('status: each colour, a scale-in a finished shift still holds, and the standby’s scale-up', async () => {
      const { clock, driver } = setup();
      driver.failNext.set('resume green', new Error('Throttling'));
      await startShift({ driver, clock }, { to: 'green', strategy: 'all-at-once', bakeSeconds: 120 });
      await driver.setCapacity('blue', { mode: 'standby', tasks: 0 });
      const capacity = { blue: await driver.readCapacity('blue'), green: await driver.readCapacity('green') };
      const lines = statusCapacityFindings(driver.record!.value, driver.live, capacity, driver.timing, true);
      assert.deepEqual(lines, [
        'blue 0 running of desired 0 (bounds 0–0)',
        'green 5 running of desired 5 (bounds 2–10), scale-in suspended',
        `scale-in is still suspended on green by shift ${driver.record!.value.id}: run "exchange capacity release"`,
        "blue runs 0 of desired 0: traffic onto it first needs 6 healthy for 100 % of green's 5 running × 1.2, a scale-up of about 140 s before any weight moves",
      ]);
    });

    it('capacity status prints the live weights and those lines', async () => {
      const { clock, driver } = setup();
      let out = '';
      const code = await runCapacityVerb(
        'status',
        { headroom: 1.2, strategy: 'canary', waitSeconds: 1 },
        driver,
        clock,
        { write: (t) => (out += t), json: false },
      );
      assert.equal(code, 0);
      assert.equal(
        out,
        'live weights: blue 100 / green 0\nblue 4 running of desired 4 (bounds 2–10)\ngreen 2 running of desired 2 (bounds 2–10)\n' +
          "green runs 2 of desired 2: traffic onto it first needs 5 healthy for 100 % of blue's 4 running × 1.2, a scale-up of about 140 s before any weight moves\n",
      );
    });
  });
});
