// The operator's side of a shift, tried as a new user would (issue 17 §5, §6): pause and resume, an
// abort or a reset from another terminal, a graceful stop, the record vanishing mid-shift, and the
// hints every refusal gives. Fake driver and clock; one test per rule.
import assert from 'node:assert/strict';
import {
  abortShift,
  requestShift,
  resetShift,
  resumeShift,
  startShift,
  type StartRequest,
} from '../../shift/api.ts';
import { CorruptDocumentError } from '../../release/state/store.ts';
import { PreflightRefusal, RecordConflictError } from '../../shift/errors.ts';
import { localHints } from '../../shift/drivers/local.ts';
import { renderProgress } from '../../shift/format.ts';
import type { ShiftEvent } from '../../shift/port.ts';
import { runShiftVerb, type VerbIO } from '../../shift/verbs.ts';
import { drivenNow } from '../../shift/session.ts';
import { Crash, FakeClock, FakeDriver } from './fakeDriver.ts';
import { sampleRecord } from './records.ts';

function setup() {
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  const events: ShiftEvent[] = [];
  return { driver, clock, events, deps: { driver, clock, emit: (e: ShiftEvent) => void events.push(e) } };
}

function io(mode: 'plain' | 'json' | 'tty'): VerbIO & { text: () => string } {
  const out: string[] = [];
  return {
    write: (t) => void out.push(t),
    isTTY: mode === 'tty',
    json: mode === 'json',
    text: () => out.join(''),
  };
}

const TO_GREEN: StartRequest = { to: 'green', bakeSeconds: 120 };

describe('pause and resume', () => {
  it('resume re-bakes the step from its start: the bake does not elapse while paused', async () => {
    const { driver, clock, deps, events } = setup();
    let pausedAt = 0;
    let resumedAt = 0;
    deps.emit = (e) => {
      events.push(e);
      if (e.action === 'split-confirmed' && e.step === 1 && pausedAt === 0) {
        pausedAt = clock.ms;
        void requestShift({ driver, clock }, 'pause');
      }
      // Paused for three bakes, then resumed from another terminal while this controller still runs.
      if (pausedAt > 0 && resumedAt === 0 && clock.ms - pausedAt > 3 * 120_000) {
        resumedAt = clock.ms;
        void resumeShift({ driver, clock });
      }
    };
    const report = await startShift(deps, TO_GREEN);
    assert.equal(report.status, 'promoted', report.reason);
    const advance = events.find((e) => e.action === 'advance');
    assert.ok(advance && resumedAt > 0);
    assert.ok(
      Date.parse(advance.time) - resumedAt >= 120_000,
      `step 1 advanced ${(Date.parse(advance.time) - resumedAt) / 1000}s after resume: it must bake a whole 120s again`,
    );
    assert.ok(
      events.some((e) => e.action === 'pause'),
      'the controller says it holds',
    );
    assert.ok(
      events.some((e) => e.action === 'resume'),
      'and that it continues',
    );
  });

  it('while paused the progress line says so and counts nothing down', () => {
    const r = sampleRecord({ status: 'paused' });
    const line = renderProgress(r, undefined, (r.bakeStartedMs ?? 0) + 3000);
    assert.match(line, /paused/);
    assert.doesNotMatch(line, /left/);
  });
});

