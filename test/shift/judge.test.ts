// The canary judge, pure: one case per outcome (pass, fail, not-yet, invalid), the boundaries of
// each rule (confidence, effect floor, minimum counts), the rank test against a value computed apart,
// and the consecutive-failure rule.
import assert from 'node:assert/strict';
import { histogramFromValues, type LatencyHistogram } from '../../lib/histogram.ts';
import { fisherOneSided, judgeErrorRate } from '../../shift/judge/errorRate.ts';
import { judgeWindow, nextStreak } from '../../shift/judge/judge.ts';
import { judgeLatency, mannWhitney } from '../../shift/judge/latency.ts';
import { DEFAULT_JUDGE, type SamplePair, type WindowSamples } from '../../shift/judge/samples.ts';

const W = { fromMs: 1_000_000, toMs: 1_060_000 };

function win(
  color: 'blue' | 'green',
  requests: number,
  errors5xx: number,
  latency: LatencyHistogram | null = null,
): WindowSamples {
  return { color, ...W, source: 'router', requests, errors5xx, latency };
}

/** n latencies spread evenly over [lo, hi] ms. */
function spread(n: number, lo: number, hi: number): LatencyHistogram {
  return histogramFromValues(Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / Math.max(1, n - 1)));
}

function pair(canary: WindowSamples, baseline: WindowSamples): SamplePair {
  return { source: 'router', canary, baseline };
}

describe('canary judge: error rate (Fisher exact, one-sided)', () => {
  it('identical colours pass', () => {
    const f = judgeErrorRate(pair(win('green', 2000, 4), win('blue', 2000, 4)), DEFAULT_JUDGE);
    assert.equal(f.outcome, 'pass', f.value);
  });

  it('+2 points of 5xx over 2,000 requests fails, saying what it compared', () => {
    const f = judgeErrorRate(pair(win('green', 2000, 44), win('blue', 2000, 4)), DEFAULT_JUDGE);
    assert.equal(f.outcome, 'fail', f.value);
    assert.match(
      f.value,
      /green 5xx 2\.2 % \(44\/2000\) vs blue 0\.20 % \(4\/2000\) \(\+2\.0 pt, Fisher p < 0\.001\)/,
    );
  });

  it('0.8 % against a baseline of 0 fails (under the 10 % outer guard, which never saw it)', () => {
    const f = judgeErrorRate(pair(win('green', 1000, 8), win('blue', 9000, 0)), DEFAULT_JUDGE);
    assert.equal(f.outcome, 'fail', f.value);
  });

  it('significant but under the effect floor passes, with the numbers', () => {
    // 0.4 % vs 0.1 % over 100,000 requests each: p ≈ 0, but +0.3 pt is under the 0.5 pt floor.
    const f = judgeErrorRate(pair(win('green', 100_000, 400), win('blue', 100_000, 100)), DEFAULT_JUDGE);
    assert.ok((f.pValue ?? 1) < 0.001, `p ${f.pValue}`);
    assert.equal(f.outcome, 'pass', f.value);
  });

  it('a shared fault (both colours at 5 %) passes and says so', () => {
    const f = judgeErrorRate(pair(win('green', 200, 10), win('blue', 1800, 90)), DEFAULT_JUDGE);
    assert.equal(f.outcome, 'pass');
    assert.match(f.value, /shared fault, not the release/);
  });

  it('one 5xx in 50 against 0 in 450 is not significant (a z-test would call it p ≈ 0.001)', () => {
    assert.ok(Math.abs(fisherOneSided(1, 50, 0, 450) - 0.1) < 1e-9, 'exactly 50/500');
    const f = judgeErrorRate(pair(win('green', 50, 1), win('blue', 450, 0)), DEFAULT_JUDGE);
    assert.equal(f.outcome, 'pass', f.value);
  });

  it('fails right at the confidence boundary, not above it', () => {
    // Two of 60 canary requests fail, none of 540: p = 60·59/(600·599) = 0.00985 < 0.01.
    assert.ok(Math.abs(fisherOneSided(2, 60, 0, 540) - (60 * 59) / (600 * 599)) < 1e-12);
    assert.equal(
      judgeErrorRate(pair(win('green', 60, 2), win('blue', 540, 0)), DEFAULT_JUDGE).outcome,
      'fail',
    );
    // With 61 of 601, p = 61·60/(601·600) = 0.01015 ≥ 0.01.
    assert.equal(
      judgeErrorRate(pair(win('green', 61, 2), win('blue', 540, 0)), DEFAULT_JUDGE).outcome,
      'pass',
    );
  });

  it('30 requests is not yet (never a pass), on either side', () => {
    const f = judgeErrorRate(pair(win('green', 30, 30), win('blue', 3000, 0)), DEFAULT_JUDGE);
    assert.equal(f.outcome, 'not-yet');
    assert.match(f.value, /green 30 req \(needs ≥ 50 per colour\)/);
    assert.equal(
      judgeErrorRate(pair(win('green', 500, 0), win('blue', 49, 0)), DEFAULT_JUDGE).outcome,
      'not-yet',
    );
    assert.equal(
      judgeErrorRate(pair(win('green', 50, 0), win('blue', 50, 0)), DEFAULT_JUDGE).outcome,
      'pass',
    );
  });

  it('NaN, more 5xx than requests, or different windows are invalid', () => {
    assert.equal(
      judgeErrorRate(pair(win('green', NaN, 0), win('blue', 100, 0)), DEFAULT_JUDGE).outcome,
      'invalid',
    );
    const more = judgeErrorRate(pair(win('green', 100, 101), win('blue', 100, 0)), DEFAULT_JUDGE);
    assert.equal(more.outcome, 'invalid');
    assert.match(more.value, /101 5xx in 100 requests/);
    const shifted = { ...win('blue', 100, 0), toMs: W.toMs + 1 };
    assert.equal(judgeErrorRate(pair(win('green', 100, 0), shifted), DEFAULT_JUDGE).outcome, 'invalid');
  });
});

