// The controller's capacity steps, through a driver that controls capacity (readCapacity, setCapacity,
// setScaleInSuspended): before the first step it suspends scale-in on both colours and raises the new
// colour's floor to the old colour's running tasks; before every step the capacity gate waits (within
// the step deadline) for enough healthy tasks; when the shift ends, whatever the outcome, it resumes
// scale-in and releases the floor. The record says what is held at every moment, so a crash leaves a
// record that `status` and `abort` can act on. A driver without these methods gets no capacity steps.
import { COLORS, type Color } from '../contract/index.ts';
import { capacityGate, DEFAULT_HEADROOM, needsScaleUp, requiredTasks } from './capacity.ts';
import type { GateResult } from './gates.ts';
import type { ColorCapacity, ShiftDriver } from './port.ts';
import type { PlanStep, ShiftCapacity, ShiftRecord } from '../release/state/shiftRecord.ts';
import { emit, emitGate, isFinal, update, type Session } from './session.ts';

export type CapacityDriver = ShiftDriver &
  Required<Pick<ShiftDriver, 'readCapacity' | 'setCapacity' | 'setScaleInSuspended'>>;

export function controlsCapacity(driver: ShiftDriver): driver is CapacityDriver {
  return (
    driver.readCapacity !== undefined &&
    driver.setCapacity !== undefined &&
    driver.setScaleInSuspended !== undefined
  );
}

const held = (r: ShiftRecord): ShiftCapacity =>
  r.capacity ?? { headroom: DEFAULT_HEADROOM, scaleInSuspended: [], floor: null };

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The capacity gate for `sharePercent` of the old colour's load; undefined without capacity control. */
export async function capacityCheck(s: Session, sharePercent: number): Promise<GateResult | undefined> {
  const { driver } = s.deps;
  if (!controlsCapacity(driver)) return undefined;
  const r = s.rec.value;
  const [health, from] = await Promise.all([driver.targetHealth(r.to), driver.readCapacity(r.from)]);
  const g = capacityGate({
    to: r.to,
    from: r.from,
    toHealthy: health.healthy,
    fromRunning: from.running,
    sharePercent,
    headroom: held(r).headroom,
  });
  emitGate(s, g);
  return g;
}

export type CapacityWait =
  { outcome: 'pass' } | { outcome: 'interrupted' } | { outcome: 'fail'; reason: string };

/**
 * Before `step` is written: the gate every check interval until it passes, the step deadline passes
 * (fail, with the gate's value and threshold), or the operator paused or aborted (interrupted).
 */
export async function waitForCapacity(s: Session, step: PlanStep): Promise<CapacityWait> {
  const { clock, checkIntervalSeconds } = s.deps;
  const deadline = clock.now() + s.rec.value.plan.stepDeadlineSeconds * 1000;
  for (;;) {
    const g = await capacityCheck(s, step.percent);
    if (g === undefined || g.outcome === 'pass') return { outcome: 'pass' };
    if (clock.now() >= deadline)
      return {
        outcome: 'fail',
        reason: `step ${step.index} held for capacity until its deadline: capacity ${g.value} (needs ${g.threshold})`,
      };
    await clock.sleep(checkIntervalSeconds * 1000);
    const r = await update(s, (x) => x);
    if (isFinal(r) || r.request !== null || r.status !== 'running') return { outcome: 'interrupted' };
  }
}

/**
 * At the start of a shift: scale-in suspended on both colours (recorded before each call), then the new
 * colour's floor raised to what the old colour runs, so autoscaling neither shrinks a colour under the
 * controller nor leaves the new one at its idle size. A colour without a scalable target is skipped.
 */
export async function holdCapacity(s: Session): Promise<void> {
  const { driver } = s.deps;
  if (!controlsCapacity(driver)) return;
  const r = s.rec.value;
  const now: Partial<Record<Color, ColorCapacity>> = {};
  for (const c of [r.from, r.to]) {
    now[c] = await driver.readCapacity(c);
    if (now[c].minCapacity === null) {
      emit(s, 'hold', { message: `${c} has no scalable target: its scale-in cannot be suspended` });
      continue;
    }
    await update(s, (x) => ({
      ...x,
      capacity: { ...held(x), scaleInSuspended: [...new Set([...held(x).scaleInSuspended, c])] },
    }));
    await driver.setScaleInSuspended(c, true);
  }
  const from = now[r.from] as ColorCapacity;
  if ((now[r.to] as ColorCapacity).minCapacity === null) return;
  const tasks = floorTasks(from.running, held(r).headroom);
  const floor = { color: r.to, tasks };
  await update(s, (x) => ({ ...x, capacity: { ...held(x), floor } }));
  await driver.setCapacity(r.to, { mode: 'floor', tasks }, `shift ${r.id}`);
  emit(s, 'hold', {
    message: `scale-in suspended on ${r.from} and ${r.to}; ${r.to}'s floor raised to ${tasks} (${r.from}'s ${from.running} running × ${held(r).headroom})`,
  });
}

/**
 * The new colour's floor: what the last step (100 %) needs, ⌈old running × headroom⌉. Exactly the old
 * colour's running count would leave the 100 % step's capacity gate unpassable whenever headroom > 1
 * (10 running × 1.2 needs 12), unless autoscaling happened to add the rest.
 */