describe('another terminal ends the shift', () => {
  it('abort from another terminal: the progress line is cleared first and the controller says who ended it', async () => {
    const { driver, clock } = setup();
    const o = io('tty');
    const emit = (e: ShiftEvent) => {
      if (e.action === 'split-confirmed') void abortShift({ driver, clock });
    };
    const code = await runShiftVerb('start', TO_GREEN, { driver, clock, emit }, o);
    assert.equal(code, 1);
    const text = o.text();
    assert.doesNotMatch(text, /% ·[^\n\r]*shift \S+ blue → green/, 'the report must not be glued to the bar');
    const ended = text
      .replaceAll('\r\u001b[2K', '\n')
      .split('\n')
      .find((l) => l.includes('ended by another process'));
    assert.match(
      ended ?? '',
      /^\S+ step 1 abort \[blue 100 \/ green 0\] ended by another process: abort requested/,
    );
  });

  it("the abort command's report gives the shift's age and the gate checks its controller made", async () => {
    const { driver, clock, deps } = setup();
    driver.crashAfterRecordWrite = 6;
    await assert.rejects(startShift(deps, TO_GREEN), Crash);
    const started = Date.parse(driver.record!.value.startedAt);
    clock.ms += 12_000;
    const report = await abortShift({ driver, clock });
    assert.equal(report.durationSeconds, Math.round((clock.ms - started) / 1000));
    const checks = Object.values(report.gates).reduce((n, g) => n + g.pass + g.fail + g.noData, 0);
    assert.ok(
      checks > 0,
      `gate checks must be the controller's, not this process's: ${JSON.stringify(report.gates)}`,
    );
  });

  it('abort with nothing to abort and traffic on one colour: says so, exit 0', async () => {
    const { driver, clock } = setup();
    const o = io('plain');
    assert.equal(await runShiftVerb('abort', {}, { driver, clock }, o), 0);
    assert.match(o.text(), /nothing to abort: no shift was ever recorded; live weights blue 100 \/ green 0/);
  });

  it('abort with no shift recorded but traffic split: refused, naming reset', async () => {
    const { driver, clock } = setup();
    driver.live = { blue: 90, green: 10 };
    await assert.rejects(runShiftVerb('abort', {}, { driver, clock }, io('plain')), (e: unknown) => {
      assert.ok(e instanceof PreflightRefusal);
      assert.match(e.oneLine(), /blue 90 \/ green 10.*"exchange shift reset --to blue" or --to green/);
      return true;
    });
  });
});

describe('reset: one colour from any state', () => {
  it('no record, traffic split: reset --to blue puts and records blue 100', async () => {
    const { driver, clock } = setup();
    driver.live = { blue: 90, green: 10 };
    driver.recorded = { blue: 90, green: 10 };
    const o = io('plain');
    assert.equal(await runShiftVerb('reset', { to: 'blue' }, { driver, clock }, o), 0);
    assert.deepEqual(
      [driver.live, driver.recorded],
      [
        { blue: 100, green: 0 },
        { blue: 100, green: 0 },
      ],
    );
    assert.match(o.text(), /live weights blue 100 \/ green 0/);
  });

  it('a shift whose controller died: reset --to green ends it promoted by the operator, green 100', async () => {
    const { driver, clock, deps } = setup();
    driver.crashAfterRecordWrite = 6;
    await assert.rejects(startShift(deps, TO_GREEN), Crash);
    await resetShift({ driver, clock }, 'green');
    assert.deepEqual(driver.live, { blue: 0, green: 100 });
    const r = driver.record!.value;
    assert.deepEqual([r.status, r.lastDecision?.action, r.writing], ['promoted', 'reset', false]);
    assert.deepEqual(r.weights, { blue: 0, green: 100 });
  });

  it('a running controller loses to a reset: it stops and the listener stays on the reset colour', async () => {
    const { driver, clock, deps } = setup();
    deps.emit = (e) => {
      if (e.action === 'split-confirmed' && e.step === 2) void resetShift({ driver, clock }, 'blue');
    };
    const report = await startShift(deps, { ...TO_GREEN, strategy: 'linear' });
    assert.equal(report.status, 'rolled-back');
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
  });

  it('a record that fails validation: reset still moves traffic and leaves the file alone', async () => {
    const { driver, clock } = setup();
    driver.live = { blue: 50, green: 50 };
    driver.failNext.set('readRecord', new CorruptDocumentError('shift-record.json is not valid JSON'));
    driver.record = { value: sampleRecord(), etag: '"bad"' };
    const o = io('plain');
    assert.equal(await runShiftVerb('reset', { to: 'blue' }, { driver, clock }, o), 0);
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
    assert.equal(driver.recordWrites, 0, 'a record that failed validation is never written');
    assert.match(o.text(), /the shift record was left as it is: shift-record\.json is not valid JSON/);
  });
});

