// The verbs: start (preflight, plan, record, drive), resume, pause, promote, abort, reset. The CLI and
// the local system call these with a driver and a clock; nothing here knows which driver it is.
import { randomUUID } from 'node:crypto';
import { COLORS, type Color } from '../contract/index.ts';
import { CorruptDocumentError } from '../release/state/store.ts';
import { PreflightRefusal, RollbackIncompleteError, ShiftStopped } from './errors.ts';
import { shiftCommand } from './hints.ts';
import { drive, rollback } from './controller.ts';
import {
  buildPlan,
  formatDuration,
  stepWeights,
  stickinessProblem,
  WEIGHT_TOTAL,
  type PlanRequest,
} from './plan.ts';
import type { ShiftReport, Versioned } from './port.ts';
import type { ShiftPlan, ShiftRecord } from '../release/state/shiftRecord.ts';
import { formatWeights, type Weights } from '../contract/weights.ts';
import { preflight } from './preflight.ts';
import { DEFAULT_HEADROOM, headroomHundredths } from './capacity.ts';
import { controlsCapacity, holdCapacity, releaseCapacity, restoreCapacityFor } from './capacityHold.ts';
import {
  buildReport,
  drivenNow,
  emit,
  isFinal,
  iso,
  openSession,
  resolveDeps,
  update,
  type ControllerDeps,
} from './session.ts';

export interface StartRequest {
  to: Color;
  strategy?: string;
  bakeSeconds?: number;
  /** Shift even when the target answers with the live version. @default false */
  force?: boolean;
  /** Capacity gate: healthy new tasks ≥ ⌈old running × share ÷ 100 × headroom⌉. @default 1.2 */
  headroom?: number;
}

/** Preflight, then the plan; nothing is written. */
export async function planShift(
  deps: ControllerDeps,
  req: StartRequest,
): Promise<{
  plan: ShiftPlan;
  live: Weights;
  fromVersion: string;
  toVersion: string;
  prior: Versioned<ShiftRecord> | undefined;
  /** The listener's stickiness, seconds (0 = off); never longer than the bake. */
  stickinessSeconds: number;
}> {
  headroomHundredths(req.headroom ?? DEFAULT_HEADROOM);
  const pf = await preflight(deps.driver, req.to, req.force ?? false);
  const planReq: PlanRequest = { from: pf.from, to: req.to };
  if (req.strategy !== undefined) planReq.strategy = req.strategy;
  if (req.bakeSeconds !== undefined) planReq.bakeSeconds = req.bakeSeconds;
  const plan = buildPlan(planReq, deps.driver.timing);
  const stickinessSeconds = (await deps.driver.readStickinessSeconds?.()) ?? 0;
  const bake = Math.min(...plan.steps.map((s) => s.bakeSeconds));
  const sticky = stickinessProblem(stickinessSeconds, bake);
  if (sticky !== undefined)
    throw new PreflightRefusal(sticky, {
      hint: `lower exchange-shared:stickinessSeconds to ${bake} or less and pulumi up --stack shared, or shift with --bake ${formatDuration(stickinessSeconds)}`,
    });
  return {
    plan,
    stickinessSeconds,
    live: pf.live,
    fromVersion: pf.fromVersion,
    toVersion: pf.toVersion,
    prior: pf.prior,
  };
}

export async function startShift(deps: ControllerDeps, req: StartRequest): Promise<ShiftReport> {
  const { plan, live, fromVersion, toVersion, prior } = await planShift(deps, req);
  const now = iso(deps.clock);
  const record: ShiftRecord = {
    schema: 1,
    id: `${now.slice(0, 19).replace(/[-:]/g, '')}-${randomUUID().slice(0, 8)}`,
    from: plan.from,
    to: plan.to,
    toVersion,
    fromVersion,
    plan,
    status: 'running',
    currentStep: 0,
    weights: live,
    writing: false,
    bakeStartedMs: null,
    stepWrittenMs: null,
    lastDecision: null,
    request: null,
    startedAt: now,
    updatedAt: now,
    completedAt: null,
    lastError: null,
    ...(controlsCapacity(deps.driver)
      ? { capacity: { headroom: req.headroom ?? DEFAULT_HEADROOM, scaleInSuspended: [], floor: null } }
      : {}),
  };
  if (deps.stop?.aborted)
    throw new ShiftStopped(deps.stop.reason, 'stopped before the shift started: nothing changed');
  // The conditional create is what makes a second, simultaneous start lose.
  const etag = await deps.driver.writeRecord(record, prior?.etag ?? null);
  const s = openSession(deps, { value: record, etag });
  return driveHoldingCapacity(s, true);
}