export function floorTasks(fromRunning: number, headroom: number): number {
  return requiredTasks(fromRunning, 100, headroom);
}

/**
 * When the shift ended (promoted, rolled back, failed): scale-in resumed and the floor released, each
 * step recorded once it succeeded. A failure is recorded as the last error and named by `status`; it
 * does not change the shift's outcome. Idempotent: a second process ending the same shift finds nothing.
 */
export async function releaseCapacity(s: Session): Promise<void> {
  const { driver } = s.deps;
  const r = s.rec.value;
  if (!controlsCapacity(driver) || r.capacity === undefined || !isFinal(r)) return;
  const errors: string[] = [];
  const floor = r.capacity.floor;
  if (floor !== null) {
    try {
      await driver.setCapacity(floor.color, { mode: 'serving' }, `shift ${r.id} ${r.status}`);
      await update(s, (x) => ({ ...x, capacity: { ...held(x), floor: null } }));
    } catch (err) {
      errors.push(`${floor.color}'s floor of ${floor.tasks} not released: ${message(err)}`);
    }
  }
  for (const c of r.capacity.scaleInSuspended) {
    try {
      await driver.setScaleInSuspended(c, false);
      await update(s, (x) => ({
        ...x,
        capacity: { ...held(x), scaleInSuspended: held(x).scaleInSuspended.filter((y) => y !== c) },
      }));
    } catch (err) {
      errors.push(`${c}'s scale-in still suspended: ${message(err)}`);
    }
  }
  if (errors.length === 0) return;
  const line = `${errors.join('; ')} — run "exchange capacity release"`;
  await update(s, (x) => ({ ...x, lastError: line }));
  emit(s, 'error', { message: line });
}

/**
 * A rollback onto a colour that was scaled down (to standby after a promotion) first restores its
 * capacity: its floor is raised to what the live colour runs and the rollback waits, within the step
 * deadline, until it could carry all of it. Then the weights move (also after the deadline: a rollback
 * is the operator's call, and the event says what it found). Nothing is read when the driver has no
 * capacity control or the colour is already at size.
 */
export async function restoreBeforeRollback(s: Session): Promise<void> {
  const r = s.rec.value;
  const raised = await restoreCapacityFor(s.deps, {
    target: r.from,
    live: r.to,
    headroom: held(r).headroom,
    deadlineSeconds: r.plan.stepDeadlineSeconds,
    writer: `rollback of shift ${r.id}`,
    note: (message) => emit(s, 'hold', { message }),
    warn: (message) => emit(s, 'error', { message }),
  });
  if (raised !== undefined)
    await update(s, (x) => ({ ...x, capacity: { ...held(x), floor: { color: r.from, tasks: raised } } }));
}

export interface RestoreRequest {
  /** The colour about to get all traffic. */
  target: Color;
  /** The colour whose running tasks it must be able to carry. */
  live: Color;
  headroom: number;
  /** How long to wait for the target's healthy tasks before moving the weights anyway, seconds. */
  deadlineSeconds: number;
  /** Who raises the floor (the durable capacity document names it). */
  writer: string;
  note: (message: string) => void;
  warn: (message: string) => void;
}

/**
 * Raises `target`'s floor to carry `live`'s running tasks × headroom when it runs fewer (scaled down to
 * standby), and waits until that many are healthy or the deadline passes; returns the floor it set, or
 * undefined when nothing was needed (or the driver has no capacity control).
 */
export async function restoreCapacityFor(
  deps: Pick<Session['deps'], 'driver' | 'clock' | 'checkIntervalSeconds'>,
  o: RestoreRequest,
): Promise<number | undefined> {
  const { driver, clock, checkIntervalSeconds } = deps;
  if (!controlsCapacity(driver)) return undefined;
  const [back, live] = await Promise.all([driver.readCapacity(o.target), driver.readCapacity(o.live)]);
  if (!needsScaleUp(back, live)) return undefined;
  const need = requiredTasks(live.running, 100, o.headroom);
  o.note(
    `${o.target} runs ${back.running} (standby): restoring ${need} tasks for ${o.live}'s ${live.running} running before the weights move`,
  );
  const tasks = floorTasks(live.running, o.headroom);
  await driver.setCapacity(o.target, { mode: 'floor', tasks }, o.writer);
  const deadline = clock.now() + o.deadlineSeconds * 1000;
  for (;;) {
    const healthy = (await driver.targetHealth(o.target)).healthy;
    if (healthy >= need) return tasks;
    if (clock.now() >= deadline) {
      o.warn(
        `${o.target} has ${healthy} healthy of the ${need} needed at the deadline: moving the weights anyway`,
      );
      return tasks;
    }
    await clock.sleep(checkIntervalSeconds * 1000);
  }
}

/** Both colours' capacity, for `status` and `plan`; undefined without capacity control. */
export async function readBothCapacities(
  driver: ShiftDriver,
): Promise<Record<Color, ColorCapacity> | undefined> {
  if (!controlsCapacity(driver)) return undefined;
  const out = {} as Record<Color, ColorCapacity>;
  for (const c of COLORS) out[c] = await driver.readCapacity(c);
  return out;
}
