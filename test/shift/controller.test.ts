// The controller against a fake driver and an injected clock: every strategy end to end, each gate's
// pass/fail/no-data, rollback from every step, operator verbs, crash+resume at every record write.
import assert from 'node:assert/strict';
import { abortShift, requestShift, resumeShift, startShift, type StartRequest } from '../../shift/api.ts';
import { PreflightRefusal, RecordConflictError, RollbackIncompleteError } from '../../shift/errors.ts';
import type { ShiftEvent } from '../../shift/port.ts';
import { Crash, FakeClock, FakeDriver } from './fakeDriver.ts';

function setup(): {
  driver: FakeDriver;
  clock: FakeClock;
  events: ShiftEvent[];
  deps: Parameters<typeof startShift>[0];
} {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  const events: ShiftEvent[] = [];
  return { driver, clock, events, deps: { driver, clock, emit: (e) => events.push(e) } };
}

const TO_GREEN: StartRequest = { to: 'green', bakeSeconds: 120 };

describe('shift controller', () => {
  for (const strategy of ['all-at-once', 'canary', 'linear', 'steps:5,25,50,100']) {
    it(`${strategy}: writes every step in order and ends promoted with green 100`, async () => {
      const { driver, deps } = setup();
      const report = await startShift(deps, { ...TO_GREEN, strategy });
      assert.equal(report.status, 'promoted', `expected promoted, got ${report.status}: ${report.reason}`);
      assert.deepEqual(
        driver.live,
        { blue: 0, green: 100 },
        'green must carry all traffic after a promotion',
      );
      const writes = driver.calls.filter((c) => c === 'writeWeights').length;
      assert.equal(writes, report.stepsPlanned, 'one weight write per step, no more');
      assert.ok(report.scaleDownSafeAt, 'a promoted shift says when blue may be scaled down');
    });
  }

  it('never starts the bake before the observed split matches, and fails the step at its deadline when it never does', async () => {
    const { driver, deps, events } = setup();
    driver.applyLag = true; // the listener accepted the weights but its nodes still route the old way
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'rolled-back');
    assert.ok(
      !events.some((e) => e.action === 'split-confirmed'),
      'no bake may start on an unconfirmed split',
    );
    assert.match(
      report.reason,
      /step 1 deadline passed: split fail green 0\.0% of 400 \(needs 10% ± 4\.6%\)/,
    );
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
  });

  it('a crash of the new colour while the split is still being confirmed rolls back at once, not at the deadline', async () => {
    const { driver, deps, clock } = setup();
    driver.applyLag = true;
    const orig = driver.writeWeights.bind(driver);
    let wroteAt = 0;
    driver.writeWeights = async (w) => {
      await orig(w);
      wroteAt = clock.now();
      driver.colours.green.health = { registered: 2, healthy: 0, desired: 2 };
    };
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /^target-health 0\/2 healthy/);
    assert.ok(clock.now() - wroteAt < 60_000, 'detected at the first check after the write');
  });

  it('rolls back on each failing gate, with the measured value and threshold in the reason', async () => {
    const cases: [string, (d: FakeDriver) => void, RegExp][] = [
      [
        'target health',
        (d) => (d.colours.green.health = { registered: 2, healthy: 1, desired: 2 }),
        /target-health 1\/2 healthy/,
      ],
      ['test-route probe', (d) => (d.colours.green.healthz = 503), /probe-test-route 503/],
      ['page probe', (d) => (d.colours.green.page = 500), /page 500/],
      [
        '5xx share',
        (d) => (d.colours.green.metrics = () => ({ requests: 1000, errors5xx: 150, p99Ms: 100 })),
        /metrics 1000 req, 5xx 15%.*5xx ≤ 10%/,
      ],
      [
        'p99',
        (d) => (d.colours.green.metrics = () => ({ requests: 1000, errors5xx: 0, p99Ms: 4000 })),
        /p99 4000 ms/,
      ],
    ];
    for (const [name, breakIt, reason] of cases) {
      const { driver, deps, events } = setup();
      deps.emit = (e) => {
        events.push(e);
        if (e.action === 'split-confirmed') breakIt(driver);
      };
      const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
      assert.equal(report.status, 'rolled-back', `${name}: a failing gate must roll back`);
      assert.match(report.reason, reason, `${name}: the reason must carry the measured value`);
      assert.deepEqual(driver.live, { blue: 100, green: 0 }, `${name}: all traffic back on blue`);
      assert.equal(
        driver.calls.filter((c) => c === 'rollbackWeights').length,
        1,
        `${name}: exactly one rollback write`,
      );
    }
  });

  it('rollback budget: a probe failure is back on blue within one check interval plus one listener write', async () => {
    const { driver, deps, clock } = setup();
    let brokeAt = 0;
    let doneAt = 0;
    deps.emit = (e) => {
      if (e.action === 'split-confirmed' && brokeAt === 0) {
        brokeAt = clock.now();
        driver.colours.green.healthz = 503;
      }
      if (e.action === 'done') doneAt = Date.parse(e.time);
    };
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'rolled-back');
    const seconds = (doneAt - brokeAt) / 1000;
    // Detection: the failure shows at the next check (15 s); then one write of rollbackWriteSeconds (2 s).
    assert.ok(
      seconds <= 15 + driver.timing.rollbackWriteSeconds,
      `rollback took ${seconds}s of injected time, budget 17s`,
    );
    assert.equal(
      driver.calls.filter((c) => c === 'writeWeights').length,
      1,
      'no step write after the failure',
    );
  });

  it('treats no metrics as no data: holds, never advances, and fails at the step deadline', async () => {
    const { driver, deps, events } = setup();
    driver.colours.green.metrics = () => ({ requests: null, errors5xx: null, p99Ms: null });
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /deadline passed: metrics no-data/);
    assert.ok(!events.some((e) => e.action === 'advance'), 'no data must never count as a pass');
    assert.ok(report.gates.metrics.noData > 0 && report.gates.metrics.pass === 0);
  });

  it('too few requests is no data too (below the minimum request count)', async () => {
    const { driver, deps } = setup();
    driver.colours.green.metrics = () => ({ requests: 10, errors5xx: 0, p99Ms: 50 });
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'all-at-once' });
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /deadline passed: metrics no-data 10 req \(needs ≥ 50 req/);
  });

  it('rolls back from every step of steps:5,25,50,100 with one write to blue 100', async () => {
    for (let failAt = 1; failAt <= 4; failAt++) {
      const { driver, deps } = setup();
      let writes = 0;
      const orig = driver.writeWeights.bind(driver);
      driver.writeWeights = async (w) => {
        await orig(w);
        if (++writes === failAt) driver.colours.green.healthz = 500;
      };
      const report = await startShift(deps, { ...TO_GREEN, strategy: 'steps:5,25,50,100' });
      assert.equal(report.status, 'rolled-back', `step ${failAt}`);
      assert.equal(
        driver.record?.value.currentStep,
        failAt,
        `the record keeps the step it failed at (${failAt})`,
      );
      assert.equal(writes, failAt, `step ${failAt}: no later step may be written`);
      assert.deepEqual(driver.live, { blue: 100, green: 0 });
      assert.equal(driver.calls.filter((c) => c === 'rollbackWeights').length, 1);
    }
  });

  it('a failed step write rolls back (the listener then holds a known value)', async () => {
    const { driver, deps } = setup();
    driver.failNext.set('writeWeights', new Error('pulumi up failed: ConcurrentUpdateError'));
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /write of step 1 failed: pulumi up failed/);
    assert.equal(driver.record?.value.writing, false);
  });

  it('a rollback whose listener write worked but reconcile failed is rolled-back with the known state recorded', async () => {
    const s2 = setup();
    s2.deps.emit = (e) => {
      if (e.action === 'split-confirmed') s2.driver.colours.green.healthz = 500;
    };
    s2.driver.failNext.set('rollbackWeights', new RollbackIncompleteError('pulumi up failed'));
    const r2 = await startShift(s2.deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(r2.status, 'rolled-back');
    assert.deepEqual(s2.driver.live, { blue: 100, green: 0 });
    assert.match(
      s2.driver.record?.value.lastError ?? '',
      /listener is back on blue 100% but the durable record\/reconcile failed/,
    );
  });

  it('a rollback whose listener write failed records failed and that weights are unknown', async () => {
    const { driver, deps } = setup();
    deps.emit = (e) => {
      if (e.action === 'split-confirmed') driver.colours.green.healthz = 500;
    };
    driver.failNext.set('rollbackWeights', new Error('ModifyListener AccessDenied'));
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'canary' });
    assert.equal(report.status, 'failed');
    assert.equal(driver.record?.value.writing, true, 'the record must say the listener value is not known');
    assert.match(
      driver.record?.value.lastError ?? '',
      /may still hold the step weights: ModifyListener AccessDenied — run "exchange shift abort" again/,
    );
    await abortShift(deps);
    assert.deepEqual(driver.live, { blue: 100, green: 0 }, 'abort repairs it');
    assert.equal(driver.record?.value.status, 'rolled-back');
  });
});