describe('the record disappears mid-shift', () => {
  it('the controller rolls traffic back instead of leaving it split', async () => {
    const { driver, deps } = setup();
    deps.emit = (e) => {
      if (e.action === 'split-confirmed') driver.record = undefined;
    };
    const report = await startShift(deps, TO_GREEN);
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /shift record disappeared/);
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
    assert.equal(
      driver.record?.value.status,
      'rolled-back',
      'the record is written again, saying what happened',
    );
  });

  it('a record replaced by a bad file: traffic rolled back, the file not written', async () => {
    const { driver, deps } = setup();
    let broken = false;
    const read = driver.readRecord.bind(driver);
    driver.readRecord = async () => {
      if (broken) throw new CorruptDocumentError('shift-record.json is not a shift record: from: invalid');
      return read();
    };
    const write = driver.writeRecord.bind(driver);
    driver.writeRecord = async (r, etag) => {
      if (broken) throw new RecordConflictError('changed');
      return write(r, etag);
    };
    deps.emit = (e) => {
      if (e.action === 'split-confirmed') broken = true;
    };
    const report = await startShift(deps, TO_GREEN);
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /shift-record\.json is not a shift record/);
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
  });
});

describe('a graceful stop', () => {
  it('SIGTERM: the controller marks the record, says which weights it left, exit 143; status then says no controller runs', async () => {
    const { driver, clock } = setup();
    const stop = new AbortController();
    const emit = (e: ShiftEvent) => {
      if (e.action === 'split-confirmed') stop.abort('SIGTERM');
    };
    const o = io('plain');
    const code = await runShiftVerb('start', TO_GREEN, { driver, clock, emit, stop: stop.signal }, o);
    assert.equal(code, 143);
    assert.match(o.text(), /stop .*\[blue 90 \/ green 10\].*SIGTERM/);
    assert.ok(driver.record?.value.stoppedAt, 'the record says the controller stopped');
    assert.equal(driver.record?.value.status, 'running');
    const s = io('plain');
    await runShiftVerb('status', {}, { driver, clock }, s);
    assert.doesNotMatch(s.text(), /controller running/);
    assert.match(s.text(), /controller stopped .*: run "exchange shift resume" or "exchange shift abort"/);
  });

  it('a resumed controller clears the stop mark', async () => {
    const { driver, clock } = setup();
    const stop = new AbortController();
    const emit = (e: ShiftEvent) => {
      if (e.action === 'split-confirmed') stop.abort('SIGINT');
    };
    assert.equal(
      await runShiftVerb('start', TO_GREEN, { driver, clock, emit, stop: stop.signal }, io('plain')),
      130,
    );
    const report = await resumeShift({ driver, clock });
    assert.equal(report?.status, 'promoted');
    assert.equal(driver.record?.value.stoppedAt ?? null, null);
  });
});

describe('hints name the driver in use', () => {
  function localSetup() {
    const s = setup();
    s.driver.hints = localHints(' --local');
    return s;
  }

  it('status of a silent controller suggests the verbs with --local', async () => {
    const { driver, clock, deps } = localSetup();
    driver.crashAfterRecordWrite = 6;
    await assert.rejects(startShift(deps, TO_GREEN), Crash);
    clock.ms += 10 * 60_000;
    const o = io('plain');
    await runShiftVerb('status', {}, { driver, clock }, o);
    assert.match(o.text(), /run "exchange shift resume --local" or "exchange shift abort --local"/);
  });

  it('the loser of a start race is told a shift started meanwhile, never "pulumi up"', async () => {
    const { driver, clock } = localSetup();
    // The winner recorded its first step's weights between the loser's record read and its weights read.
    const live = driver.readLiveWeights.bind(driver);
    driver.readLiveWeights = async () => {
      driver.recorded = { blue: 90, green: 10 };
      driver.record = { value: sampleRecord(), etag: '"winner"' };
      return live();
    };
    await assert.rejects(startShift({ driver, clock }, TO_GREEN), (e: unknown) => {
      assert.ok(e instanceof PreflightRefusal);
      assert.match(
        e.oneLine(),
        /shift 20261201T050000-4f2a9c1e .* started meanwhile.*"exchange shift status --local"/,
      );
      assert.doesNotMatch(e.oneLine(), /pulumi/);
      return true;
    });
  });

  it('drift and a split start name reset with --local; an initial target names the router health checks', async () => {
    const { driver, clock } = localSetup();
    driver.live = { blue: 90, green: 10 };
    await assert.rejects(
      startShift({ driver, clock }, TO_GREEN),
      (e: PreflightRefusal) =>
        /"exchange shift reset --to <colour> --local"/.test(e.oneLine()) && !/pulumi/.test(e.oneLine()),
    );
    driver.recorded = { blue: 90, green: 10 };
    await assert.rejects(startShift({ driver, clock }, TO_GREEN), (e: PreflightRefusal) =>
      /traffic is split .*"exchange shift reset --to blue --local"/.test(e.oneLine()),
    );
    driver.live = driver.recorded = { blue: 100, green: 0 };
    driver.colours.green.health = { registered: 1, healthy: 0, desired: 1 };
    await assert.rejects(
      startShift({ driver, clock }, TO_GREEN),
      (e: PreflightRefusal) =>
        /2 health checks in a row, 10 s apart/.test(e.oneLine()) && !/deploy/.test(e.oneLine()),
    );
  });
});

