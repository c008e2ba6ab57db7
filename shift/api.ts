// The verbs: start (preflight, plan, record, drive), resume, pause, promote, abort. The CLI and the
// local system call these with a driver and a clock; nothing here knows which driver it is.
import { randomUUID } from 'node:crypto';
import type { Color } from '../contract/index.ts';
import { PreflightRefusal } from './errors.ts';
import { drive, rollback } from './controller.ts';
import { buildPlan, type PlanRequest } from './plan.ts';
import type { ShiftReport, Versioned } from './port.ts';
import type { ShiftPlan, ShiftRecord } from '../release/state/shiftRecord.ts';
import type { Weights } from '../contract/weights.ts';
import { preflight } from './preflight.ts';
import { DEFAULT_HEADROOM, headroomHundredths } from './capacity.ts';
import { controlsCapacity, holdCapacity, releaseCapacity } from './capacityHold.ts';
import {
  buildReport,
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
}> {
  headroomHundredths(req.headroom ?? DEFAULT_HEADROOM);
  const pf = await preflight(deps.driver, req.to, req.force ?? false);
  const planReq: PlanRequest = { from: pf.from, to: req.to };
  if (req.strategy !== undefined) planReq.strategy = req.strategy;
  if (req.bakeSeconds !== undefined) planReq.bakeSeconds = req.bakeSeconds;
  return {
    plan: buildPlan(planReq, deps.driver.timing),
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
      {
        hint: 'start one with "exchange shift start --to <colour>"',
      },
    );
  return rec;
}

/** A controller updates the record every check; silence for longer than this means none is running. */
export function controllerAlive(deps: ControllerDeps, r: ShiftRecord): boolean {
  const interval = resolveDeps(deps).checkIntervalSeconds;
  return (
    deps.clock.now() - Date.parse(r.heartbeatAt ?? r.startedAt) <=
    (3 * interval + deps.driver.timing.writeSeconds) * 1000
  );
}

/**
 * Continues the recorded shift in this process (after a crash, or after `pause`). The current step is
 * re-confirmed and re-baked from the start: nobody watched its gates while no controller ran. When a
 * controller is still running, a paused shift is only marked running (it picks that up) and undefined
 * is returned; a running one is refused unless `force` (the other process is known dead).
 */
export async function resumeShift(deps: ControllerDeps, force = false): Promise<ShiftReport | undefined> {
  const s = openSession(deps, await current(deps));
  const r = s.rec.value;
  if (!force && controllerAlive(deps, r)) {
    if (r.status === 'paused' || r.request !== null) {
      await update(s, (x) => ({ ...x, status: x.status === 'paused' ? 'running' : x.status }));
      return undefined;
    }
    throw new PreflightRefusal(
      `shift ${r.id} is being driven: its controller wrote the record at ${r.heartbeatAt ?? r.startedAt}`,
      {
        hint: 'watch it with "exchange shift status"; if that process is gone, "exchange shift resume --force"',
      },
    );
  }
  const now = deps.clock.now();
  await update(s, (x) => ({
    ...x,
    status: x.status === 'paused' ? 'running' : x.status,
    bakeStartedMs: null,
    stepWrittenMs: now,
  }));
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

/** Abort = rollback now, from this process: the fast write does not wait for the running controller. */
export async function abortShift(
  deps: ControllerDeps,
  reason = 'abort requested by the operator',
): Promise<ShiftReport> {
  const rec = await deps.driver.readRecord();
  if (rec === undefined)
    throw new PreflightRefusal('no shift was ever recorded', { hint: 'nothing to abort' });
  const s = openSession(deps, rec);
  if (isFinal(rec.value) && !needsRepair(rec.value))
    throw new PreflightRefusal(`shift ${rec.value.id} already ${rec.value.status}`, {
      hint: 'nothing to abort',
    });
  if (isFinal(rec.value)) s.rec = { ...rec, value: { ...rec.value, status: 'rolling-back' } };
  await rollback(s, reason, 'abort');
  await releaseCapacity(s);
  return buildReport(s);
}

/** A failed shift, or a rollback whose record/reconcile failed: abort is how the operator repairs it. */
function needsRepair(r: ShiftRecord): boolean {
  return r.status === 'failed' || (r.status === 'rolled-back' && r.lastError !== null);
}
