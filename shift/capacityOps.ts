// Capacity operations around a shift, over any driver that controls capacity: `prepare` (the release's
// step before the deploy's `up`: the idle colour raised to what the live one runs × headroom, and the
// capacity gate waited for), `scaleDown` (after a release, once the drain is over: the colour taking no
// traffic pinned at its standby count) and `releaseHeld` (the repair when a shift ended without
// resuming scale-in). Each refuses, with the reason and the fix, when it would touch a serving colour.
import { COLORS, type Color } from '../contract/index.ts';
import type { Weights } from '../contract/weights.ts';
import { ExchangeError } from '../lib/errors.ts';
import { capacityGate, scaleUpSeconds } from './capacity.ts';
import { controlsCapacity, floorTasks, type CapacityDriver } from './capacityHold.ts';
import type { GateResult } from './gates.ts';
import type { Clock, ShiftDriver } from './port.ts';
import { PreflightRefusal } from './errors.ts';
import { isFinal } from './session.ts';
import type { ShiftRecord } from '../release/state/shiftRecord.ts';

/** Capacity did not come within the wait: the gate's value and threshold say how far off it is. */
export class CapacityError extends ExchangeError {
  override name = 'CapacityError';
}

const other = (c: Color): Color => COLORS.find((x) => x !== c) as Color;

export function capacityDriver(driver: ShiftDriver): CapacityDriver {
  if (!controlsCapacity(driver))
    throw new PreflightRefusal('this driver cannot read or change capacity', {
      hint: 'the colour stacks need autoscaling (pulumi up --stack <colour> with this version)',
    });
  return driver;
}

export interface PrepareRequest {
  to: Color;
  headroom: number;
  /** The share the new colour must be able to carry when prepare returns (the first step's), percent. */
  sharePercent: number;
  waitSeconds: number;
  checkIntervalSeconds: number;
  onGate?: (g: GateResult) => void;
}

export interface PrepareResult {
  from: Color;
  fromRunning: number;
  floor: number;
  gate: GateResult;
}

/** Nothing to prepare: the colour's stack predates autoscaling (its `up` is about to create it). */
export interface PrepareSkipped {
  skipped: string;
}

/** Refuses to prepare a colour that takes traffic: its size is autoscaling's, not the release's. */
function assertIdle(live: Weights, color: Color, what: string): void {
  if (live[color] > 0)
    throw new PreflightRefusal(`${color} takes traffic (weight ${live[color]}): it is not the idle colour`, {
      hint: `${what} acts on the colour with weight 0 only`,
    });
}

export async function prepareCapacity(
  driver: ShiftDriver,
  clock: Clock,
  req: PrepareRequest,
): Promise<PrepareResult | PrepareSkipped> {
  const d = capacityDriver(driver);
  assertIdle(await d.readLiveWeights(), req.to, 'prepare');
  const target = await d.readCapacity(req.to);
  if (target.config === null || target.minCapacity === null)
    return { skipped: `${req.to} has no autoscaling yet (its stack predates it): its up creates it` };
  const from = other(req.to);
  const fromRunning = (await d.readCapacity(from)).running;
  const floor = floorTasks(fromRunning, req.headroom);
  await d.setCapacity(req.to, { mode: 'floor', tasks: floor }, 'prepare');
  const deadline = clock.now() + req.waitSeconds * 1000;
  for (;;) {
    const gate = capacityGate({
      to: req.to,
      from,
      toHealthy: (await d.targetHealth(req.to)).healthy,
      fromRunning,
      sharePercent: req.sharePercent,
      headroom: req.headroom,
    });
    req.onGate?.(gate);
    if (gate.outcome === 'pass') return { from, fromRunning, floor, gate };
    if (clock.now() >= deadline)
      throw new CapacityError(
        `capacity ${gate.value} (needs ${gate.threshold}) after ${req.waitSeconds} s; ${req.to}'s floor is ${floor}`,
        { hint: `check ${req.to}'s service events (placement, image pull), then run prepare again` },
      );
    await clock.sleep(req.checkIntervalSeconds * 1000);
  }
}

