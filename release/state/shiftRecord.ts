// The shift record: the durable document a traffic shift keeps (with the weights document in traffic.ts),
// owned here so the shift controller, `status` and the shared stack's `up` all import it downwards.
import type { Color } from '../../contract/index.ts';
import type { Weights } from '../../contract/weights.ts';

export type ShiftStatus = 'running' | 'paused' | 'rolling-back' | 'promoted' | 'rolled-back' | 'failed';

/** Statuses after which another shift may start. */
export const FINAL_STATUSES: readonly ShiftStatus[] = ['promoted', 'rolled-back', 'failed'];

/** One step of a plan: the weights written, then the bake during which gates must hold. */
export interface PlanStep {
  /** 1-based. */
  index: number;
  /** Share of traffic for the new colour, percent (what the user asked for). */
  percent: number;
  weights: Weights;
  bakeSeconds: number;
}

export interface ShiftPlan {
  from: Color;
  to: Color;
  /** e.g. "canary", "linear", "all-at-once", "steps:5,25,50,100". */
  strategy: string;
  steps: PlanStep[];
  /** A step that has not passed its gates within this many seconds after its write fails. */
  stepDeadlineSeconds: number;
}

/** Every action a shift event or decision names. */
export const ACTIONS = [
  'plan',
  'write',
  'split-confirmed',
  'advance',
  'hold',
  'rollback',
  'pause',
  'resume',
  'promote',
  'abort',
  'reset',
  'stop',
  'done',
  'error',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Decisions: every action but planning and a gate round ('hold'). They always get a line of their own in
 * the terminal and are written to the timeline at once.
 */
export const DECISION_ACTIONS: ReadonlySet<Action> = new Set(
  ACTIONS.filter((a) => a !== 'plan' && a !== 'hold'),
);

/** Gate checks counted by outcome, per gate name (the report's "gate checks"). */
export type GateTally = Record<string, { pass: number; fail: number; noData: number }>;

/** The durable record of one shift: enough for `status`, `resume` and `abort` after a crash. */
export interface ShiftRecord {
  /** Record format, for later readers. */
  schema: 1;
  id: string;
  from: Color;
  to: Color;
  /** Version the target colour answered with at preflight (its /healthz through the test route). */
  toVersion: string;
  /** Version the live colour answered with at preflight. */
  fromVersion: string;
  plan: ShiftPlan;
  status: ShiftStatus;
  /** 1-based step whose weights were last written; 0 before the first write. */
  currentStep: number;
  /** Weights last written (or being written when `writing` is true). */
  weights: Weights;
  /** True between the start of a write and its confirmation: the listener may hold either value. */
  writing: boolean;
  /** Epoch ms the current step's bake timer started (after the split was confirmed), else null. */
  bakeStartedMs: number | null;
  /** Epoch ms the current step's weights were written, else null. */
  stepWrittenMs: number | null;
  lastDecision: { action: Action; reason: string; time: string } | null;
  /** Operator request picked up by the running controller (pause/promote/abort from another process). */
  request: 'pause' | 'promote' | 'abort' | null;
  startedAt: string;
  updatedAt: string;
  /** Last time a controller (not an operator request) wrote the record: its liveness signal. */
  heartbeatAt?: string;
  /**
   * When a controller stopped driving on a signal (Ctrl-C, SIGTERM) and left the shift where it was;
   * cleared by the next controller. Without it `status` would call a stopped controller alive.
   */
  stoppedAt?: string | null;
  /** Gate checks of this shift so far, by every controller that drove it (kept with each heartbeat). */
  gateCounts?: GateTally;
  /** ISO time the new colour reached 100% (promoted), else null. */
  completedAt: string | null;
  /** The last error, one line, with what is known about the weights. */
  lastError: string | null;
  /** Capacity the shift holds (absent on records written before capacity control). */
  capacity?: ShiftCapacity;
}

/** What the shift did to both colours' scaling, so a crash leaves a record `status` and `abort` can act on. */
export interface ShiftCapacity {
  /** Healthy tasks of the new colour ≥ ⌈old running × share ÷ 100 × headroom⌉ before every step. */
  headroom: number;
  /** Colours whose dynamic scale-in this shift suspended and has not resumed yet. */
  scaleInSuspended: Color[];
  /** The floor raised on the new colour before the first step (the old colour's running tasks), if any. */
  floor: { color: Color; tasks: number } | null;
}
