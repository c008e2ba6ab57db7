// The "Try:" lines `npm start` prints: shift commands that work as printed, for where traffic is.
import assert from 'node:assert/strict';
import { shiftHints, suggestedBakeSeconds, SUGGESTED_LOAD_RPS } from '../../local/describe.ts';
import { DEFAULT_THRESHOLDS } from '../../shift/gates.ts';
import { DEFAULT_CANARY_PERCENT } from '../../shift/plan.ts';
import { sampleRecord } from '../shift/records.ts';

describe('npm start hints', () => {
  for (const rps of [1, 20, 100, 200, 5000])
    it(`a suggested bake at ${rps} req/s gives the canary its minimum requests, with room`, () => {
      const bake = suggestedBakeSeconds(rps);
      const requests = ((rps * DEFAULT_CANARY_PERCENT) / 100) * bake;
      assert.ok(
        requests >= 1.5 * DEFAULT_THRESHOLDS.minRequests,
        `${bake}s at ${rps} req/s: ${requests} requests`,
      );
      assert.ok(bake >= 1, 'never below the local minimum bake');
    });

  it('blue live and no load: shift to green, and say how to get load first', () => {
    const text = shiftHints({ blue: 100, green: 0 }, {}).join('\n');
    assert.match(text, /npx exchange shift plan --to green --local/);
    assert.match(text, new RegExp(`restart with "npm start -- --load ${SUGGESTED_LOAD_RPS}"`));
    assert.match(text, /npx exchange shift start --to green --local --bake 8s/);
  });

  it('after a restart with green at 100: the hints shift back to blue, with the running load and --dir', () => {
    const text = shiftHints(
      { blue: 0, green: 100 },
      { loadRps: 200, shiftFlags: ' --local --dir /tmp/x' },
    ).join('\n');
    assert.match(text, /shift plan --to blue --local --dir \/tmp\/x/);
    assert.match(text, /shift start --to blue --local --dir \/tmp\/x --bake 4s/);
    assert.doesNotMatch(text, /--to green|restart with/);
  });

  it('traffic split by a shift in progress: status, resume or abort, and reset', () => {
    const text = shiftHints({ blue: 90, green: 10 }, { shift: sampleRecord({ status: 'running' }) }).join(
      '\n',
    );
    assert.match(
      text,
      /shift status --local +# traffic is split \(blue 90 \/ green 10\): shift \S+ is running/,
    );
    assert.match(text, /shift resume --local ; npx exchange shift abort --local/);
    assert.match(text, /shift reset --to blue --local/);
    assert.doesNotMatch(text, /shift start/);
  });
});
