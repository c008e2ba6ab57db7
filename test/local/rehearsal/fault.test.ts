import assert from 'node:assert/strict';
import { UsageError } from '../../../lib/errors.ts';
import { parseFault } from '../../../local/rehearsal/fault.ts';

describe('rehearsal --fault', () => {
  it('reads <kind>[@<step>], step 1 by default', () => {
    assert.deepEqual(parseFault('unhealthy'), { kind: 'unhealthy', step: 1 });
    assert.deepEqual(parseFault('5xx@2'), { kind: '5xx', step: 2 });
    assert.deepEqual(parseFault('kill@3'), { kind: 'kill', step: 3 });
  });
  for (const bad of ['crash', 'slow@0', 'slow@x', 'kill@1@2', '']) {
    it(`refuses "${bad}" naming the kinds`, () => {
      assert.throws(
        () => parseFault(bad),
        (e: unknown) => e instanceof UsageError && /unhealthy, 5xx, slow, kill/.test(e.oneLine()),
      );
    });
  }
});
