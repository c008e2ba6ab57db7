// A colour's capacity decision: what the release decided about a colour's task count that must outlive
// the job that decided it (a raised floor before a shift, standby after one). The AWS driver records it
// here, next to the Pulumi state, before it calls Application Auto Scaling; every `pulumi up` of the
// colour reads it and declares the same scalable-target bounds, so an `up` from a fresh checkout never
// scales a standby colour back up, nor drops a floor a shift depends on. `boundsFor` is the one place
// the bounds come from: the program at `up` and the driver at run time both call it.
import { COLORS, type Color } from '../../contract/index.ts';
import type { DocumentStore } from './store.ts';

/** One document per colour: `<statePrefix>/exchange-release/capacity/<colour>.json`. */
export const capacityDocument = (color: Color): string => `capacity/${color}`;

/** The colour's own configuration (its stack config): where autoscaling may move it, and its standby size. */
export interface ScalingConfig {
  /** Fewest tasks Application Auto Scaling keeps while the colour serves. */
  minCapacity: number;
  /** Most tasks it may scale out to. */
  maxCapacity: number;
  /** Tasks the idle colour keeps between releases: 0 (cheapest) or ≥ 1 (instant rollback). */
  standbyTasks: number;
}

/**
 * - `serving`: the configured bounds; autoscaling moves the colour within them.
 * - `floor`: at least `tasks` (the live colour's running count) before and during a shift, so the new
 *   colour can carry what it is given; autoscaling may still add more up to max(maxCapacity, tasks).
 * - `standby`: pinned at `tasks` between releases (the colour takes no traffic).
 */
export type CapacityMode =
  { mode: 'serving' } | { mode: 'floor'; tasks: number } | { mode: 'standby'; tasks: number };

export interface CapacityDocument {
  color: Color;
  capacity: CapacityMode;
  /** ISO time of the decision. */
  decidedAt: string;
  /** Who decided: "shift <id>", "scale-down", "prepare", … */
  writer: string;
}

/** Largest task count we accept in a decision: ECS allows 5,000 tasks per service. */
export const MAX_TASKS = 5000;

export interface Bounds {
  min: number;
  max: number;
}

/** The scalable target's MinCapacity/MaxCapacity for a colour in a mode: the single source of truth. */
export function boundsFor(config: ScalingConfig, mode: CapacityMode): Bounds {
  if (mode.mode === 'standby') return { min: mode.tasks, max: mode.tasks };
  if (mode.mode === 'floor')
    return { min: Math.max(config.minCapacity, mode.tasks), max: Math.max(config.maxCapacity, mode.tasks) };
  return { min: config.minCapacity, max: config.maxCapacity };
}

/**
 * A colour stack's `scaling` output, validated; null when the stack exports none (deployed before the
 * colour had autoscaling). Throws naming the bad field, as any document read from elsewhere.
 */
export function parseScalingOutput(raw: unknown, color: string): ScalingConfig | null {
  if (raw === undefined || raw === null) return null;
  const o = raw as Partial<Record<keyof ScalingConfig, unknown>>;
  const where = `${color} stack output scaling`;
  const config = {
    minCapacity: taskCount(o.minCapacity, `${where}.minCapacity`),
    maxCapacity: taskCount(o.maxCapacity, `${where}.maxCapacity`),
    standbyTasks: taskCount(o.standbyTasks, `${where}.standbyTasks`),
  };
  if (config.minCapacity > config.maxCapacity)
    throw new Error(`${where}: minCapacity ${config.minCapacity} exceeds maxCapacity ${config.maxCapacity}`);
  return config;
}

function taskCount(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_TASKS)
    throw new Error(`${field} ${JSON.stringify(v)} is not an integer 0–${MAX_TASKS}`);
  return v;
}

/** Validates a document read from the store (or about to be written); throws naming the bad field. */
export function parseCapacityDocument(raw: unknown): CapacityDocument {
  const d = raw as Partial<CapacityDocument> | null;
  if (typeof d !== 'object' || d === null || typeof d.capacity !== 'object' || d.capacity === null)
    throw new Error('expected { color, capacity: { mode, tasks }, decidedAt, writer }');
  if (!(COLORS as readonly string[]).includes(String(d.color)))
    throw new Error(`color ${JSON.stringify(d.color)} is not ${COLORS.join(' or ')}`);
  const c = d.capacity as { mode?: unknown; tasks?: unknown };
  let capacity: CapacityMode;
  if (c.mode === 'serving') capacity = { mode: 'serving' };
  else if (c.mode === 'floor' || c.mode === 'standby')
    capacity = { mode: c.mode, tasks: taskCount(c.tasks, 'capacity.tasks') };
  else throw new Error(`capacity.mode ${JSON.stringify(c.mode)} is not serving, floor or standby`);
  return {
    color: d.color as Color,
    capacity,
    decidedAt: String(d.decidedAt ?? ''),
    writer: String(d.writer ?? ''),
  };
}

/** The recorded decision for a colour, or undefined when none was ever recorded (then: serving). */
export async function readCapacity(
  store: DocumentStore,
  color: Color,
): Promise<CapacityDocument | undefined> {
  return (await store.read(capacityDocument(color), parseCapacityDocument))?.value;
}

/** Records a decision: read-then-conditional-write, so a concurrent writer loses with ConflictError. */
export async function recordCapacity(
  store: DocumentStore,
  color: Color,
  capacity: CapacityMode,
  writer: string,
  now: Date,
): Promise<CapacityDocument> {
  const doc = parseCapacityDocument({ color, capacity, decidedAt: now.toISOString(), writer });
  const name = capacityDocument(color);
  const current = await store.read(name, parseCapacityDocument);
  await store.write(name, doc, current?.etag ?? null);
  return doc;
}
