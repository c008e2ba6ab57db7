// What the driving loop does with a record another process left behind (issue 19): an abort request is
// rolled back as an abort, an interrupted rollback is finished with its reason, a paused shift holds
// its weights but still rolls back on a failing gate. And where each round's probes and metrics go.
import assert from 'node:assert/strict';
import { READINESS_PATH } from '../../contract/index.ts';
import { bakeGates, healthGates, roundTimeoutMs } from '../../shift/check.ts';
import { drive } from '../../shift/controller.ts';
import type { ProbeRequest } from '../../shift/port.ts';
import { openSession } from '../../shift/session.ts';
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import { FakeClock, FakeDriver } from './fakeDriver.ts';
import { canaryAtStep1 } from './records.ts';

/** A record of a canary shift blue → green at step 1 (green 10), as another process left it. */
function recordAt(clock: FakeClock, fields: Partial<ShiftRecord> = {}): ShiftRecord {
  return canaryAtStep1(clock.now(), { id: 'shift-left-behind', stepWrittenMs: clock.now(), ...fields });
}

function session(fields: Partial<ShiftRecord> = {}) {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  driver.live = { blue: 90, green: 10 };
  driver.applied = { blue: 90, green: 10 };
  const record = recordAt(clock, fields);
  driver.record = { value: structuredClone(record), etag: '"left"' };
  const s = openSession({ driver, clock, checkIntervalSeconds: 15 }, { value: record, etag: '"left"' });
  return { clock, driver, s };
}

describe('shift controller: records left by another process', () => {
  it('an abort request in the record is rolled back as an abort, with the operator as the reason', async () => {
    const { driver, s } = session({ request: 'abort' });
    const report = await drive(s);
    assert.equal(report.status, 'rolled-back');
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
    assert.equal(driver.record?.value.lastDecision?.action, 'abort');
    assert.equal(report.reason, 'abort requested by the operator');
  });

  it('a record left rolling-back finishes the rollback with its recorded reason, or "interrupted rollback"', async () => {
    const a = session({
      status: 'rolling-back',
      writing: true,
      lastDecision: { action: 'rollback', reason: 'metrics fail', time: '2026-12-01T05:00:00.000Z' },
    });
    const withReason = await drive(a.s);
    assert.deepEqual(
      { status: withReason.status, reason: withReason.reason },
      { status: 'rolled-back', reason: 'metrics fail' },
    );
    assert.deepEqual(a.driver.live, { blue: 100, green: 0 });
    const b = session({ status: 'rolling-back', writing: true });
    assert.equal((await drive(b.s)).reason, 'interrupted rollback');
  });

  it('a paused shift keeps its weights, checks health every interval, and still rolls back on a failure', async () => {
    const { clock, driver, s } = session({ status: 'paused' });
    const started = clock.now();
    let rounds = 0;
    s.deps.emit = (e) => {
      if (e.gate === 'target-health' && ++rounds === 3)
        driver.colours.green.health = { registered: 2, healthy: 1, desired: 2 };
    };
    const report = await drive(s);
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /^while paused: target-health 1\/2 healthy/);
    assert.equal(
      driver.calls.filter((c) => c === 'writeWeights').length,
      0,
      'no step is written while paused',
    );
    assert.ok(clock.now() - started >= 2 * 15_000, 'one health round per check interval while paused');
  });
});

