// The traffic documents are validated on read (issue 19): a hand-edited or foreign object fails with
// what was expected, or the exact field and its problem, and a valid one comes back whole.
import { sampleRecord } from '../shift/records.ts';
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

  it('a shift record is the whole document: each missing or wrong field is named', () => {
    const ok = sampleRecord();
    assert.deepEqual(parseShiftRecord(structuredClone(ok)), ok);
    const cases: [unknown, RegExp][] = [
      [null, /expected/i],
      ['x', /expected/i],
      [{ ...ok, schema: 2 }, /^Error: schema\b/],
      [{ ...ok, id: 7 }, /^Error: id\b/],
      [{ ...ok, from: 'red' }, /^Error: from\b/],
      [{ ...ok, weights: { blue: 1000, green: 0 } }, /^Error: weights\.blue\b/],
      [(({ plan: _p, ...rest }) => rest)(ok), /^Error: plan\b/],
    ];
    for (const [bad, message] of cases)
      assert.throws(() => parseShiftRecord(bad), message, JSON.stringify(bad)?.slice(0, 80));
  });
});