describe('a round of gates', () => {
  it('probes concurrently, each bounded by the round deadline, with the split sample beside them', async () => {
    const { driver, deps } = setup();
    driver.timing = { ...driver.timing, probeTimeoutSeconds: 3 };
    let inFlight = 0;
    let most = 0;
    const timeouts = new Set<number | undefined>();
    let driving = false;
    deps.emit = (e) => void (driving ||= e.action === 'write');
    const probe = driver.probe.bind(driver);
    driver.probe = async (req) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Preflight probes keep the driver's own timeout: a first request may be slow, not hung.
      if (driving) timeouts.add(req.timeoutMs);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      return probe(req);
    };
    const sample = driver.sampleSplit.bind(driver);
    driver.sampleSplit = async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      return sample(n);
    };
    await startShift(deps, TO_GREEN);
    // Readiness through both routes, the main page, the split sample and the trickle's pages: all at once
    // (run one after another, at most one would be in flight).
    assert.ok(
      most >= 5,
      `the probes and the split sample of one round run at once (${most} in flight at most)`,
    );
    assert.deepEqual([...timeouts], [3000], 'every probe is bounded by the round deadline');
  });

  it('a round whose health fails rolls back at its deadline without waiting for the split sample', async () => {
    const { driver, deps } = setup();
    const write = driver.writeWeights.bind(driver);
    driver.writeWeights = async (w) => {
      await write(w);
      driver.colours.green.healthz = 503;
      driver.sampleSplit = () => new Promise(() => undefined); // a hung colour holds the sample forever
    };
    const report = await startShift(deps, TO_GREEN);
    assert.equal(report.status, 'rolled-back');
    assert.match(report.reason, /probe-test-route 503 green/);
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
  });
});

describe('plain output', () => {
  it('prints decisions, gate changes and failures, not every gate every round', async () => {
    const { driver, clock } = setup();
    driver.timing = { ...driver.timing, checkIntervalSeconds: 1 };
    const o = io('plain');
    const started = clock.ms;
    await runShiftVerb('start', { ...TO_GREEN, bakeSeconds: 120 }, { driver, clock }, o);
    const lines = o
      .text()
      .split('\n')
      .filter((l) => /^\d{4}-/.test(l));
    const seconds = (clock.ms - started) / 1000;
    assert.ok(lines.length / seconds <= 0.25, `${lines.length} lines in ${seconds}s of shift`);
    for (const action of ['write', 'split-confirmed', 'advance', 'done'])
      assert.ok(
        lines.some((l) => l.includes(` ${action}`)),
        `the ${action} decision is printed`,
      );
  });
});

describe('is a controller driving it? (resume and status share the rule)', () => {
  const r = sampleRecord({ heartbeatAt: '2026-12-01T05:00:00.000Z' });
  const at = Date.parse('2026-12-01T05:00:00.000Z');
  const timing = { writeSeconds: 2 };
  it('alive up to three check intervals plus one write after its last heartbeat, not a millisecond later', () => {
    assert.equal(drivenNow(r, at + (3 * 1 + 2) * 1000, 1, timing), true);
    assert.equal(drivenNow(r, at + (3 * 1 + 2) * 1000 + 1, 1, timing), false);
  });
  it('not alive once it marked itself stopped, or once the shift ended', () => {
    assert.equal(drivenNow({ ...r, stoppedAt: '2026-12-01T05:00:00.000Z' }, at, 1, timing), false);
    assert.equal(drivenNow({ ...r, status: 'rolled-back' }, at, 1, timing), false);
    assert.equal(drivenNow({ ...r, stoppedAt: null }, at, 1, timing), true);
  });
});
