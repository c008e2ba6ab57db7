// Pure capacity planning, without mocks: the tasks a share needs (at and around every boundary), the
// capacity gate's value and threshold, the target-health rule for starting tasks, the bounds of each
// capacity mode and the documents' validation.
import assert from 'node:assert/strict';
import {
  boundsFor,
  parseCapacityDocument,
  parseScalingOutput,
  type ScalingConfig,
} from '../../release/state/capacity.ts';
import {
  capacityGate,
  DEFAULT_HEADROOM,
  headroomHundredths,
  needsScaleUp,
  requiredTasks,
  scaleUpNote,
  scaleUpSeconds,
} from '../../shift/capacity.ts';
import { PlanError } from '../../shift/errors.ts';
import { targetHealthGate } from '../../shift/gates.ts';

describe('capacity planning', () => {
  describe('requiredTasks = ⌈old running × share ÷ 100 × headroom⌉', () => {
    it('the issue’s example: 90 % of blue’s 10 needs 9 without headroom, 11 with the default 1.2', () => {
      assert.equal(requiredTasks(10, 90, 1), 9);
      assert.equal(requiredTasks(10, 90, DEFAULT_HEADROOM), 11);
      assert.equal(DEFAULT_HEADROOM, 1.2);
    });
    it('an exact product is not rounded up (integer arithmetic: 10 × 50 % × 1.2 is 6, not 7)', () => {
      assert.equal(requiredTasks(10, 50, 1.2), 6);
      assert.equal(requiredTasks(5, 20, 1), 1);
      assert.equal(requiredTasks(3, 100, 1.1), 4, '3.3 rounds up to 4');
      assert.equal(requiredTasks(100, 1, 1.01), 2, '1.01 rounds up to 2');
      assert.equal(requiredTasks(100, 1, 1), 1, 'exactly 1 stays 1');
    });
    it('any share above 0 needs at least one task; share 0 needs none', () => {
      assert.equal(requiredTasks(1, 1, 1), 1, '0.01 → 1');
      assert.equal(requiredTasks(0, 50, 1.2), 1, 'even when the old colour runs nothing');
      assert.equal(requiredTasks(10, 0, 1.2), 0);
    });
    it('the default headroom is used when none is given', () => {
      assert.equal(requiredTasks(10, 100), 12);
    });
  });

  describe('headroom', () => {
    it('accepts 1 to 4 with at most two decimals', () => {
      assert.equal(headroomHundredths(1), 100);
      assert.equal(headroomHundredths(1.2), 120);
      assert.equal(headroomHundredths(4), 400);
    });
    for (const bad of [0.99, 4.01, 1.234, Number.NaN, Number.POSITIVE_INFINITY])
      it(`refuses ${bad} with the fix`, () => {
        assert.throws(
          () => headroomHundredths(bad),
          (e: unknown) => e instanceof PlanError && /headroom .* is not a number from 1 to 4/.test(e.message),
        );
      });
  });

  describe('the capacity gate', () => {
    const facts = {
      to: 'green' as const,
      from: 'blue' as const,
      fromRunning: 10,
      sharePercent: 90,
      headroom: 1,
    };
    it('fails one task short, with the value and threshold spelled out', () => {
      assert.deepEqual(capacityGate({ ...facts, toHealthy: 8 }), {
        gate: 'capacity',
        outcome: 'fail',
        value: 'green 8 healthy',
        threshold: "9 for 90 % of blue's 10 running × 1",
      });
    });
    it('passes at exactly the threshold and above it', () => {
      assert.equal(capacityGate({ ...facts, toHealthy: 9 }).outcome, 'pass');
      assert.equal(capacityGate({ ...facts, toHealthy: 10 }).outcome, 'pass');
    });
    it('with headroom 1.2 the same 9 healthy tasks are two short', () => {
      const g = capacityGate({ ...facts, headroom: 1.2, toHealthy: 10 });
      assert.equal(g.outcome, 'fail');
      assert.equal(g.threshold, "11 for 90 % of blue's 10 running × 1.2");
      assert.equal(capacityGate({ ...facts, headroom: 1.2, toHealthy: 11 }).outcome, 'pass');
    });
  });

  describe('target health while tasks start', () => {
    it('a scale-out in progress is not a failure: healthy + starting cover the desired count', () => {
      const h = { registered: 10, healthy: 2, desired: 10, initial: 8, draining: 0, pending: 0 };
      assert.deepEqual(targetHealthGate(h), {
        gate: 'target-health',
        outcome: 'pass',
        value: '2/10 healthy (8 starting, 0 draining)',
        threshold: 'none failing, healthy + starting ≥ desired 10',
      });
      assert.equal(
        targetHealthGate({ registered: 2, healthy: 2, desired: 10, pending: 8 }).outcome,
        'pass',
        'tasks not yet registered (ECS pendingCount) count as starting',
      );
    });
    it('one target failing its checks fails, whatever else starts', () => {
      const h = { registered: 10, healthy: 2, desired: 10, initial: 7, draining: 0, pending: 1 };
      assert.equal(targetHealthGate(h).outcome, 'fail');
    });
    it('healthy + starting one short of desired fails; a draining target is not failing', () => {
      assert.equal(targetHealthGate({ registered: 9, healthy: 2, desired: 10, initial: 7 }).outcome, 'fail');
      assert.equal(targetHealthGate({ registered: 3, healthy: 2, desired: 2, draining: 1 }).outcome, 'pass');
    });
    it('only starting tasks, none healthy yet, is not a pass', () => {
      assert.equal(targetHealthGate({ registered: 2, healthy: 0, desired: 2, initial: 2 }).outcome, 'fail');
    });
  });

  describe('bounds of each capacity mode (the one source for `up` and the driver)', () => {
    const config: ScalingConfig = { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 };
    it('serving: the configured min and max', () => {
      assert.deepEqual(boundsFor(config, { mode: 'serving' }), { min: 2, max: 10 });
    });
    it('floor: at least the floor, and max raised when the floor exceeds it', () => {
      assert.deepEqual(boundsFor(config, { mode: 'floor', tasks: 6 }), { min: 6, max: 10 });
      assert.deepEqual(boundsFor(config, { mode: 'floor', tasks: 1 }), { min: 2, max: 10 });
      assert.deepEqual(boundsFor(config, { mode: 'floor', tasks: 10 }), { min: 10, max: 10 });
      assert.deepEqual(boundsFor(config, { mode: 'floor', tasks: 12 }), { min: 12, max: 12 });
    });
    it('standby: pinned at the standby count', () => {
      assert.deepEqual(boundsFor(config, { mode: 'standby', tasks: 0 }), { min: 0, max: 0 });
      assert.deepEqual(boundsFor(config, { mode: 'standby', tasks: 1 }), { min: 1, max: 1 });
    });
  });

  describe('documents read from the store and stack outputs are validated', () => {
    it('a capacity document round-trips and a bad one names its field', () => {
      const doc = { color: 'blue', capacity: { mode: 'standby', tasks: 0 }, decidedAt: 't', writer: 'w' };
      assert.deepEqual(parseCapacityDocument(doc), doc);
      assert.throws(
        () => parseCapacityDocument({ ...doc, color: 'red' }),
        /color "red" is not blue or green/,
      );
      assert.throws(
        () => parseCapacityDocument({ ...doc, capacity: { mode: 'floor', tasks: 5001 } }),
        /capacity.tasks 5001 is not an integer 0–5000/,
      );
      assert.throws(
        () => parseCapacityDocument({ ...doc, capacity: { mode: 'pinned' } }),
        /capacity.mode "pinned" is not serving, floor or standby/,
      );
      assert.doesNotThrow(() => parseCapacityDocument({ ...doc, capacity: { mode: 'floor', tasks: 5000 } }));
    });
    it('a stack’s scaling output: absent is null, min above max is refused', () => {
      assert.equal(parseScalingOutput(undefined, 'blue'), null);
      assert.deepEqual(parseScalingOutput({ minCapacity: 2, maxCapacity: 2, standbyTasks: 0 }, 'blue'), {
        minCapacity: 2,
        maxCapacity: 2,
        standbyTasks: 0,
      });
      assert.throws(
        () => parseScalingOutput({ minCapacity: 3, maxCapacity: 2, standbyTasks: 0 }, 'blue'),
        /blue stack output scaling: minCapacity 3 exceeds maxCapacity 2/,
      );
      assert.throws(
        () => parseScalingOutput({ minCapacity: 1, maxCapacity: 2, standbyTasks: -1 }, 'green'),
        /green stack output scaling.standbyTasks -1/,
      );
    });
  });

  describe('scale-up before traffic moves onto a colour at standby', () => {
    it('is needed when the idle colour wants fewer tasks than the live one runs, not when equal', () => {
      assert.equal(needsScaleUp({ running: 0, desired: 0 }, { running: 4, desired: 4 }), true);
      assert.equal(needsScaleUp({ running: 3, desired: 3 }, { running: 4, desired: 4 }), true);
      assert.equal(needsScaleUp({ running: 2, desired: 4 }, { running: 4, desired: 4 }), false);
    });
    it('the note says what it needs and how long it takes; nothing when no scale-up is needed', () => {
      const seconds = scaleUpSeconds({ taskStartSeconds: 120, healthySeconds: 20 });
      assert.equal(seconds, 140);
      assert.equal(
        scaleUpNote('blue', { running: 0, desired: 0 }, 'green', { running: 4, desired: 4 }, seconds),
        "blue runs 0 of desired 0: traffic onto it first needs 5 healthy for 100 % of green's 4 running × 1.2, a scale-up of about 140 s before any weight moves",
      );
      assert.equal(
        scaleUpNote('blue', { running: 4, desired: 4 }, 'green', { running: 4, desired: 4 }, seconds),
        undefined,
      );
    });
  });
});