/** Drives the shift; whatever its outcome, scale-in and the floor it held are released once it ended. */
async function driveHoldingCapacity(s: ReturnType<typeof openSession>, start: boolean): Promise<ShiftReport> {
  try {
    // Again on resume: a crash may have come between the record and the calls (both are idempotent).
    if (start || s.rec.value.capacity !== undefined) await holdCapacity(s);
    return await drive(s);
  } finally {
    await releaseCapacity(s);
  }
}

async function current(deps: ControllerDeps): Promise<Versioned<ShiftRecord>> {
  const rec = await deps.driver.readRecord();
  if (rec === undefined || isFinal(rec.value))
    throw new PreflightRefusal(
      `no shift in progress${rec ? ` (last: ${rec.value.id} ${rec.value.status})` : ''}`,
      { hint: `start one with ${shiftCommand(deps.driver, 'start --to <colour>')}` },
    );
  return rec;
}

/** Whether a controller drives `r` now (shift/session.ts drivenNow). */
export function controllerAlive(deps: ControllerDeps, r: ShiftRecord): boolean {
  return drivenNow(r, deps.clock.now(), resolveDeps(deps).checkIntervalSeconds, deps.driver.timing);
}

/**
 * Continues the recorded shift in this process (after a crash, or after `pause`). The current step is
 * re-confirmed and re-baked from the start: nobody watched its gates while no controller ran. When a
 * controller is still running, a paused shift is marked running with its step restarted (that
 * controller picks it up) and undefined is returned; a running one is refused unless `force` (the
 * other process is known dead).
 */
export async function resumeShift(deps: ControllerDeps, force = false): Promise<ShiftReport | undefined> {
  const s = openSession(deps, await current(deps));
  const r = s.rec.value;
  const now = deps.clock.now();
  // The step starts again, split and whole bake: its gates were not watched as a whole meanwhile.
  const restartStep = (x: ShiftRecord): ShiftRecord => ({
    ...x,
    status: x.status === 'paused' ? 'running' : x.status,
    bakeStartedMs: null,
    stepWrittenMs: now,
  });
  if (!force && controllerAlive(deps, r)) {
    if (r.status === 'paused' || r.request !== null) {
      await update(s, (x) => (x.status === 'paused' ? restartStep(x) : x));
      return undefined;
    }
    throw new PreflightRefusal(
      `shift ${r.id} is being driven: its controller wrote the record at ${r.heartbeatAt ?? r.startedAt}`,
      {
        hint: `watch it with ${shiftCommand(deps.driver, 'status')}; if that process is gone, ${shiftCommand(deps.driver, 'resume --force')}`,
      },
    );
  }
  await update(s, restartStep);
  return driveHoldingCapacity(s, false);
}

/** Pause or promote from any process: a compare-and-swap on the record that a running controller sees. */
export async function requestShift(deps: ControllerDeps, what: 'pause' | 'promote'): Promise<ShiftRecord> {
  const s = openSession(deps, await current(deps));
  return update(s, (x) =>
    what === 'pause'
      ? { ...x, status: x.status === 'running' ? 'paused' : x.status }
      : { ...x, request: 'promote', status: x.status === 'paused' ? 'running' : x.status },
  );
}

/** There is no shift to roll back (none recorded, or the last one ended cleanly): nothing changed. */
export class NothingToAbort extends PreflightRefusal {
  override name = 'NothingToAbort';
}

