// The gates' boundaries (issue 19): each limit is inclusive exactly where the threshold text says so,
// and what a gate reports (value, threshold) is what a person needs to judge the decision.
import assert from 'node:assert/strict';
import {
  DEFAULT_THRESHOLDS,
  healthProbeGate,
  metricsGate,
  pageProbeGate,
  parseHealthBody,
  splitGate,
  splitTolerance,
  targetHealthGate,
} from '../../shift/gates.ts';

const t = DEFAULT_THRESHOLDS;
const healthz = (status: number, color = 'green', version = '1.1.0') => ({
  status,
  color,
  body: JSON.stringify({ status: 'ok', color, version }),
});
const expectGreen = { colors: ['green' as const], versionOf: { green: '1.1.0', blue: '1.0.0' } };

describe('shift gates: boundaries', () => {
  it('exactly the minimum request count is enough; one fewer is no data', () => {
    const at = metricsGate({ requests: t.minRequests, errors5xx: 0, p99Ms: 100 });
    assert.equal(at.outcome, 'pass', `${t.minRequests} requests meet "≥ ${t.minRequests} req"`);
    const below = metricsGate({ requests: t.minRequests - 1, errors5xx: 0, p99Ms: 100 });
    assert.equal(below.outcome, 'no-data');
    assert.equal(below.value, `${t.minRequests - 1} req`);
  });

  it('a missing request count is no data, never a pass, and says "no req"', () => {
    const g = metricsGate({ requests: null, errors5xx: 0, p99Ms: 100 });
    assert.deepEqual({ outcome: g.outcome, value: g.value }, { outcome: 'no-data', value: 'no req' });
  });

  it('a missing request count is no data even when the minimum is zero', () => {
    const g = metricsGate({ requests: null, errors5xx: 0, p99Ms: 10 }, { ...t, minRequests: 0 });
    assert.equal(g.outcome, 'no-data');
  });

  it('a 5xx share exactly at the limit passes; just above fails', () => {
    const atLimit = Math.round(1000 * t.max5xxShare);
    assert.equal(
      metricsGate({ requests: 1000, errors5xx: atLimit, p99Ms: 100 }).outcome,
      'pass',
      'at the limit',
    );
    assert.equal(
      metricsGate({ requests: 1000, errors5xx: atLimit + 1, p99Ms: 100 }).outcome,
      'fail',
      'one 5xx over the limit',
    );
    assert.equal(
      metricsGate({ requests: 1000, errors5xx: 10, p99Ms: 100 }, { ...t, max5xxShare: 0.01 }).outcome,
      'pass',
      '1.0% ≤ 1.0%',
    );
    assert.equal(
      metricsGate({ requests: 1000, errors5xx: 11, p99Ms: 100 }, { ...t, max5xxShare: 0.01 }).outcome,
      'fail',
      '1.1% > 1.0%',
    );
  });

  it('a p99 exactly at the limit passes; just above fails; a missing p99 is no data', () => {
    assert.equal(metricsGate({ requests: 100, errors5xx: 0, p99Ms: t.maxP99Ms }).outcome, 'pass');
    assert.equal(metricsGate({ requests: 100, errors5xx: 0, p99Ms: t.maxP99Ms + 1 }).outcome, 'fail');
    assert.equal(metricsGate({ requests: 100, errors5xx: 0, p99Ms: null }).outcome, 'no-data');
  });

  it('a missing 5xx count over enough requests counts as none', () => {
    assert.equal(metricsGate({ requests: 100, errors5xx: null, p99Ms: 100 }).outcome, 'pass');
  });

  it('the metrics gate reports requests, 5xx share and p99 against the threshold text', () => {
    assert.deepEqual(
      metricsGate({ requests: 400, errors5xx: 2, p99Ms: 123.6 }, { ...t, max5xxShare: 0.01 }),
      {
        gate: 'metrics',
        outcome: 'pass',
        value: '400 req, 5xx 0.5%, p99 124 ms',
        threshold: '≥ 50 req, 5xx ≤ 1.0%, p99 ≤ 1000 ms',
      },
    );
    assert.equal(
      metricsGate({ requests: 400, errors5xx: 2, p99Ms: 1 }).threshold,
      '≥ 50 req, 5xx ≤ 10%, p99 ≤ 1000 ms',
    );
    assert.equal(
      metricsGate({ requests: 400, errors5xx: 60, p99Ms: null }).value,
      '400 req, 5xx 15%, p99 no data',
    );
  });

  it('only a 200 is ready: 204, 301 and 399 are not', () => {
    assert.equal(healthProbeGate('probe-test-route', healthz(200), expectGreen).outcome, 'pass');
    for (const status of [204, 301, 399])
      assert.equal(
        healthProbeGate('probe-test-route', healthz(status), expectGreen).outcome,
        'fail',
        `readiness ${status} must fail`,
      );
  });

  it('the page probe passes on 200 only and reports "page <status>"', () => {
    assert.deepEqual(pageProbeGate('probe-main', { status: 200, body: '' }), {
      gate: 'probe-main',
      outcome: 'pass',
      value: 'page 200',
      threshold: 'page 200',
    });
    assert.equal(pageProbeGate('probe-main', { status: 304, body: '' }).outcome, 'fail');
    assert.equal(
      pageProbeGate('probe-main', { status: 0, body: '', error: 'ECONNRESET' }).value,
      'no answer (ECONNRESET)',
    );
    assert.equal(pageProbeGate('probe-main', { status: 0, body: '' }).value, 'no answer (unknown)');
  });

  it('a readiness probe with no answer fails and reports why', () => {
    const g = healthProbeGate('probe-main', { status: 0, body: '', error: 'timeout' }, expectGreen);
    assert.deepEqual(g, {
      gate: 'probe-main',
      outcome: 'fail',
      value: 'no answer (timeout)',
      threshold: '200 from green at its version',
    });
    assert.equal(
      healthProbeGate('probe-main', { status: 0, body: '' }, expectGreen).value,
      'no answer (unknown)',
    );
  });

  it('the readiness value names status, colour and version; the header colour stands in for a body without one', () => {
    assert.equal(healthProbeGate('probe-test-route', healthz(200), expectGreen).value, '200 green 1.1.0');
    const headerOnly = { status: 200, color: 'green', body: 'not json' };
    const g = healthProbeGate('probe-main', headerOnly, { colors: ['green'], versionOf: {} });
    assert.deepEqual({ outcome: g.outcome, value: g.value }, { outcome: 'pass', value: '200 green ?' });
    const nothing = healthProbeGate('probe-main', { status: 200, body: '' }, expectGreen);
    assert.deepEqual(
      { outcome: nothing.outcome, value: nothing.value },
      { outcome: 'fail', value: '200 ? ?' },
    );
  });

  it('a colour with no recorded version passes at any version; a body that is not JSON fails a version check', () => {
    const anyVersion = healthProbeGate('probe-main', healthz(200, 'green', '9.9.9'), {
      colors: ['green'],
      versionOf: {},
    });
    assert.equal(anyVersion.outcome, 'pass');
    const noBody = healthProbeGate(
      'probe-main',
      { status: 200, color: 'green', body: 'not json' },
      expectGreen,
    );
    assert.deepEqual(
      { outcome: noBody.outcome, value: noBody.value },
      { outcome: 'fail', value: '200 green ?' },
    );
  });

  it('through the main URL any live colour at its own version passes, and the threshold lists them', () => {
    const both = {
      colors: ['blue' as const, 'green' as const],
      versionOf: { green: '1.1.0', blue: '1.0.0' },
    };
    const g = healthProbeGate('probe-main', healthz(200, 'blue', '1.0.0'), both);
    assert.deepEqual(
      { outcome: g.outcome, threshold: g.threshold },
      { outcome: 'pass', threshold: '200 from blue|green at its version' },
    );
    assert.equal(healthProbeGate('probe-main', healthz(200, 'blue', '1.1.0'), both).outcome, 'fail');
  });

  it('the health body parser keeps string fields only and refuses non-objects', () => {
    assert.deepEqual(parseHealthBody('{"color":"green","version":7,"status":"ok"}'), {
      color: 'green',
      version: null,
      status: 'ok',
    });
    assert.equal(parseHealthBody('null'), null);
    assert.equal(parseHealthBody('"green"'), null);
    assert.equal(parseHealthBody('{'), null);
  });

  it('target health needs a desired count above zero, every registered target healthy and at least desired', () => {
    assert.equal(
      targetHealthGate({ registered: 3, healthy: 3, desired: 2 }).outcome,
      'pass',
      'more than desired',
    );
    assert.equal(
      targetHealthGate({ registered: 1, healthy: 1, desired: 1 }).outcome,
      'pass',
      'exactly desired',
    );
  });

  it('a split exactly at the tolerance edge passes (|observed − expected| ≤ tolerance)', () => {
    // 25% written, 14 of 27 answers green: |14/27 − 0.25| equals 3σ + ½ request to the last bit.
    const expected = 0.25;
    assert.equal(Math.abs(14 / 27 - expected), splitTolerance(expected, 27), 'the sample sits on the edge');
    const edge = splitGate(
      { counts: { blue: 13, green: 14 }, other: 0 },
      { blue: 75, green: 25 },
      'green',
      'blue',
    );
    assert.equal(edge.outcome, 'pass');
    const beyond = splitGate(
      { counts: { blue: 12, green: 15 }, other: 0 },
      { blue: 75, green: 25 },
      'green',
      'blue',
    );
    assert.equal(beyond.outcome, 'fail');
    // Nothing routed to the new colour yet: the tolerance is exactly ½ request.
    assert.equal(splitTolerance(0, 10), 0.05);
  });

  it('the split gate reports the observed share, its sample and the tolerance; no coloured answer is no data', () => {
    const g = splitGate(
      { counts: { blue: 360, green: 40 }, other: 3 },
      { blue: 90, green: 10 },
      'green',
      'blue',
    );
    assert.deepEqual(g, {
      gate: 'split',
      outcome: 'pass',
      value: 'green 10% of 400',
      threshold: '10% ± 4.6%',
    });
    const none = splitGate(
      { counts: { blue: 0, green: 0 }, other: 7 },
      { blue: 90, green: 10 },
      'green',
      'blue',
    );
    assert.deepEqual(none, {
      gate: 'split',
      outcome: 'no-data',
      value: '0 coloured answers, 7 other',
      threshold: '',
    });
  });

  it('shares under 10% show one decimal, from 10% none', () => {
    const v = (errors5xx: number) => metricsGate({ requests: 1000, errors5xx, p99Ms: null }).value;
    assert.equal(v(99), '1000 req, 5xx 9.9%, p99 no data');
    assert.equal(v(100), '1000 req, 5xx 10%, p99 no data');
    assert.equal(v(0), '1000 req, 5xx 0.0%, p99 no data');
  });
});
