// The error-rate rule at its edges (mutation testing found them untested): an increase of exactly the
// allowed increase fails when significant; a colour at exactly the allowed rate counts as failing for the
// shared-fault verdict; equal rates read "+0 pt".
import assert from 'node:assert/strict';
import { fisherOneSided, judgeErrorRate } from '../../shift/judge/errorRate.ts';
import { DEFAULT_JUDGE, type SamplePair, type WindowSamples } from '../../shift/judge/samples.ts';

const win = (color: 'blue' | 'green', requests: number, errors5xx: number): WindowSamples => ({
  color,
  fromMs: 1_000_000,
  toMs: 1_060_000,
  source: 'router',
  requests,
  errors5xx,
  latency: null,
});
const pair = (canary: WindowSamples, baseline: WindowSamples): SamplePair => ({
  source: 'router',
  canary,
  baseline,
});

describe('canary judge: the error-rate rule at its edges', () => {
  it('a significant increase of exactly the allowed increase fails (the allowance is inclusive)', () => {
    const [k, b] = [win('green', 5000, 150), win('blue', 5000, 50)];
    const effect = 150 / 5000 - 50 / 5000;
    assert.ok(fisherOneSided(150, 5000, 50, 5000) < 0.01, 'the data must be significant for this rule');
    const f = judgeErrorRate(pair(k, b), { ...DEFAULT_JUDGE, errorAllowedIncrease: effect });
    assert.equal(f.outcome, 'fail', `+${effect} with an allowance of ${effect} must fail: ${f.value}`);
  });

  it('just under the allowed increase passes, however significant', () => {
    const [k, b] = [win('green', 5000, 150), win('blue', 5000, 50)];
    const effect = 150 / 5000 - 50 / 5000;
    const f = judgeErrorRate(pair(k, b), { ...DEFAULT_JUDGE, errorAllowedIncrease: effect + 1e-9 });
    assert.equal(f.outcome, 'pass', f.value);
  });

  it('both colours at exactly the allowed rate: a shared fault, not the release', () => {
    const rate = 25 / 1000;
    const f = judgeErrorRate(pair(win('green', 1000, 25), win('blue', 1000, 25)), {
      ...DEFAULT_JUDGE,
      errorAllowedIncrease: rate,
    });
    assert.equal(f.outcome, 'pass');
    assert.match(f.value, /both colours fail alike — a shared fault/, 'the baseline at the limit counts');
  });

  it('the canary at exactly the allowed rate, the baseline above it: shared as well', () => {
    const f = judgeErrorRate(pair(win('green', 1000, 25), win('blue', 1000, 40)), {
      ...DEFAULT_JUDGE,
      errorAllowedIncrease: 25 / 1000,
    });
    assert.equal(f.outcome, 'pass');
    assert.match(f.value, /shared fault/, 'the canary at the limit counts');
  });

  it('a colour just under the allowed rate is not a shared fault', () => {
    const f = judgeErrorRate(pair(win('green', 1000, 24), win('blue', 1000, 25)), {
      ...DEFAULT_JUDGE,
      errorAllowedIncrease: 25 / 1000,
    });
    assert.doesNotMatch(f.value, /shared fault/);
  });

  it('equal rates read "+0 pt"; a lower canary reads "−"', () => {
    const same = judgeErrorRate(pair(win('green', 1000, 5), win('blue', 1000, 5)), DEFAULT_JUDGE);
    assert.match(same.value, /\(\+0 pt, Fisher p/);
    const lower = judgeErrorRate(pair(win('green', 1000, 1), win('blue', 1000, 5)), DEFAULT_JUDGE);
    assert.match(lower.value, /\(−0\.40 pt, Fisher p/);
  });
});
