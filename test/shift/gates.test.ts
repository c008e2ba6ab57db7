// Pure gates: each one's pass, fail and no-data, with the value and threshold it reports.
import assert from 'node:assert/strict';
import {
  healthProbeGate,
  metricsGate,
  pageProbeGate,
  splitGate,
  splitTolerance,
  targetHealthGate,
} from '../../shift/gates.ts';

const healthz = (color: string, version: string, status = 200) => ({
  status,
  color,
  body: JSON.stringify({ status: 'ok', color, version }),
});

describe('shift gates', () => {
  it('target health: all registered healthy and at least the desired count', () => {
    assert.equal(targetHealthGate({ registered: 2, healthy: 2, desired: 2 }).outcome, 'pass');
    assert.equal(
      targetHealthGate({ registered: 3, healthy: 2, desired: 2 }).outcome,
      'fail',
      'an unhealthy registered target fails',
    );
    assert.equal(
      targetHealthGate({ registered: 1, healthy: 1, desired: 2 }).outcome,
      'fail',
      'fewer than desired fails',
    );
    assert.equal(
      targetHealthGate({ registered: 0, healthy: 0, desired: 0 }).outcome,
      'fail',
      'a colour scaled to zero fails',
    );
    assert.deepEqual(targetHealthGate({ registered: 3, healthy: 2, desired: 2 }), {
      gate: 'target-health',
      outcome: 'fail',
      value: '2/3 healthy',
      threshold: 'all registered healthy and ≥ desired 2',
    });
  });

  it('readiness probe: 200 from the expected colour at the expected version', () => {
    const expect = { colors: ['green' as const], versionOf: { green: '1.1.0', blue: '1.0.0' } };
    assert.equal(healthProbeGate('probe-test-route', healthz('green', '1.1.0'), expect).outcome, 'pass');
    assert.equal(
      healthProbeGate('probe-test-route', healthz('blue', '1.0.0'), expect).outcome,
      'fail',
      'wrong colour',
    );
    assert.equal(
      healthProbeGate('probe-test-route', healthz('green', '1.0.9'), expect).outcome,
      'fail',
      'wrong version',
    );
    assert.equal(
      healthProbeGate('probe-test-route', healthz('green', '1.1.0', 503), expect).outcome,
      'fail',
      'not ready',
    );
    const none = healthProbeGate('probe-main', { status: 0, body: '', error: 'ECONNREFUSED' }, expect);
    assert.deepEqual([none.outcome, none.value], ['fail', 'no answer (ECONNREFUSED)']);
  });

  it('page probe: the page must be 200', () => {
    assert.equal(pageProbeGate('probe-main', { status: 200, body: '' }).outcome, 'pass');
    assert.equal(pageProbeGate('probe-main', { status: 502, body: '' }).outcome, 'fail');
  });

  it('metrics: pass, fail on 5xx share or p99, and no data below the minimum request count', () => {
    assert.equal(
      metricsGate({ requests: 500, errors5xx: 50, p99Ms: 900 }).outcome,
      'pass',
      '10% is at the outer guard (the canary judge compares with the old colour below it)',
    );
    assert.equal(metricsGate({ requests: 500, errors5xx: 51, p99Ms: 100 }).outcome, 'fail');
    assert.equal(metricsGate({ requests: 500, errors5xx: 0, p99Ms: 1001 }).outcome, 'fail');
    assert.equal(metricsGate({ requests: null, errors5xx: null, p99Ms: null }).outcome, 'no-data');
    assert.equal(
      metricsGate({ requests: 49, errors5xx: 0, p99Ms: 10 }).outcome,
      'no-data',
      'below 50 requests proves nothing',
    );
    assert.equal(
      metricsGate({ requests: 500, errors5xx: 0, p99Ms: null }).outcome,
      'no-data',
      'no latency is not a pass',
    );
    assert.equal(metricsGate({ requests: 49, errors5xx: 40, p99Ms: 10 }).outcome, 'no-data');
  });

  it('split: within 3σ of the written share passes, outside fails, both ways', () => {
    const w = { blue: 90, green: 10 };
    const tol = splitTolerance(0.1, 400);
    assert.ok(Math.abs(tol - (3 * Math.sqrt(0.09 / 400) + 0.5 / 400)) < 1e-12);
    const at = (green: number) =>
      splitGate({ counts: { blue: 400 - green, green }, other: 0 }, w, 'green', 'blue').outcome;
    assert.equal(at(40), 'pass', 'exactly 10%');
    assert.equal(at(58), 'pass', '14.5% is within 10% ± 4.6%');
    assert.equal(at(22), 'pass', '5.5% is within 10% ± 4.6%');
    assert.equal(at(59), 'fail', '14.75% is too many: the old weights are not what is applied');
    assert.equal(at(21), 'fail', '5.25% is too few: the listener has not applied the new weights');
    assert.equal(at(0), 'fail', 'still all on blue');
    const full = { blue: 0, green: 100 };
    assert.equal(
      splitGate({ counts: { blue: 0, green: 400 }, other: 3 }, full, 'green', 'blue').outcome,
      'pass',
    );
    assert.equal(
      splitGate({ counts: { blue: 1, green: 399 }, other: 0 }, full, 'green', 'blue').outcome,
      'fail',
      'at 100% a single blue answer means the write is not applied yet',
    );
    assert.equal(
      splitGate({ counts: { blue: 0, green: 0 }, other: 400 }, w, 'green', 'blue').outcome,
      'no-data',
    );
  });
});
