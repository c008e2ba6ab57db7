// Strategy and duration parsing at their edges (issue 19): each integer range is inclusive at both ends,
// anything that is not a plain integer is refused with a hint, and durations read and print exactly.
import assert from 'node:assert/strict';
import { PlanError } from '../../shift/errors.ts';
import { buildPlan, formatDuration, parseDuration, strategyPercents } from '../../shift/plan.ts';
import { TIMING } from './fakeDriver.ts';

const refused = (strategy: string, message: RegExp, hint?: RegExp) =>
  assert.throws(
    () => strategyPercents(strategy),
    (err: unknown) =>
      err instanceof PlanError &&
      message.test(err.message) &&
      (hint === undefined || hint.test(err.hint ?? '')),
    strategy,
  );

describe('shift plan: strategies and durations at their edges', () => {
  it('canary:P takes 1–99 inclusive; 0, 100 and non-integers are refused with an example', () => {
    assert.deepEqual(strategyPercents('canary:1'), [1, 100]);
    assert.deepEqual(strategyPercents('canary:99'), [99, 100]);
    refused('canary:0', /strategy "canary:0": "0" is not an integer 1–99/, /^e\.g\. canary:2$/);
    refused('canary:100', /is not an integer 1–99/);
    for (const bad of ['canary:5.5', 'canary:x5', 'canary:5x', 'canary:', 'canary:55a'])
      refused(bad, /is not an integer 1–99/);
    assert.deepEqual(strategyPercents('canary:25'), [25, 100], 'two-digit values are fine');
  });

  it('linear:N takes 2–20 inclusive and spreads the steps evenly to 100', () => {
    assert.deepEqual(strategyPercents('linear:2'), [50, 100]);
    assert.equal(strategyPercents('linear:20').length, 20);
    assert.deepEqual(strategyPercents('linear:3'), [33, 67, 100]);
    refused('linear:1', /is not an integer 2–20/, /^e\.g\. linear:3$/);
    refused('linear:21', /is not an integer 2–20/);
  });

  it('steps: every step an integer 1–100, increasing, ending at 100', () => {
    assert.deepEqual(strategyPercents('steps:1,100'), [1, 100]);
    assert.deepEqual(strategyPercents('steps:100'), [100]);
    refused('steps:0,100', /step "0" is not an integer percent 1–100/, /^e\.g\. steps:5,25,50,100$/);
    refused('steps:5,101', /step "101" is not an integer percent 1–100/);
    refused('steps:5x,100', /step "5x" is not an integer/);
    refused('steps:x5,100', /step "x5" is not an integer/);
    refused('steps:50,25,100', /steps must increase/, /^e\.g\. steps:5,25,50,100$/);
    refused('steps:5,25', /the last step must be 100/, /^e\.g\. steps:5,25,100$/);
  });

  it('unknown strategies and arguments where none is taken are refused with the list', () => {
    refused(
      'all-at-once:5',
      /strategy "all-at-once:5" is unknown/,
      /all-at-once, canary\[:P\], linear\[:N\]/,
    );
    refused('steps', /is unknown/);
    refused('blue-green', /is unknown/);
    assert.deepEqual(strategyPercents('all-at-once'), [100]);
  });

  it('a shift to the live colour is refused; the bake must be a whole number of seconds', () => {
    assert.throws(
      () => buildPlan({ from: 'blue', to: 'blue' }, TIMING),
      (err: unknown) => err instanceof PlanError && /--to blue is already the live colour/.test(err.message),
    );
    assert.throws(
      () => buildPlan({ from: 'blue', to: 'green', bakeSeconds: 150.5 }, TIMING),
      (err: unknown) => err instanceof PlanError && err.hint === 'pass --bake 120s or more',
    );
  });

  it('durations: hours, minutes and seconds in order, a bare number is seconds; anything else is refused', () => {
    const cases: [string, number][] = [
      ['90s', 90],
      ['5m', 300],
      ['1m30s', 90],
      ['300', 300],
      ['12h', 43_200],
      ['1h2m3s', 3723],
      [' 45s ', 45],
      ['10m5', 605],
    ];
    for (const [text, seconds] of cases) assert.equal(parseDuration(text), seconds, text);
    for (const bad of ['', '  ', 'x', '5 m', '1s30m', 'm', '-5s', 'h5'])
      assert.throws(
        () => parseDuration(bad),
        (err: unknown) =>
          err instanceof PlanError &&
          err.message === `duration "${bad}" is not understood` &&
          err.hint === 'e.g. 90s, 5m or 1m30s',
        JSON.stringify(bad),
      );
  });

  it('durations print as the shortest h/m/s text, 0 as 0s', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [59, '59s'],
      [60, '1m'],
      [61, '1m1s'],
      [3600, '1h'],
      [3661, '1h1m1s'],
      [7200.4, '2h'],
    ];
    for (const [seconds, text] of cases) assert.equal(formatDuration(seconds), text, String(seconds));
  });
});
