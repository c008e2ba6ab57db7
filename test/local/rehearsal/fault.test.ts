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

describe('rehearsal --fault: partial, relative and shared faults', () => {
  it('reads 5xx-rate:P, slow-relative:F and shared:KIND with their step', () => {
    assert.deepEqual(parseFault('5xx-rate:2'), { kind: '5xx-rate', percent: 2, step: 1 });
    assert.deepEqual(parseFault('slow-relative:1.6@2'), { kind: 'slow-relative', factor: 1.6, step: 2 });
    assert.deepEqual(parseFault('shared:5xx'), { kind: '5xx-rate', percent: 5, shared: true, step: 1 });
    assert.deepEqual(parseFault('shared:slow'), {
      kind: 'slow-relative',
      factor: 1.6,
      shared: true,
      step: 1,
    });
    assert.deepEqual(parseFault('shared:5xx-rate:3@2'), {
      kind: '5xx-rate',
      percent: 3,
      shared: true,
      step: 2,
    });
  });
  for (const bad of [
    '5xx-rate',
    '5xx-rate:0',
    '5xx-rate:101',
    'slow-relative:1',
    'slow-relative:x',
    'shared:kill',
    'shared:unhealthy',
    '5xx:2',
  ]) {
    it(`refuses "${bad}" with the forms it takes`, () => {
      assert.throws(
        () => parseFault(bad),
        (e: unknown) =>
          e instanceof UsageError && /5xx-rate:P .* slow-relative:F .* shared:5xx/.test(e.oneLine()),
      );
    });
  }
});
