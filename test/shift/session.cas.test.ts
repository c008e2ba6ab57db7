// Every record change is a compare-and-swap (issue 19): a lost race re-reads and reapplies the change
// so another writer's fields survive; an ended or replaced record is never overwritten; five lost races
// in a row, or any other error, reach the caller. The report counts gate outcomes from gate events only.
import assert from 'node:assert/strict';
import { RecordConflictError } from '../../shift/errors.ts';
import { buildReport, emit, emitGate, openSession, update } from '../../shift/session.ts';
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import { FakeClock, FakeDriver } from './fakeDriver.ts';
import { canaryAtStep1 } from './records.ts';

function setup() {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  const record = canaryAtStep1(clock.now(), { id: 'shift-cas' });

  driver.record = { value: structuredClone(record), etag: '"e0"' };
  const s = openSession({ driver, clock }, { value: record, etag: '"e0"' });
  /** Another process writes the record (a new etag). */
  const other = (change: Partial<ShiftRecord>) => {
    const v = driver.record?.value as ShiftRecord;
    driver.record = { value: { ...v, ...change }, etag: `"other-${Math.random()}"` };
  };
  return { driver, s, other };
}

describe('shift session: compare-and-swap updates', () => {
  it('a lost race re-reads and applies the change to the fresh record: the other writer’s fields survive', async () => {
    const { driver, s, other } = setup();
    other({ request: 'pause' });
    const r = await update(s, (x) => ({ ...x, currentStep: 2 }));
    assert.deepEqual({ step: r.currentStep, request: r.request }, { step: 2, request: 'pause' });
    assert.deepEqual(driver.record?.value.request, 'pause');
    assert.equal(driver.record?.value.currentStep, 2);
  });

  it('a record that ended meanwhile is returned untouched, not overwritten', async () => {
    const { driver, s, other } = setup();
    other({ status: 'rolled-back' });
    const etag = driver.record?.etag;
    const r = await update(s, (x) => ({ ...x, status: 'running', currentStep: 2 }));
    assert.equal(r.status, 'rolled-back');
    assert.equal(driver.record?.etag, etag, 'no write after the record ended');
  });

  it('a record replaced by another shift is an error, never overwritten', async () => {
    const { s, other } = setup();
    other({ id: 'shift-other' });
    await assert.rejects(
      update(s, (x) => x),
      RecordConflictError,
    );
  });

  it('five lost races in a row reach the caller; four are retried', async () => {
    const four = setup();
    let conflicts = 0;
    const write = four.driver.writeRecord.bind(four.driver);
    four.driver.writeRecord = async (rec, ifMatch) => {
      if (conflicts < 4) {
        conflicts += 1;
        throw new RecordConflictError('raced');
      }
      return write(rec, ifMatch);
    };
    assert.equal((await update(four.s, (x) => ({ ...x, currentStep: 2 }))).currentStep, 2);
    const five = setup();
    let attempts = 0;
    five.driver.writeRecord = async () => {
      attempts += 1;
      throw new RecordConflictError('raced');
    };
    await assert.rejects(
      update(five.s, (x) => x),
      RecordConflictError,
    );
    assert.equal(attempts, 5);
  });

  it('an error that is not a lost race is not retried', async () => {
    const { driver, s } = setup();
    let attempts = 0;
    driver.writeRecord = async () => {
      attempts += 1;
      throw new Error('AccessDenied');
    };
    await assert.rejects(
      update(s, (x) => x),
      /AccessDenied/,
    );
    assert.equal(attempts, 1);
  });

  it('the report counts pass, fail and no-data per gate from gate events only', () => {
    const { s } = setup();
    emitGate(s, { gate: 'metrics', outcome: 'pass', value: '', threshold: '' });
    emitGate(s, { gate: 'metrics', outcome: 'no-data', value: '', threshold: '' });
    emitGate(s, { gate: 'split', outcome: 'fail', value: '', threshold: '' });
    emit(s, 'write', { message: 'not a gate' });
    emit(s, 'hold', { gate: 'metrics' });
    const gates = buildReport(s).gates;
    assert.deepEqual(gates.metrics, { pass: 1, fail: 0, noData: 1 });
    assert.deepEqual(gates.split, { pass: 0, fail: 1, noData: 0 });
    assert.deepEqual(gates['target-health'], { pass: 0, fail: 0, noData: 0 });
  });
});
