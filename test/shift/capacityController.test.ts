// The controller's capacity steps against a fake driver with ECS-like services and an injected clock:
// scale-in held on both colours and the floor raised before the first write, the capacity gate before
// every step (waiting, passing at exactly its threshold, failing at the deadline without a write), both
// released whatever the outcome, and a rollback after a scale-down that restores capacity first.
import assert from 'node:assert/strict';
import { resetShift, resumeShift, startShift, type StartRequest } from '../../shift/api.ts';
import { rollback } from '../../shift/controller.ts';
import type { ShiftEvent } from '../../shift/port.ts';
import { openSession } from '../../shift/session.ts';
import { Crash, FakeClock } from './fakeDriver.ts';
import { CapacityFakeDriver } from './fakeCapacity.ts';

function setup(tasks = { blue: 4, green: 2 }) {
  const clock = new FakeClock();
  const driver = new CapacityFakeDriver(clock, tasks);
  const events: ShiftEvent[] = [];
  return { driver, clock, events, deps: { driver, clock, emit: (e: ShiftEvent) => events.push(e) } };
}

const TO_GREEN: StartRequest = { to: 'green', bakeSeconds: 120 };

describe('shift controller: capacity', () => {
  it('suspends scale-in on both colours and raises green to blue’s running tasks × headroom before the first write', async () => {
    const { driver, deps } = setup();
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'promoted', report.reason);
    assert.deepEqual(driver.capacityCalls, [
      'suspend blue',
      'suspend green',
      'floor green 5',
      'serving green',
      'resume blue',
      'resume green',
    ]);
    const firstWrite = driver.calls.indexOf('writeWeights');
    assert.ok(
      driver.calls.indexOf('setCapacity') < firstWrite,
      'the floor is raised before any weight moves',
    );
    assert.deepEqual(driver.record?.value.capacity, { headroom: 1.2, scaleInSuspended: [], floor: null });
    assert.equal(driver.services.blue.suspended, false);
  });

  it('holds the first step until green has the healthy tasks for its share, then writes it', async () => {
    const { driver, deps, events, clock } = setup({ blue: 10, green: 2 });
    const started = clock.now();
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'steps:50,100' });
    assert.equal(report.status, 'promoted', report.reason);
    const capacity = events.filter((e) => e.gate === 'capacity');
    assert.equal(capacity[0]?.outcome, 'fail');
    assert.equal(capacity[0]?.value, 'green 2 healthy');
    assert.equal(capacity[0]?.threshold, "6 for 50 % of blue's 10 running × 1.2");
    const firstWrite = events.find((e) => e.action === 'write');
    const firstPass = capacity.find((e) => e.outcome === 'pass');
    assert.ok(firstWrite && firstPass && Date.parse(firstPass.time) <= Date.parse(firstWrite.time));
    assert.ok(
      Date.parse(firstWrite.time) - started >= driver.startSeconds * 1000,
      'not before the tasks came',
    );
  });

  it('passes at once when green has exactly the tasks the share needs', async () => {
    // 10 % of 10 running × 1.2 = 1.2 → 2 tasks; green runs 2 and its floor raise adds more later.
    const { deps, events } = setup({ blue: 10, green: 2 });
    await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    const first = events.find((e) => e.gate === 'capacity');
    assert.deepEqual(
      [first?.outcome, first?.value, first?.threshold],
      ['pass', 'green 2 healthy', "2 for 10 % of blue's 10 running × 1.2"],
    );
  });

  it('one task short at the deadline: rolls back with the gate’s reason, never sends green a request', async () => {
    const { driver, deps } = setup({ blue: 10, green: 1 });
    driver.services.green.placeable = 1; // the floor asks for 10; only 1 can be placed
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary', headroom: 1.2 });
    assert.equal(report.status, 'rolled-back');
    assert.match(
      report.reason,
      /^step 1 held for capacity until its deadline: capacity green 1 healthy \(needs 2 for 10 % of blue's 10 running × 1\.2\)$/,
    );
    assert.ok(!driver.calls.includes('writeWeights'), 'no step was written');
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
    assert.deepEqual(driver.capacityCalls.slice(-3), ['serving green', 'resume blue', 'resume green']);
    assert.equal(report.gates.capacity.fail > 0, true);
  });

  it('checks again before every later step, against the share of that step', async () => {
    const { driver, deps, events } = setup({ blue: 4, green: 4 });
    driver.services.green.placeable = 4;
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'linear:2', headroom: 1 });
    assert.equal(report.status, 'promoted', report.reason);
    const thresholds = events.filter((e) => e.gate === 'capacity').map((e) => e.threshold);
    assert.deepEqual(
      [...new Set(thresholds)],
      ["2 for 50 % of blue's 4 running × 1", "4 for 100 % of blue's 4 running × 1"],
    );
  });

  it('a crash right after the record was created: resume holds capacity, then drives the shift', async () => {
    const { driver, deps } = setup({ blue: 4, green: 2 });
    driver.crashAfterRecordWrite = 1;
    await assert.rejects(startShift(deps, { ...TO_GREEN, strategy: 'all-at-once' }), Crash);
    assert.deepEqual(driver.capacityCalls, [], 'nothing held yet');
    driver.crashAfterRecordWrite = 0;
    const report = await resumeShift(deps, true);
    assert.equal(report?.status, 'promoted', report?.reason);
    assert.deepEqual(driver.capacityCalls.slice(0, 3), ['suspend blue', 'suspend green', 'floor green 5']);
  });

  it('a failure to resume scale-in is recorded and named, and does not change the outcome', async () => {
    const { driver, deps, events } = setup();
    driver.failNext.set('resume blue', new Error('ThrottlingException: Rate exceeded'));
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'all-at-once' });
    assert.equal(report.status, 'promoted');
    const rec = driver.record?.value;
    assert.deepEqual(rec?.capacity?.scaleInSuspended, ['blue']);
    assert.match(
      rec?.lastError ?? '',
      /blue's scale-in still suspended: ThrottlingException.*exchange capacity release/,
    );
    assert.ok(events.some((e) => e.action === 'error' && /scale-in still suspended/.test(e.message ?? '')));
    assert.equal(driver.services.green.suspended, false, 'green was still resumed');
  });

  it('a rollback after blue was scaled down restores its capacity first, then the weights', async () => {
    const { driver, deps, clock } = setup({ blue: 4, green: 2 });
    await startShift(deps, { ...TO_GREEN, strategy: 'all-at-once' });
    await driver.setCapacity('blue', { mode: 'standby', tasks: 0 });
    driver.capacityCalls.length = 0;
    driver.calls.length = 0;
    const s = openSession(deps, driver.record!);
    const before = clock.now();
    await rollback(s, 'operator rolled back after the scale-down');
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
    // green runs 5 since its floor (⌈4 × 1.2⌉); blue must carry all of it: ⌈5 × 1.2⌉ = 6.
    assert.equal(driver.capacityCalls[0], 'floor blue 6');
    assert.ok(driver.calls.indexOf('setCapacity') < driver.calls.indexOf('rollbackWeights'));
    assert.ok(clock.now() - before >= driver.startSeconds * 1000, 'the weights waited for the tasks');
    assert.equal(driver.services.blue.healthy, 6);
  });

  it('a rollback during a shift reads no capacity: blue was never scaled down', async () => {
    const { driver, deps } = setup();
    const write = driver.writeWeights.bind(driver);
    driver.writeWeights = async (w) => {
      await write(w);
      driver.colours.green.page = 500;
    };
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'rolled-back');
    const rollbackAt = driver.calls.indexOf('rollbackWeights');
    const lastReadBefore = driver.calls.slice(0, rollbackAt).lastIndexOf('readCapacity');
    const lastWrite = driver.calls.lastIndexOf('writeWeights');
    assert.ok(lastReadBefore < lastWrite, 'no capacity read between the failing gate and the rollback write');
  });

  it('a reset onto a colour scaled down to standby restores its capacity first, then the weights, then its bounds', async () => {
    const { driver, deps, clock } = setup({ blue: 4, green: 2 });
    await startShift(deps, { ...TO_GREEN, strategy: 'all-at-once' });
    await driver.setCapacity('blue', { mode: 'standby', tasks: 0 });
    driver.capacityCalls.length = 0;
    driver.calls.length = 0;
    const said: string[] = [];
    const before = clock.now();
    await resetShift(deps, 'blue', (m) => said.push(m));
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
    assert.deepEqual(driver.capacityCalls, ['floor blue 6', 'serving blue'], 'raised before, bounds after');
    const calls = driver.calls.filter((c) => c === 'setCapacity' || c === 'rollbackWeights');
    assert.deepEqual(calls, ['setCapacity', 'rollbackWeights', 'setCapacity']);
    assert.ok(clock.now() - before >= driver.startSeconds * 1000, 'the weights waited for the tasks');
    assert.match(said.join('\n'), /blue runs 0 \(standby\): restoring 6 tasks/);
  });

  it('a reset onto a colour at size touches no capacity', async () => {
    const { driver, deps } = setup({ blue: 4, green: 2 });
    await startShift(deps, { ...TO_GREEN, strategy: 'all-at-once' });
    driver.capacityCalls.length = 0;
    await resetShift(deps, 'green');
    assert.deepEqual(driver.capacityCalls, []);
  });
});
