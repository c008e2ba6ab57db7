// A valid shift record for tests that need one on disk or in a store without running a shift first.
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import { buildPlan } from '../../shift/plan.ts';
import { TIMING } from './fakeDriver.ts';

export function sampleRecord(over: Partial<ShiftRecord> = {}): ShiftRecord {
  const at = '2026-12-01T05:00:00.000Z';
  return {
    schema: 1,
    id: '20261201T050000-4f2a9c1e',
    from: 'blue',
    to: 'green',
    toVersion: '1.1.0',
    fromVersion: '1.0.0',
    plan: {
      from: 'blue',
      to: 'green',
      strategy: 'canary',
      steps: [
        { index: 1, percent: 10, weights: { blue: 90, green: 10 }, bakeSeconds: 8 },
        { index: 2, percent: 100, weights: { blue: 0, green: 100 }, bakeSeconds: 8 },
      ],
      stepDeadlineSeconds: 14,
    },
    status: 'running',
    currentStep: 1,
    weights: { blue: 90, green: 10 },
    writing: false,
    bakeStartedMs: Date.parse(at) + 2000,
    stepWrittenMs: Date.parse(at) + 1000,
    lastDecision: null,
    request: null,
    startedAt: at,
    updatedAt: at,
    heartbeatAt: at,
    completedAt: null,
    lastError: null,
    ...over,
  };
}

/**
 * A running canary shift blue → green at step 1 (green 10), timed by the test's clock: what a controller
 * test opens a session on. `over` changes any field.
 */
export function canaryAtStep1(nowMs: number, over: Partial<ShiftRecord> = {}): ShiftRecord {
  const now = new Date(nowMs).toISOString();
  return {
    schema: 1,
    id: 'shift-test',
    from: 'blue',
    to: 'green',
    toVersion: '1.1.0',
    fromVersion: '1.0.0',
    plan: buildPlan({ from: 'blue', to: 'green', strategy: 'canary', bakeSeconds: 120 }, TIMING),
    status: 'running',
    currentStep: 1,
    weights: { blue: 90, green: 10 },
    writing: false,
    bakeStartedMs: null,
    stepWrittenMs: null,
    lastDecision: null,
    request: null,
    startedAt: now,
    updatedAt: now,
    completedAt: null,
    lastError: null,
    ...over,
  };
}