/** Abort = rollback now, from this process: the fast write does not wait for the running controller. */
export async function abortShift(
  deps: ControllerDeps,
  reason = 'abort requested by the operator',
): Promise<ShiftReport> {
  const rec = await deps.driver.readRecord();
  if (rec === undefined) throw new NothingToAbort('no shift was ever recorded');
  const s = openSession(deps, rec);
  if (isFinal(rec.value) && !needsRepair(rec.value))
    throw new NothingToAbort(`shift ${rec.value.id} already ${rec.value.status}`);
  if (isFinal(rec.value)) s.rec = { ...rec, value: { ...rec.value, status: 'rolling-back' } };
  await rollback(s, reason, 'abort');
  await releaseCapacity(s);
  return buildReport(s);
}

/** A failed shift, or a rollback whose record/reconcile failed: abort is how the operator repairs it. */
function needsRepair(r: ShiftRecord): boolean {
  return r.status === 'failed' || (r.status === 'rolled-back' && (r.lastError !== null || r.writing));
}

export interface ResetOutcome {
  weights: Weights;
  /** The shift this ended, when one was in progress. */
  ended: ShiftRecord | undefined;
  /** Why the record was left as it is (it failed validation), else undefined. */
  recordProblem: string | undefined;
}

/**
 * All traffic on `to` now, from any state: no shift, a running or dead controller's shift, a record
 * that is gone or fails validation, weights changed by hand. A shift in progress is ended in the
 * record first (a running controller then stops and reasserts these weights), then one fast listener
 * write follows (listener, recorded weights, reconcile). A record that failed validation is left as it
 * is: the listener is the truth this verb restores. A colour scaled down to standby gets its capacity
 * back first; `say` receives what that does when no shift is in progress (a shift's events carry it).
 */
export async function resetShift(
  deps: ControllerDeps,
  to: Color,
  say?: (message: string) => void,
): Promise<ResetOutcome> {
  const from = COLORS.find((c) => c !== to) as Color;
  const weights = stepWeights(from, to, WEIGHT_TOTAL);
  let rec: Versioned<ShiftRecord> | undefined;
  let recordProblem: string | undefined;
  try {
    rec = await deps.driver.readRecord();
  } catch (err) {
    if (!(err instanceof CorruptDocumentError)) throw err;
    recordProblem = err.message;
  }
  const s = rec === undefined || isFinal(rec.value) ? undefined : openSession(deps, rec);
  const reason = `operator reset all traffic to ${to} (${formatWeights(weights)}); remaining steps and gates skipped`;
  if (s !== undefined)
    await update(s, (x) => ({
      ...x,
      status: x.to === to ? 'promoted' : 'rolled-back',
      request: null,
      weights,
      writing: true,
      completedAt: x.to === to ? iso(deps.clock) : x.completedAt,
      lastDecision: { action: 'reset', reason, time: iso(deps.clock) },
    }));
  // Onto a colour scaled down to standby: its capacity first, then the weights (as a rollback does).
  const raised = await restoreCapacityFor(s?.deps ?? resolveDeps(deps), {
    target: to,
    live: from,
    headroom: s?.rec.value.capacity?.headroom ?? DEFAULT_HEADROOM,
    deadlineSeconds: s?.rec.value.plan.stepDeadlineSeconds ?? RESET_CAPACITY_WAIT_SECONDS,
    writer: `reset to ${to}`,
    note: (message) => (s ? emit(s, 'hold', { message }) : say?.(message)),
    warn: (message) => (s ? emit(s, 'error', { message }) : say?.(message)),
  });
  try {
    await deps.driver.rollbackWeights(weights);
  } catch (err) {
    if (s !== undefined && err instanceof RollbackIncompleteError)
      await update(s, (x) => ({ ...x, writing: false, lastError: (err as Error).message }));
    throw err;
  }
  if (s !== undefined) await update(s, (x) => ({ ...x, writing: false, lastError: null }));
  // The colour now serves everything: back to its configured bounds (autoscaling takes over), and a
  // shift's held capacity (suspended scale-in, a floor) is released as when a shift ends.
  if (raised !== undefined && controlsCapacity(deps.driver))
    await deps.driver.setCapacity(to, { mode: 'serving' }, `reset to ${to}`);
  if (s !== undefined) await releaseCapacity(s);
  return { weights, ended: s?.rec.value, recordProblem };
}

/** How long a reset without a shift waits for a scaled-down colour's tasks before moving the weights, s. */
export const RESET_CAPACITY_WAIT_SECONDS = 600;
