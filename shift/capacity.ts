// Pure capacity planning: how many healthy tasks the new colour needs before a step gives it a share of
// the old colour's load, the capacity gate that says so with its numbers, and how long a scale-up (a
// rollback to a colour at standby) takes. No I/O: shift/capacityHold.ts fetches, these judge.
import type { Color } from '../contract/index.ts';
import { PlanError } from './errors.ts';
import type { GateResult } from './gates.ts';
import type { ScaleUpTiming } from './port.ts';

/** Spare capacity the new colour must have beyond its exact share of the old colour's tasks. */
export const DEFAULT_HEADROOM = 1.2;
/** A headroom above this is a typo (4× the old colour's tasks for its share). */
export const MAX_HEADROOM = 4;

/**
 * `headroom` as whole hundredths (1.2 → 120), so the threshold is integer arithmetic: 10 × 50 % × 1.2
 * in floating point is 6.000000000000001, whose ceiling would wrongly demand a seventh task.
 */
export function headroomHundredths(headroom: number): number {
  const h = Math.round(headroom * 100);
  if (!Number.isFinite(headroom) || Math.abs(h - headroom * 100) > 1e-6 || h < 100 || h > MAX_HEADROOM * 100)
    throw new PlanError(
      `headroom ${headroom} is not a number from 1 to ${MAX_HEADROOM} with at most 2 decimals`,
      {
        hint: `e.g. --headroom ${DEFAULT_HEADROOM} (20 % more healthy tasks than the share needs)`,
      },
    );
  return h;
}

/**
 * Healthy tasks the new colour needs to take `sharePercent` of the traffic that `fromRunning` tasks of
 * the old colour carry: ⌈fromRunning × share ÷ 100 × headroom⌉, and at least one for any share > 0.
 */
export function requiredTasks(
  fromRunning: number,
  sharePercent: number,
  headroom = DEFAULT_HEADROOM,
): number {
  if (sharePercent <= 0) return 0;
  const exact = Math.ceil((fromRunning * sharePercent * headroomHundredths(headroom)) / 10_000);
  return Math.max(1, exact);
}

export interface CapacityFacts {
  to: Color;
  from: Color;
  /** Healthy targets of the new colour (the load balancer's view). */
  toHealthy: number;
  /** Running tasks of the old colour (ECS runningCount). */
  fromRunning: number;
  /** The new colour's share of the step about to be written, percent. */
  sharePercent: number;
  headroom: number;
}

/** "green 2 healthy" against "11 for 90 % of blue's 10 running × 1.2". */
export function capacityGate(f: CapacityFacts): GateResult {
  const need = requiredTasks(f.fromRunning, f.sharePercent, f.headroom);
  return {
    gate: 'capacity',
    outcome: f.toHealthy >= need ? 'pass' : 'fail',
    value: `${f.to} ${f.toHealthy} healthy`,
    threshold: `${need} for ${f.sharePercent} % of ${f.from}'s ${f.fromRunning} running × ${f.headroom}`,
  };
}

/** What a scale-up takes, seconds: start the tasks, then pass the target group's checks. */
export function scaleUpSeconds(t: ScaleUpTiming): number {
  return t.taskStartSeconds + t.healthySeconds;
}

export interface ColorTasks {
  running: number;
  desired: number;
}

/** A colour is at standby when it is pinned below what the other colour runs (it cannot take its load). */
export function needsScaleUp(idle: ColorTasks, live: ColorTasks): boolean {
  return idle.desired < live.running;
}

/** One line for `plan` and `status`: what a rollback to (or a shift onto) a colour below size costs first. */
export function scaleUpNote(
  idle: Color,
  idleTasks: ColorTasks,
  live: Color,
  liveTasks: ColorTasks,
  seconds: number,
  headroom = DEFAULT_HEADROOM,
): string | undefined {
  if (!needsScaleUp(idleTasks, liveTasks)) return undefined;
  const need = requiredTasks(liveTasks.running, 100, headroom);
  return (
    `${idle} runs ${idleTasks.running} of desired ${idleTasks.desired}: traffic onto it first needs ` +
    `${need} healthy for 100 % of ${live}'s ${liveTasks.running} running × ${headroom}, a scale-up of about ` +
    `${Math.round(seconds)} s before any weight moves`
  );
}
