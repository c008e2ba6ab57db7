import assert from 'node:assert/strict';
import { bucketIndex, quantile, RouterMetrics, summarize } from '../../../local/router/metrics.ts';

describe('router metrics', () => {
  it('takes quantiles by nearest rank and has none without samples', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(quantile(v, 0.99), 99);
    assert.equal(quantile(v, 0.5), 50);
    assert.equal(quantile([], 0.99), null, 'no samples must be no data, not 0');
  });

  it('summarizes only the samples inside [from, to) and keeps the router’s own 5xx apart', () => {
    const samples = [
      { at: 999, status: 500, ms: 1, byRouter: false },
      { at: 1000, status: 200, ms: 10, byRouter: false },
      { at: 1500, status: 503, ms: 20, byRouter: false },
      { at: 1600, status: 502, ms: 2, byRouter: true },
      { at: 2000, status: 200, ms: 30, byRouter: false },
    ];
    const s = summarize(samples, 1000, 2000);
    assert.equal(s.requests, 3, 'from is inclusive, to exclusive');
    assert.equal(s.errors5xx, 1, 'only the target’s 5xx count as HTTPCode_Target_5XX');
    assert.equal(s.routerErrors5xx, 1);
    assert.equal(s.p99Ms, 20, 'the router’s own answers must not enter the target response time');
    assert.equal(summarize(samples, 3000, 4000).errorRate, null);
  });

  it('counts per colour with in-flight tracking and a histogram', () => {
    let now = 5000;
    const m = new RouterMetrics(() => now);
    m.begin('green');
    assert.equal(m.inFlight('green'), 1);
    m.end('green', 200, 7);
    now = 5001;
    m.begin('green');
    m.end('green', 502, 3, true);
    const t = m.snapshot('green');
    assert.deepEqual([t.requests, t.errors5xx, t.inFlight], [2, 1, 0]);
    assert.equal(t.histogram[bucketIndex(7)], 1);
    assert.equal(m.snapshot('blue').requests, 0, 'blue must not see green’s requests');
    assert.equal(m.window('green', 5000, 5002).requests, 2);
  });
});
