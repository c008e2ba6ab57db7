// The rehearsal's faults: what `--fault <kind>@<step>` means and how each reaches the new colour.
import { UsageError } from '../../lib/errors.ts';
import type { LocalColour } from '../colour.ts';

export const FAULT_KINDS = ['unhealthy', '5xx', 'slow', 'kill', 'capacity'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** 1-based plan step during whose bake the fault starts. */
  step: number;
  /** `capacity:K`: the new colour starts with K tasks and can never run more. */
  tasks?: number;
}

/** "unhealthy", "5xx@2", "kill@1" → the spec (step 1 when omitted); "capacity:K"; UsageError otherwise. */
export function parseFault(text: string): FaultSpec {
  const capacity = /^capacity:(\d+)$/.exec(text);
  if (capacity) return { kind: 'capacity', step: 1, tasks: Number(capacity[1]) };
  if (text.startsWith('capacity'))
    throw new UsageError(`rehearse: --fault "${text}" is not capacity:<tasks>`, {
      hint: 'e.g. --fault capacity:1 (the new colour runs 1 task and can never run more)',
    });
  const [kind, step, extra] = text.split('@');
  const n = step === undefined ? 1 : Number(step);
  if (
    !(FAULT_KINDS as readonly string[]).includes(kind ?? '') ||
    kind === 'capacity' ||
    extra !== undefined ||
    !Number.isInteger(n) ||
    n < 1
  ) {
    throw new UsageError(`rehearse: --fault "${text}" is not <kind>[@<step>] or capacity:<tasks>`, {
      hint: `kind is one of ${FAULT_KINDS.filter((k) => k !== 'capacity').join(', ')}; step a plan step from 1, e.g. --fault unhealthy@2`,
    });
  }
  return { kind: kind as FaultKind, step: n };
}

/**
 * Starts the fault on the colour: the first three through its fault switch (health checks 503, pages
 * 500, pages slower than the p99 gate), `kill` as a SIGKILL of its serve process.
 */
export async function injectFault(colour: LocalColour, kind: FaultKind): Promise<void> {
  if (kind === 'kill') return colour.killTasks();
  // In place from the start: the colour began with K tasks and can place no more.
  if (kind === 'capacity') return;
  if (!colour.proxy)
    throw new UsageError(`${colour.color} has no fault switch`, {
      hint: 'start the system with faults: true',
    });
  colour.proxy.setFault(kind);
}

/** Back to normal: the switch passes everything and a killed serve is replaced. */
export async function clearFault(colour: LocalColour): Promise<void> {
  colour.proxy?.setFault('none');
  await colour.restart();
}
