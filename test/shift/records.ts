// A valid shift record for tests that need one on disk or in a store without running a shift first.
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';

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