describe('shift operator verbs', () => {
  it('pause holds the weights (no advance) until resume; promote skips to 100; abort rolls back', async () => {
    const { driver, deps, clock } = setup();
    let paused = false;
    deps.emit = (e) => {
      if (e.action === 'split-confirmed' && !paused) {
        paused = true;
        void requestShift({ driver, clock }, 'pause');
      }
    };
    // The pause lands while the controller runs; it holds, so stop it by crashing on a later write.
    driver.crashAfterRecordWrite = driver.recordWrites + 12;
    await assert.rejects(startShift(deps, { ...TO_GREEN, strategy: 'steps:5,25,50,100' }), Crash);
    assert.equal(driver.record?.value.status, 'paused');
    assert.equal(driver.record?.value.currentStep, 1, 'paused at step 1: no advance while paused');
    clock.ms += 10 * 60_000; // the killed controller is silent for ten minutes
    await requestShift({ driver, clock }, 'promote');
    const report = await resumeShift({ driver, clock });
    assert.equal(report?.status, 'promoted');
    assert.equal(
      driver.calls.filter((c) => c === 'writeWeights').length,
      2,
      'promote writes the last step only',
    );
  });

  it('abort from another process rolls back at once, and the running controller stops', async () => {
    const { driver, deps, clock } = setup();
    deps.emit = (e) => {
      if (e.action === 'split-confirmed' && e.step === 2) void abortShift({ driver, clock });
    };
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'linear' });
    assert.equal(report.status, 'rolled-back');
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
    assert.equal(driver.record?.value.lastDecision?.action, 'abort');
  });

  it('preflight refuses a target whose test-route readiness fails, and changes nothing', async () => {
    const { driver, deps } = setup();
    driver.colours.green.healthz = 503;
    await assert.rejects(
      startShift(deps, TO_GREEN),
      (e: unknown) =>
        e instanceof PreflightRefusal &&
        e.exitCode === 3 &&
        /through green's test route answered 503/.test(e.message),
    );
    assert.equal(driver.record, undefined);
    assert.ok(!driver.calls.includes('writeWeights'));
  });

  it('preflight names EXCHANGE_TEST_KEY when the test route falls through to the live colour', async () => {
    const { driver, deps } = setup();
    driver.testRouteMatches = false;
    await assert.rejects(
      startShift(deps, TO_GREEN),
      (e: unknown) =>
        e instanceof PreflightRefusal &&
        /through green's test route answered 200 from blue/.test(e.message) &&
        /export EXCHANGE_TEST_KEY/.test(e.oneLine()),
    );
    assert.equal(driver.record, undefined);
  });

  it('preflight refuses drifted weights, a split start, a target without healthy targets, and the same version', async () => {
    const cases: [string, (d: FakeDriver) => void, RegExp][] = [
      [
        'drift',
        (d) => (d.live = { blue: 90, green: 10 }),
        /live weights \(blue 90 \/ green 10\) differ from the recorded ones \(blue 100 \/ green 0\)/,
      ],
      [
        'split',
        (d) => {
          d.live = { blue: 90, green: 10 };
          d.recorded = { blue: 90, green: 10 };
        },
        /traffic is split \(blue 90 \/ green 10\) and no shift is in progress/,
      ],
      [
        'health',
        (d) => (d.colours.green.health = { registered: 0, healthy: 0, desired: 2 }),
        /green target health 0\/0 healthy/,
      ],
      [
        'version',
        (d) => (d.colours.green.version = '1.0.0'),
        /green runs version 1\.0\.0, the same as live blue/,
      ],
    ];
    for (const [name, breakIt, why] of cases) {
      const { driver, deps } = setup();
      breakIt(driver);
      await assert.rejects(
        startShift(deps, TO_GREEN),
        (e: unknown) => e instanceof PreflightRefusal && why.test(e.message),
        name,
      );
    }
    const { driver, deps } = setup();
    driver.colours.green.version = '1.0.0';
    assert.equal(
      (await startShift(deps, { ...TO_GREEN, force: true })).status,
      'promoted',
      '--force shifts the same version',
    );
  });

  it('refuses a second shift while one is in progress', async () => {
    const { driver, deps } = setup();
    driver.crashAfterRecordWrite = 3;
    await assert.rejects(startShift(deps, TO_GREEN), Crash);
    await assert.rejects(
      startShift(deps, TO_GREEN),
      (e: unknown) => e instanceof PreflightRefusal && /is running/.test(e.message),
    );
  });

  it('two simultaneous starts: the conditional create lets exactly one win', async () => {
    const { driver, clock } = setup();
    const results = await Promise.allSettled([
      startShift({ driver, clock }, TO_GREEN),
      startShift({ driver, clock }, TO_GREEN),
    ]);
    const lost = results.filter((r) => r.status === 'rejected');
    assert.equal(lost.length, 1, 'one start must lose');
    assert.ok(
      lost[0]?.status === 'rejected' && lost[0].reason instanceof RecordConflictError,
      String(lost[0]?.status === 'rejected' && lost[0].reason),
    );
    assert.equal(
      results.find((r) => r.status === 'fulfilled')?.status === 'fulfilled' && driver.record?.value.status,
      'promoted',
    );
  });

  it('survives a crash after every record write: resume finishes the shift, weights end on green 100', async () => {
    const total = await (async () => {
      const { driver, deps } = setup();
      await startShift(deps, { ...TO_GREEN, strategy: 'steps:5,25,50,100' });
      return driver.recordWrites;
    })();
    for (let n = 1; n < total; n++) {
      const { driver, deps, clock } = setup();
      driver.crashAfterRecordWrite = n;
      await assert.rejects(startShift(deps, { ...TO_GREEN, strategy: 'steps:5,25,50,100' }), Crash);
      await assert.rejects(
        resumeShift({ driver, clock }),
        /is being driven/,
        'a fresh record means a controller may still run',
      );
      clock.ms += 10 * 60_000;
      const report = await resumeShift({ driver, clock });
      assert.equal(report?.status, 'promoted', `crash after write ${n}/${total}: ${report?.reason}`);
      assert.deepEqual(driver.live, { blue: 0, green: 100 }, `crash after write ${n}`);
    }
  });

  it('survives a crash after every record write with abort too: blue 100 and rolled-back', async () => {
    for (let n = 1; n < 12; n++) {
      const { driver, deps, clock } = setup();
      driver.crashAfterRecordWrite = n;
      await assert.rejects(startShift(deps, { ...TO_GREEN, strategy: 'linear' }), Crash);
      const report = await abortShift({ driver, clock });
      assert.equal(report.status, 'rolled-back', `crash after write ${n}`);
      assert.deepEqual(driver.live, { blue: 100, green: 0 });
    }
  });
});
