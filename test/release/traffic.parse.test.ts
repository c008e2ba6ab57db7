// The traffic documents are validated on read (issue 19): a hand-edited or foreign object fails with
// what was expected, or the exact field and its problem, and a valid one comes back whole.
import assert from 'node:assert/strict';
import { parseShiftRecord, parseWeightsDocument } from '../../release/state/traffic.ts';

describe('traffic documents: validated on read', () => {
  it('a weights document comes back with its weights, time and writer', () => {
    assert.deepEqual(
      parseWeightsDocument({
        weights: { blue: 90, green: 10 },
        updatedAt: '2026-12-01T05:00:00Z',
        writer: 'shift-1',
      }),
      { weights: { blue: 90, green: 10 }, updatedAt: '2026-12-01T05:00:00Z', writer: 'shift-1' },
    );
    assert.deepEqual(parseWeightsDocument({ weights: { blue: 100, green: 0 } }), {
      weights: { blue: 100, green: 0 },
      updatedAt: '',
      writer: '',
    });
  });

  for (const raw of [null, 'weights', 7, {}, { weights: null }, { weights: 'blue' }])
    it(`refuses ${JSON.stringify(raw)} with the shape it expected`, () =>
      assert.throws(
        () => parseWeightsDocument(raw),
        /^Error: expected \{ weights: \{ blue, green \}, updatedAt, writer \}$/,
      ));

  it('a bad weight is named by its path in the document', () => {
    assert.throws(() => parseWeightsDocument({ weights: { blue: 'x', green: 0 } }), /^Error: weights\.blue /);
    assert.throws(
      () => parseWeightsDocument({ weights: { blue: 100, green: -1 } }),
      /^Error: weights\.green /,
    );
  });

  it('a shift record needs schema 1, a string id and a plan', () => {
    const ok = { schema: 1, id: 'shift-1', plan: { steps: [] } };
    assert.equal(parseShiftRecord(ok), ok);
    for (const bad of [null, 'x', { ...ok, schema: 2 }, { ...ok, id: 7 }, { schema: 1, id: 'shift-1' }])
      assert.throws(
        () => parseShiftRecord(bad),
        /^Error: expected a shift record \(schema 1, id, plan, status, weights\)$/,
        JSON.stringify(bad),
      );
  });
});
