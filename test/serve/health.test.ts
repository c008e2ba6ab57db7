import assert from 'node:assert/strict';
import { evaluateHealth, pointerProblem } from '../../serve/health.ts';

const pointer = {
  source: 'dse',
  date: '2026-04-23',
  generatedAt: '2026-04-24T00:00:00.000Z',
  keys: {
    raw: 'raw/x',
    json: 'data/dse/2026-04-23.json',
    csv: 'data/dse/2026-04-23.csv',
    index: 'index.html',
  },
};
const at = (iso: string): number => Date.parse(iso);

describe('evaluateHealth', () => {
  it('healthy when fresh and complete, with date and age', () => {
    assert.deepEqual(
      evaluateHealth({
        pointer,
        missingKeys: [],
        nowMs: at('2026-04-24T01:00:00Z'),
        maxAgeSeconds: 36 * 3600,
      }),
      {
        healthy: true,
        source: 'dse',
        dataDate: '2026-04-23',
        generatedAt: '2026-04-24T00:00:00.000Z',
        ageSeconds: 3600,
      },
    );
  });

  it('stale once older than max-age (exactly max-age is still healthy)', () => {
    const edge = evaluateHealth({
      pointer,
      missingKeys: [],
      nowMs: at('2026-04-24T01:00:00Z'),
      maxAgeSeconds: 3600,
    });
    assert.equal(edge.healthy, true);
    const stale = evaluateHealth({
      pointer,
      missingKeys: [],
      nowMs: at('2026-04-24T01:00:01Z'),
      maxAgeSeconds: 3600,
    });
    assert.equal(stale.healthy, false);
    assert.equal(stale.reason, 'data is 3601 s old, older than --max-age 3600 s');
    assert.equal(stale.ageSeconds, 3601);
  });

  it('unhealthy when the pointer is missing or names missing objects', () => {
    const missing = evaluateHealth({
      pointer: null,
      pointerError: 'data/latest.json is missing (nothing published yet)',
      missingKeys: [],
      nowMs: 0,
      maxAgeSeconds: 1,
    });
    assert.deepEqual(missing, {
      healthy: false,
      reason: 'data/latest.json is missing (nothing published yet)',
    });
    const gone = evaluateHealth({
      pointer,
      missingKeys: ['data/dse/2026-04-23.csv'],
      nowMs: at('2026-04-24T00:00:00Z'),
      maxAgeSeconds: 60,
    });
    assert.equal(gone.healthy, false);
    assert.equal(gone.reason, 'data/latest.json names missing objects: data/dse/2026-04-23.csv');
  });

  it('a clock behind the publisher gives age 0, not negative', () => {
    const v = evaluateHealth({
      pointer,
      missingKeys: [],
      nowMs: at('2026-04-23T23:59:00Z'),
      maxAgeSeconds: 60,
    });
    assert.deepEqual([v.healthy, v.ageSeconds], [true, 0]);
  });

  it('names what is wrong with a malformed pointer', () => {
    assert.equal(pointerProblem([]), 'has no "date"');
    assert.equal(pointerProblem('x'), 'is not a JSON object');
    assert.equal(pointerProblem({ ...pointer, generatedAt: 'yesterday' }), 'has no valid "generatedAt"');
    assert.equal(pointerProblem({ ...pointer, keys: { ...pointer.keys, csv: '' } }), 'has no "keys.csv"');
    assert.equal(pointerProblem(pointer), undefined);
    const v = evaluateHealth({ pointer: { date: 'x' }, missingKeys: [], nowMs: 0, maxAgeSeconds: 1 });
    assert.deepEqual(v, { healthy: false, reason: 'data/latest.json has no valid "generatedAt"' });
  });
});
