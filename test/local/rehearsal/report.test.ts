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
    canary: g,
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
    budget: null,
    load: { before: 0.5, after: 0.7, cpus: 2 },
    durationMs: 2000,
  };
}

const round = (ms: number) =>
  ev(ms, 1, 'hold', { gate: 'target-health', outcome: 'pass', value: '1/1 healthy', threshold: '' });

/**
 * Fault at 500 ms into step 1, rounds at 550, 580 and 600 (the first failing gate), rollback written
 * at 610 and applied (done) at 620: 3 rounds and a 10 ms write.
 */
function faulted(records: LoadRecord[], budgetRounds = 7): RehearsalFacts {
  const events = [
    ev(0, 1, 'write', { weights: { blue: 0, green: 100 } }),
    round(550),
    round(580),
    round(600),
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
    budget: {
      detectionSeconds: 0.7,
      terms: '6 failed trickle pages in a row',
      rounds: budgetRounds,
      writeMs: 1000,
    },
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

  it('judges the budget in check rounds on the controller’s clock, with the load beside the wall clock', () => {
    const r = buildRehearsalReport(faulted([]));
    assert.equal(r.ok, true, r.verdict);
    assert.deepEqual([r.detectionRounds, r.budgetRounds, r.rollbackWriteMs], [3, 7, 10]);
    assert.match(
      r.verdict,
      /after 3 check rounds \(budget 7\) \+ a 10 ms write; 120 ms on the wall clock at load 0\.5\/2 cores/,
    );
  });

  it('a busy machine (slow rounds, wall clock far over the nominal budget) still passes within its rounds', () => {
    const f = faulted([]);
    const slow = { ...f, budget: { ...f.budget!, detectionSeconds: 0.01, writeMs: 20 } };
    assert.ok(buildRehearsalReport(slow).faultToRollbackMs! > buildRehearsalReport(slow).rollbackBudgetMs);
    assert.equal(buildRehearsalReport(slow).ok, true);
  });

  it('fails a detection that took more rounds than the fault’s budget', () => {
    const r = buildRehearsalReport(faulted([], 2));
    assert.equal(r.ok, false);
    assert.match(r.verdict, /detected after 3 check rounds \(budget 2\): over the budget/);
  });

  it('a shared fault passes only when not rolled back and the judge said it was shared', () => {
    const said = ev(700, 1, 'hold', {
      gate: 'canary',
      outcome: 'pass',
      value: 'pass: error-rate green 5xx 5.0 % … — a shared fault, not the release',
      threshold: '',
    });
    const shared = {
      ...faulted([]),
      fault: { kind: '5xx-rate' as const, percent: 5, shared: true, step: 1 },
      shift: shift('promoted', { blue: 0, green: 100 }),
    };
    assert.equal(buildRehearsalReport({ ...shared, events: [said] }).ok, true);
    assert.match(buildRehearsalReport({ ...shared, events: [] }).verdict, /never said it was shared/);
    const rolled = { ...shared, shift: shift('rolled-back', { blue: 100, green: 0 }) };
    assert.match(buildRehearsalReport(rolled).verdict, /shared fault shared:5xx-rate:5@1 rolled back/);
  });

  it('fails a faulted shift that promoted anyway', () => {
    const f = { ...faulted([]), shift: shift('promoted', { blue: 0, green: 100 }) };
    assert.match(buildRehearsalReport(f).verdict, /did not roll back: promoted/);
  });
});