describe('canary judge: latency (Mann–Whitney U, one-sided, tolerance-shifted)', () => {
  it('U and p match a computation made apart (Python statistics.NormalDist, mid-ranks, tie-corrected)', () => {
    const t = mannWhitney(
      histogramFromValues([10, 12, 12, 15, 20, 22, 25]),
      histogramFromValues([8, 10, 11, 12, 13, 14]),
    );
    assert.equal(t.u, 32.5);
    assert.ok(Math.abs(t.z - 1.5823338276800043) < 1e-9, `z ${t.z}`);
    assert.ok(Math.abs(t.pValue - 0.0567866911088617) < 1e-9, `p ${t.pValue}`);
  });

  it('identical distributions pass', () => {
    const h = spread(200, 20, 60);
    const f = judgeLatency(pair(win('green', 200, 0, h), win('blue', 200, 0, h)), DEFAULT_JUDGE);
    assert.equal(f.outcome, 'pass', f.value);
  });

  it('60 % slower fails, in the words the issue asks for', () => {
    const f = judgeLatency(
      pair(win('green', 200, 0, spread(200, 100, 184)), win('blue', 200, 0, spread(200, 60, 116))),
      DEFAULT_JUDGE,
    );
    assert.equal(f.outcome, 'fail', f.value);
    assert.match(f.value, /^green p50 14\d ms vs blue 8\d ms \(\+6\d %, U-test p < 0\.001\)$/);
    assert.match(f.threshold, /p50 ≥ \+25 %/);
  });

  it('significant but under the +25 % floor passes (20 % slower over 5,000 requests)', () => {
    const f = judgeLatency(
      pair(win('green', 5000, 0, spread(5000, 48, 72)), win('blue', 5000, 0, spread(5000, 40, 60))),
      DEFAULT_JUDGE,
    );
    assert.ok((f.effect ?? 0) > 0.15 && (f.effect ?? 1) < 0.25, `effect ${f.effect}`);
    assert.equal(f.outcome, 'pass', f.value);
  });

  it('+30 % on 12 samples against 12 is not yet; with 30 a side the test decides', () => {
    const few = judgeLatency(
      pair(win('green', 12, 0, spread(12, 130, 130)), win('blue', 12, 0, spread(12, 100, 100))),
      DEFAULT_JUDGE,
    );
    assert.equal(few.outcome, 'not-yet');
    const enough = judgeLatency(
      pair(win('green', 30, 0, spread(30, 125, 135)), win('blue', 30, 0, spread(30, 95, 105))),
      DEFAULT_JUDGE,
    );
    assert.equal(enough.outcome, 'fail', enough.value);
  });

  it('no histogram is not yet; a histogram with a negative value is invalid', () => {
    assert.equal(
      judgeLatency(pair(win('green', 100, 0), win('blue', 100, 0)), DEFAULT_JUDGE).outcome,
      'not-yet',
    );
    const bad = { valuesMs: [-1, 5], counts: [1, 1] };
    assert.equal(
      judgeLatency(pair(win('green', 100, 0, bad), win('blue', 100, 0, spread(50, 1, 2))), DEFAULT_JUDGE)
        .outcome,
      'invalid',
    );
  });
});

describe('canary judge: the verdict and the consecutive rule', () => {
  const ok = (c: 'blue' | 'green') => win(c, 500, 0, spread(200, 20, 60));
  it('no pair at all is not yet', () => {
    assert.equal(judgeWindow([]).outcome, 'not-yet');
  });

  it('a fail from any source fails; a thin source cannot hold a passing one back', () => {
    const thin: SamplePair = {
      source: 'probe',
      canary: { ...win('green', 5, 0), source: 'probe' },
      baseline: { ...win('blue', 5, 0), source: 'probe' },
    };
    assert.equal(judgeWindow([pair(ok('green'), ok('blue')), thin]).outcome, 'pass');
    const bad = pair(win('green', 500, 40, spread(200, 20, 60)), ok('blue'));
    const v = judgeWindow([bad, thin]);
    assert.equal(v.outcome, 'fail');
    assert.match(v.reason, /error-rate green 5xx 8\.0 %/);
  });

  it('fails the gate only after N consecutive failing judgments; anything else starts over', () => {
    const fail = judgeWindow([pair(win('green', 500, 40, spread(200, 20, 60)), ok('blue'))]);
    const pass = judgeWindow([pair(ok('green'), ok('blue'))]);
    const n = DEFAULT_JUDGE.consecutive;
    let s = { failing: 0 };
    for (let i = 1; i < n; i++) {
      const call = nextStreak(s, fail, n);
      assert.equal(call.fail, false, `judgment ${i} of ${n}`);
      s = call.streak;
    }
    assert.equal(nextStreak(s, pass, n).streak.failing, 0);
    assert.equal(nextStreak(s, fail, n).fail, true);
  });
});
