// What `shift plan` and `status` say about capacity, pure: each colour's tasks and scaling state, what
// each step needs, and what a rollback onto a colour at standby costs first.
import { COLORS, type Color } from '../contract/index.ts';
import type { ShiftPlan, ShiftRecord } from '../release/state/shiftRecord.ts';
import { needsScaleUp, requiredTasks, scaleUpNote, scaleUpSeconds } from './capacity.ts';
import type { ColorCapacity, DriverTiming } from './port.ts';

/** "blue 4 running of desired 4 (bounds 2–10), scale-in suspended". */
export function capacityLine(color: Color, c: ColorCapacity): string {
  const bounds = c.minCapacity === null ? 'no scalable target' : `bounds ${c.minCapacity}–${c.maxCapacity}`;
  const pending = c.pending > 0 ? `, ${c.pending} starting` : '';
  const scaleIn = c.scaleInSuspended === true ? ', scale-in suspended' : '';
  return `${color} ${c.running} running of desired ${c.desired}${pending} (${bounds})${scaleIn}`;
}

const seconds = (timing: DriverTiming): number => (timing.scaleUp ? scaleUpSeconds(timing.scaleUp) : 0);

/** Plan lines: the floor before step 1, the need of every step, and the rollback after a scale-down. */
export function planCapacityLines(
  plan: ShiftPlan,
  capacity: Record<Color, ColorCapacity>,
  headroom: number,
  timing: DriverTiming,
): string[] {
  const from = capacity[plan.from];
  const to = capacity[plan.to];
  const floor = requiredTasks(from.running, 100, headroom);
  const needs = plan.steps.map((s) => `${requiredTasks(from.running, s.percent, headroom)}`).join(', ');
  const lines = [
    `Capacity: ${capacityLine(plan.from, from)}; ${capacityLine(plan.to, to)}.`,
    `Before step 1 ${plan.to}'s floor is raised to ${floor} (${plan.from}'s ${from.running} running × ${headroom}) and scale-in is suspended on both until the shift ends; healthy ${plan.to} tasks needed per step: ${needs}.`,
  ];
  if (to.running < floor && timing.scaleUp)
    lines.push(
      `${plan.to} runs ${to.running} of those ${floor}: a step that needs more waits for them, about ${seconds(timing)} s (within its deadline).`,
    );
  const standby = from.config?.standbyTasks;
  if (
    standby !== undefined &&
    needsScaleUp({ running: standby, desired: standby }, { running: floor, desired: floor })
  )
    lines.push(
      `After the promotion, scale-down leaves ${plan.from} at standby ${standby}: a rollback then first scales it up to ${plan.to}'s running tasks × ${headroom} (about ${seconds(timing)} s), then moves the weights.`,
    );
  else if (standby !== undefined)
    lines.push(
      `After the promotion, ${plan.from} keeps ${standby} tasks on standby: a rollback needs no scale-up.`,
    );
  return lines;
}

/** Status findings: each colour's tasks, what a finished shift still holds, and the cost of a rollback. */
export function statusCapacityFindings(
  record: ShiftRecord | undefined,
  live: Record<Color, number>,
  capacity: Record<Color, ColorCapacity>,
  timing: DriverTiming,
  final: boolean,
): string[] {
  const out = COLORS.map((c) => capacityLine(c, capacity[c]));
  const held = record?.capacity;
  if (final && held && held.scaleInSuspended.length > 0)
    out.push(
      `scale-in is still suspended on ${held.scaleInSuspended.join(' and ')} by shift ${record?.id}: run "exchange capacity release"`,
    );
  const serving = COLORS.filter((c) => live[c] > 0);
  if (serving.length === 1) {
    const liveColour = serving[0] as Color;
    const idle = COLORS.find((c) => c !== liveColour) as Color;
    const note = scaleUpNote(
      idle,
      capacity[idle],
      liveColour,
      capacity[liveColour],
      seconds(timing),
      held?.headroom,
    );
    if (note !== undefined) out.push(note);
  }
  return out;
}
