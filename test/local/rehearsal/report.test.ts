import assert from 'node:assert/strict';
import type { Color } from '../../../contract/index.ts';
import type { LoadRecord } from '../../../local/load.ts';
import { buildRehearsalReport, type RehearsalFacts } from '../../../local/rehearsal/report.ts';
import type { ShiftEvent, ShiftReport } from '../../../shift/port.ts';

const T0 = Date.parse('2026-12-01T05:00:00.000Z');
const iso = (ms: number): string => new Date(T0 + ms).toISOString();

function ev(
  ms: number,
  step: number,
  action: ShiftEvent['action'],
  extra: Partial<ShiftEvent> = {},
): ShiftEvent {
  return { time: iso(ms), shiftId: 's', step, action, ...extra };
}

const rec = (sentMs: number, status: number, color: Color | undefined): LoadRecord => ({
  sentMs: T0 + sentMs,
  doneMs: T0 + sentMs + 2,
  status,
  color,
});

function shift(
  status: ShiftReport['status'],
  finalWeights: ShiftReport['finalWeights'],
  reason = 'x',
): ShiftReport {
  const g = { pass: 0, fail: 0, noData: 0 };
  const gates = {
    'target-health': g,
    'probe-main': g,
    'probe-test-route': g,
    metrics: g,
    split: g,
    capacity: g,
  };
  return {
    shiftId: 's',
    from: 'blue',
    to: 'green',
    status,
    stepsCompleted: 1,
    stepsPlanned: 1,
    finalWeights,
    durationSeconds: 1,
    gates,
    reason,
    scaleDownSafeAt: null,
  };
}

function clean(records: LoadRecord[]): RehearsalFacts {
  const events = [
    ev(0, 1, 'write', { weights: { blue: 90, green: 10 } }),
    ev(100, 1, 'hold', {
      gate: 'split',
      outcome: 'pass',
      value: 'green 10% of 100',
      threshold: '10% ± 9.5%',
    }),
    ev(1000, 2, 'write', { weights: { blue: 0, green: 100 } }),
    ev(2000, 2, 'done'),
  ];
  return {
    strategy: 'canary',
    rps: 200,
    fault: null,
    from: 'blue',
    to: 'green',
    shift: shift('promoted', { blue: 0, green: 100 }),
    events,
    records,
    faultAtMs: null,
    rollbackBudgetMs: 17000,
    durationMs: 2000,
  };
}

/** Fault at 500 ms into step 1, first failing gate at 600, rollback written at 610 and applied (done) at 620. */
function faulted(records: LoadRecord[], budget = 17000): RehearsalFacts {
  const events = [
    ev(0, 1, 'write', { weights: { blue: 0, green: 100 } }),
    ev(600, 1, 'hold', { gate: 'probe-test-route', outcome: 'fail', value: '503', threshold: '200' }),
    ev(610, 1, 'rollback', { weights: { blue: 100, green: 0 } }),
    ev(620, 1, 'done'),
  ];
  return {
    ...clean(records),
    fault: { kind: '5xx', step: 1 },
    shift: shift('rolled-back', { blue: 100, green: 0 }),
    events,
    faultAtMs: T0 + 500,
    rollbackBudgetMs: budget,
  };
}

describe('rehearsal report', () => {
  it('passes a clean shift that promoted with no failed request, and shows what the load saw per step', () => {
    const records = [
      rec(10, 200, 'blue'),
      rec(20, 200, 'green'),
      rec(30, 200, 'blue'),
      rec(1100, 200, 'green'),
    ];
    const r = buildRehearsalReport(clean(records));
    assert.equal(r.ok, true, r.verdict);
    assert.equal(r.totalRequests, 4);
    assert.deepEqual(
      r.steps.map((s) => [s.observedSplit.blue, s.observedSplit.green]),
      [
        [2, 1],
        [0, 1],
      ],
    );
    assert.deepEqual(r.steps[0]!.gates[0], {
      gate: 'split',
      outcome: 'pass',
      value: 'green 10% of 100',
      threshold: '10% ± 9.5%',
    });
  });

  it('fails a clean shift with even one failed request', () => {
    const r = buildRehearsalReport(clean([rec(10, 200, 'blue'), rec(20, 502, 'green')]));
    assert.equal(r.ok, false);
    assert.match(r.verdict, /1 requests failed/);
  });

  it('passes a rollback whose failures all came from the new colour between the fault and the rollback', () => {
    const cutByKill: LoadRecord = { sentMs: T0 + 450, doneMs: T0 + 505, status: 0, color: 'green' };
    const r = buildRehearsalReport(
      faulted([
        rec(100, 200, 'green'),
        cutByKill,
        rec(550, 500, 'green'),
        rec(615, 500, 'green'),
        rec(700, 200, 'blue'),
      ]),
    );
    assert.equal(r.ok, true, r.verdict);
    assert.equal(r.failedRequests, 3, 'a request in flight when the fault struck counts as the fault’s');
    assert.deepEqual([r.detectToRollbackMs, r.faultToRollbackMs], [20, 120]);
  });

  const unexplained: [string, LoadRecord][] = [
    ['from the old colour', rec(550, 502, 'blue')],
    ['that failed before the fault', rec(400, 500, 'green')],
    ['sent after the rollback was applied', rec(700, 500, 'green')],
    ['of unknown colour', rec(550, 0, undefined)],
  ];
  for (const [name, bad] of unexplained) {
    it(`fails a rollback with a failed request ${name}`, () => {
      const r = buildRehearsalReport(faulted([rec(550, 500, 'green'), bad]));
      assert.equal(r.ok, false, `a failure ${name} must not be blamed on the fault`);
      assert.equal(r.unexplainedFailures, 1);
    });
  }

  it('fails a rollback slower than the plan’s budget', () => {
    const r = buildRehearsalReport(faulted([], 100));
    assert.equal(r.ok, false);
    assert.match(r.verdict, /rolled back in 120 ms, over the budget of 100 ms/);
  });

  it('fails a faulted shift that promoted anyway', () => {
    const f = { ...faulted([]), shift: shift('promoted', { blue: 0, green: 100 }) };
    assert.match(buildRehearsalReport(f).verdict, /did not roll back: promoted/);
  });
});