describe('shift controller: writes racing another process', () => {
  it('a shift another process rolled back before our step write is not written', async () => {
    const { driver, s } = session({ currentStep: 0, weights: { blue: 100, green: 0 } });
    driver.live = { blue: 100, green: 0 };
    driver.record = {
      value: { ...structuredClone(s.rec.value), status: 'rolled-back', weights: { blue: 100, green: 0 } },
      etag: '"other"',
    };
    const report = await drive(s);
    assert.equal(report.status, 'rolled-back');
    assert.equal(driver.calls.filter((c) => c === 'writeWeights').length, 0, 'no weights after a rollback');
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
  });

  it('an abort that rolled back during our slower step write is reasserted after it', async () => {
    const { driver, s } = session({ currentStep: 0, weights: { blue: 100, green: 0 } });
    driver.live = { blue: 100, green: 0 };
    const write = driver.writeWeights.bind(driver);
    driver.writeWeights = async (w) => {
      // Another process aborts while the listener write is in flight, and wins the record.
      const r = driver.record?.value as ShiftRecord;
      driver.record = {
        value: { ...r, status: 'rolled-back', weights: { blue: 100, green: 0 } },
        etag: '"abort"',
      };
      driver.live = { blue: 100, green: 0 };
      await write(w);
    };
    await drive(s);
    assert.deepEqual(driver.live, { blue: 100, green: 0 }, 'the rollback must win over our late step write');
    assert.equal(driver.record?.value.status, 'rolled-back');
  });

  it('each step write is an event naming the step, its percent and the new colour, with the weights', async () => {
    const { s } = session({ currentStep: 0, weights: { blue: 100, green: 0 } });
    const writes: { message?: string; weights?: unknown }[] = [];
    s.deps.emit = (e) => {
      if (e.action === 'write') writes.push({ message: e.message, weights: e.weights });
    };
    await drive(s);
    assert.deepEqual(writes, [
      { message: 'step 1: 10% to green', weights: { green: 10, blue: 90 } },
      { message: 'step 2: 100% to green', weights: { green: 100, blue: 0 } },
    ]);
  });
});

describe('shift checks: where each round looks', () => {
  it('probes the new colour’s test route and the main URL for readiness, the main page, and trickles pages to both colours', async () => {
    const { driver, s } = session();
    const seen: ProbeRequest[] = [];
    const probe = driver.probe.bind(driver);
    driver.probe = (req) => (seen.push(req), probe(req));
    await healthGates(s);
    const deadline = roundTimeoutMs(s);
    const key = (r: ProbeRequest): string =>
      `${r.route.via === 'main' ? 'main' : r.route.color} ${r.path} ${r.timeoutMs}`;
    const keys = new Set(seen.map(key));
    assert.deepEqual(
      [...keys].sort(),
      [
        `blue / ${deadline}`,
        `green / ${deadline}`,
        `green ${READINESS_PATH} ${deadline}`,
        `main / ${deadline}`,
        `main ${READINESS_PATH} ${deadline}`,
      ].sort(),
      'readiness through the new colour’s test route and the main URL, the main page, the trickle to both, each bounded by the round deadline',
    );
    assert.equal(seen.filter((r) => r.path === READINESS_PATH).length, 2, 'one readiness probe per route');
  });

  it('the new colour answering its test route at the old version fails the probe', async () => {
    const { driver, s } = session();
    driver.colours.green.version = '1.0.0';
    const g = (await healthGates(s)).find(
      (x) => x.gate === 'probe-test-route' && x.value.startsWith('200 green'),
    );
    assert.equal(g?.outcome, 'fail', 'green must answer at the version preflight recorded (1.1.0)');
  });

  it('a probe that throws is a failed gate naming the error, not a crash', async () => {
    const { driver, s } = session();
    driver.probe = async () => {
      throw new Error('socket hang up');
    };
    const gates = await healthGates(s);
    const readiness = gates.filter((g) => g.gate !== 'target-health' && g.threshold.includes('from'));
    assert.equal(readiness.length, 2);
    for (const g of readiness) {
      assert.equal(g.outcome, 'fail');
      assert.equal(g.value, 'no answer (socket hang up)');
    }
    const mainPage = gates.find((g) => g.gate === 'probe-main' && g.threshold === 'page 200');
    assert.equal(mainPage?.outcome, 'no-data', 'one failed main-URL page is held (3 in a row fail)');
    const trickle = gates.find((g) => g.gate === 'probe-test-route' && g.threshold.startsWith('page 200;'));
    assert.equal(
      trickle?.outcome,
      'fail',
      `a round of failed trickle pages is a hard failure: ${trickle?.value}`,
    );
  });

  it('the metrics window runs from the bake’s start to now', async () => {
    const { clock, driver, s } = session({ bakeStartedMs: Date.parse('2026-12-01T04:58:00Z') });
    let window: { fromMs: number; toMs: number } | undefined;
    driver.colours.green.metrics = (w) => ((window = w), { requests: 100, errors5xx: 0, p99Ms: 10 });
    await bakeGates(s);
    assert.deepEqual(window, { fromMs: Date.parse('2026-12-01T04:58:00Z'), toMs: clock.now() });
  });
});
