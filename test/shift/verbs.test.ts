// The `exchange shift` verbs over the fake driver: what each prints in plain, JSON and TTY mode, and
// its exit code; the command's flag parsing.
import assert from 'node:assert/strict';
import shiftCommand, { parseVerbOptions } from '../../cli/commands/shift.ts';
import { UsageError } from '../../lib/errors.ts';
import { PreflightRefusal } from '../../shift/errors.ts';
import { runShiftVerb, type VerbIO } from '../../shift/verbs.ts';
import { FakeClock, FakeDriver } from './fakeDriver.ts';

function io(mode: 'plain' | 'json' | 'tty'): VerbIO & { text: () => string } {
  const out: string[] = [];
  return {
    write: (t) => void out.push(t),
    isTTY: mode === 'tty',
    json: mode === 'json',
    text: () => out.join(''),
  };
}

describe('shift verbs', () => {
  it('plan prints every step, the total and the rollback budget, and changes nothing', async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    const o = io('plain');
    assert.equal(await runShiftVerb('plan', { to: 'green' }, { driver, clock }, o), 0);
    assert.match(o.text(), /Shift blue → green, strategy canary/);
    assert.match(o.text(), / 1 {2}green 10% +blue 90 \/ green 10 +bake 5m/);
    assert.match(
      o.text(),
      /fixed limits \(outer guard, 60s metrics\): 2m23s = detection 136s \+ write 2s \+ propagation 5s/,
    );
    assert.equal(driver.record, undefined);
    assert.ok(!driver.calls.includes('writeWeights'));
  });

  it('start: exit 0 when promoted, with JSON events one per line and the report last', async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    const o = io('json');
    assert.equal(await runShiftVerb('start', { to: 'green', bakeSeconds: 120 }, { driver, clock }, o), 0);
    const lines = o
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines[0]?.plan !== undefined, 'the plan comes first');
    assert.ok(lines.some((l) => l.action === 'split-confirmed'));
    const last = lines[lines.length - 1] as { report: { status: string } };
    assert.equal(last.report.status, 'promoted');
  });

  it('start: exit 1 when rolled back; plain lines carry gate, value and threshold', async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    driver.colours.green.metrics = () => ({ requests: 1000, errors5xx: 200, p99Ms: 100 });
    const o = io('plain');
    assert.equal(await runShiftVerb('start', { to: 'green', bakeSeconds: 120 }, { driver, clock }, o), 1);
    assert.match(
      o.text(),
      /step 1 hold metrics=fail 1000 req, 5xx 20%, p99 100 ms \(needs ≥ 50 req, 5xx ≤ 10%, p99 ≤ 1000 ms\)/,
    );
    assert.match(o.text(), /rolled-back .*metrics 1000 req/);
  });

  it('start refused by preflight throws PreflightRefusal (exit 3), nothing written', async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    driver.colours.green.version = '1.0.0';
    await assert.rejects(
      runShiftVerb('start', { to: 'green' }, { driver, clock }, io('plain')),
      (e: unknown) => e instanceof PreflightRefusal && e.exitCode === 3,
    );
    assert.equal(driver.record, undefined);
  });

  it('TTY mode redraws one progress line with a weights bar', async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    const o = io('tty');
    await runShiftVerb('start', { to: 'green', bakeSeconds: 120, strategy: 'linear' }, { driver, clock }, o);
    await new Promise((r) => setImmediate(r));
    assert.ok(
      o.text().includes('\r\u001b[2Kstep '),
      'progress is redrawn in place (carriage return, erase line)',
    );
    assert.match(o.text(), /step \d\/4 blue \[[█░]{20}\] green \d+%/);
  });

  it('status after a crash says no controller runs and what to do', async () => {
    const clock = new FakeClock();
    const driver = new FakeDriver(clock);
    driver.crashAfterRecordWrite = 4;
    await assert.rejects(
      runShiftVerb('start', { to: 'green', bakeSeconds: 120 }, { driver, clock }, io('plain')),
    );
    clock.ms += 10 * 60_000;
    const o = io('plain');
    assert.equal(await runShiftVerb('status', {}, { driver, clock }, o), 0);
    assert.match(o.text(), /shift .*: blue → green \(canary\), running, step 1\/2/);
    assert.match(
      o.text(),
      /no controller has updated the record for \d+s: run "exchange shift resume" or "exchange shift abort"/,
    );
    assert.match(o.text(), /keep blue at full size/);
    const a = io('plain');
    assert.equal(await runShiftVerb('abort', {}, { driver, clock }, a), 0);
    assert.deepEqual(driver.live, { blue: 100, green: 0 });
  });

  it('flags: --to is required for plan/start, --bake parses durations, unknown verbs are usage errors', async () => {
    assert.throws(
      () => parseVerbOptions('start', {}),
      (e: unknown) => e instanceof UsageError && /--to is required: blue or green/.test(e.message),
    );
    assert.deepEqual(parseVerbOptions('plan', { to: 'green', bake: '3m', strategy: 'linear' }), {
      to: 'green',
      bakeSeconds: 180,
      strategy: 'linear',
    });
    const ctx = {
      log: { debug() {}, info() {}, warn() {}, error() {} },
      stdout: () => undefined,
      env: {},
      stopSignal: new Promise<string>(() => undefined),
    };
    await assert.rejects(
      shiftCommand.run({}, ['rollout'], ctx as never),
      (e: unknown) => e instanceof UsageError && e.exitCode === 2,
    );
  });
});