export interface ScaleDownResult {
  color: Color;
  standby: number;
  wasRunning: number;
  /** What a rollback onto it then costs first, seconds (0 with a standby that can take the load). */
  scaleUpSeconds: number;
}

/**
 * When the last shift's colour may be scaled down: the listener applied 100 % elsewhere and the
 * connections it still had drained (propagation + deregistration delay after the shift ended).
 */
export function scaleDownSafeFrom(r: ShiftRecord, driver: Pick<ShiftDriver, 'timing'>): number {
  const ended = Date.parse(r.completedAt ?? r.updatedAt);
  return ended + (driver.timing.propagationSeconds + driver.timing.deregistrationDelaySeconds) * 1000;
}

/**
 * Pins the colour that takes no traffic at its standby count, once its drain is over (waits up to
 * `waitSeconds` for that). Refuses while traffic is split, while a shift runs, and when the drain
 * would end after the wait.
 */
export async function scaleDown(
  driver: ShiftDriver,
  clock: Clock,
  opts: { waitSeconds: number },
): Promise<ScaleDownResult> {
  const d = capacityDriver(driver);
  const rec = (await d.readRecord())?.value;
  if (rec !== undefined && !isFinal(rec))
    throw new PreflightRefusal(`shift ${rec.id} is ${rec.status}: both colours are part of it`, {
      hint: 'scale down after it ends ("exchange shift status")',
    });
  const live = await d.readLiveWeights();
  const idle = COLORS.filter((c) => live[c] === 0);
  if (idle.length !== 1)
    throw new PreflightRefusal(`live weights ${JSON.stringify(live)} leave no single idle colour`, {
      hint: 'finish or abort the shift first',
    });
  const color = idle[0] as Color;
  const safe = rec === undefined ? clock.now() : scaleDownSafeFrom(rec, d);
  if (safe - clock.now() > opts.waitSeconds * 1000)
    throw new PreflightRefusal(`${color} may still drain connections until ${new Date(safe).toISOString()}`, {
      hint: `run scale-down again after that, or with a longer --wait`,
    });
  if (safe > clock.now()) await clock.sleep(safe - clock.now());
  assertIdle(await d.readLiveWeights(), color, 'scale-down');
  const now = await d.readCapacity(color);
  if (now.config === null)
    throw new PreflightRefusal(`the ${color} stack exports no scaling configuration`, {
      hint: `pulumi up --stack ${color} with this version first`,
    });
  const standby = now.config.standbyTasks;
  await d.setCapacity(color, { mode: 'standby', tasks: standby }, 'scale-down');
  const liveRunning = (await d.readCapacity(other(color))).running;
  const slow = standby < liveRunning && d.timing.scaleUp !== undefined;
  return {
    color,
    standby,
    wasRunning: now.running,
    scaleUpSeconds: slow ? scaleUpSeconds(d.timing.scaleUp!) : 0,
  };
}

/** Resumes scale-in on both colours and returns the one serving to its configured bounds. */
export async function releaseHeld(driver: ShiftDriver): Promise<string[]> {
  const d = capacityDriver(driver);
  const rec = (await d.readRecord())?.value;
  if (rec !== undefined && !isFinal(rec))
    throw new PreflightRefusal(`shift ${rec.id} is ${rec.status}: it holds capacity on purpose`, {
      hint: 'it releases both colours when it ends; "exchange shift abort" ends it now',
    });
  const done: string[] = [];
  for (const c of COLORS) {
    await d.setScaleInSuspended(c, false);
    done.push(`${c} scale-in resumed`);
  }
  const live = await d.readLiveWeights();
  for (const c of COLORS.filter((x) => live[x] > 0)) {
    await d.setCapacity(c, { mode: 'serving' }, 'release');
    done.push(`${c} back within its configured bounds`);
  }
  // The record no longer holds anything: `status` stops naming it.
  const stored = await d.readRecord();
  const held = stored?.value.capacity;
  if (stored && held && (held.scaleInSuspended.length > 0 || held.floor !== null)) {
    const value = {
      ...stored.value,
      capacity: { ...held, scaleInSuspended: [], floor: null },
      lastError: null,
    };
    await d.writeRecord(value, stored.etag);
    done.push(`shift ${stored.value.id}'s record cleared`);
  }
  return done;
}
