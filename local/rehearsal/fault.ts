// The rehearsal's faults: what `--fault <kind>@<step>` means and how each reaches the new colour (or,
// for `shared:…`, both colours: an upstream failing for everyone, which no rollback would cure).
import { COLORS, type Color } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import type { LocalColour } from '../colour.ts';
import type { ProxyFault } from '../faultProxy.ts';

export const FAULT_KINDS = [
  'unhealthy',
  '5xx',
  'slow',
  'kill',
  '5xx-rate',
  'slow-relative',
  'capacity',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** `shared:5xx` is an upstream 5xx burst on both colours: this share of pages, percent. */
export const SHARED_5XX_PERCENT = 5;
/** `shared:slow` makes both colours this much slower. */
export const SHARED_SLOW_FACTOR = 1.6;

export interface FaultSpec {
  kind: FaultKind;
  /** 1-based plan step during whose bake the fault starts. */
  step: number;
  /** `5xx-rate`: the share of pages answered 5xx, percent (0 < P ≤ 100). */
  percent?: number;
  /** `slow-relative`: how many times slower the pages get (> 1). */
  factor?: number;
  /** On both colours (`shared:KIND`). @default false */
  shared?: boolean;
  /** `capacity:K`: the new colour starts with K tasks and can never run more. */
  tasks?: number;
}

const HINT =
  'kind is unhealthy, 5xx, slow, kill, 5xx-rate:P (P % of pages 5xx), slow-relative:F (F× slower), ' +
  'or shared:5xx | shared:slow | shared:5xx-rate:P | shared:slow-relative:F (both colours); step a plan step from 1, e.g. --fault 5xx-rate:2@1; ' +
  'or capacity:K (the new colour runs K tasks and can never run more)';

function bad(text: string): UsageError {
  return new UsageError(`rehearse: --fault "${text}" is not <kind>[@<step>] or capacity:<tasks>`, {
    hint: HINT,
  });
}

function number(text: string, arg: string | undefined, ok: (n: number) => boolean): number {
  const n = Number(arg);
  if (arg === undefined || arg === '' || !Number.isFinite(n) || !ok(n)) throw bad(text);
  return n;
}

function parseKind(text: string, kindText: string): Omit<FaultSpec, 'step'> {
  const [kind, arg, extra] = kindText.split(':');
  if (kind === 'shared') {
    const inner = kindText.slice('shared:'.length);
    if (inner === '5xx') return { kind: '5xx-rate', percent: SHARED_5XX_PERCENT, shared: true };
    if (inner === 'slow') return { kind: 'slow-relative', factor: SHARED_SLOW_FACTOR, shared: true };
    const k = parseKind(text, inner);
    if (k.kind !== '5xx-rate' && k.kind !== 'slow-relative') throw bad(text);
    return { ...k, shared: true };
  }
  if (extra !== undefined || kind === 'capacity') throw bad(text);
  if (kind === '5xx-rate') return { kind, percent: number(text, arg, (n) => n > 0 && n <= 100) };
  if (kind === 'slow-relative') return { kind, factor: number(text, arg, (n) => n > 1 && n <= 100) };
  if (arg !== undefined || !(FAULT_KINDS as readonly string[]).includes(kind ?? '')) throw bad(text);
  return { kind: kind as FaultKind };
}

/**
 * "unhealthy", "5xx@2", "5xx-rate:2@1", "shared:5xx" → the spec (step 1 when omitted); "capacity:K" (from
 * the start, no step); UsageError otherwise.
 */
export function parseFault(text: string): FaultSpec {
  const capacity = /^capacity:(\d+)$/.exec(text);
  if (capacity) return { kind: 'capacity', step: 1, tasks: Number(capacity[1]) };
  if (text.startsWith('capacity')) throw bad(text);
  const at = text.lastIndexOf('@');
  const kindText = at === -1 ? text : text.slice(0, at);
  const stepText = at === -1 ? undefined : text.slice(at + 1);
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!/^\d*$/.test(stepText ?? '') || !Number.isInteger(step) || step < 1) throw bad(text);
  return { ...parseKind(text, kindText), step };
}

/** "5xx-rate:2", "shared:slow-relative:1.6", "kill", "capacity:1". */
export function faultName(f: Pick<FaultSpec, 'kind' | 'percent' | 'factor' | 'shared' | 'tasks'>): string {
  const arg =
    f.kind === '5xx-rate'
      ? `:${f.percent}`
      : f.kind === 'slow-relative'
        ? `:${f.factor}`
        : f.kind === 'capacity'
          ? `:${f.tasks}`
          : '';
  return `${f.shared ? 'shared:' : ''}${f.kind}${arg}`;
}

/** What `--fault` was: "5xx-rate:2@1", "kill@2", "capacity:1" (in place from the start, no step). */
export function faultLabel(f: FaultSpec): string {
  return f.kind === 'capacity' ? faultName(f) : `${faultName(f)}@${f.step}`;
}

function proxyFault(f: FaultSpec): ProxyFault {
  if (f.kind === '5xx-rate') return { rate5xxPercent: f.percent ?? 0 };
  if (f.kind === 'slow-relative') return { slowFactor: f.factor ?? 1 };
  return f.kind as 'unhealthy' | '5xx' | 'slow';
}

/**
 * Starts the fault on the new colour (both for a shared one): `kill` as a SIGKILL of its serve
 * processes, `capacity` is in place from the start (the colour began with K tasks and can place no
 * more), the others through the colour's fault switch.
 */
export async function injectFault(
  colours: Record<Color, LocalColour>,
  to: Color,
  f: FaultSpec,
): Promise<void> {
  for (const colour of f.shared ? COLORS.map((c) => colours[c]) : [colours[to]]) {
    if (f.kind === 'kill') {
      await colour.killTasks();
      continue;
    }
    if (f.kind === 'capacity') continue;
    if (!colour.proxy)
      throw new UsageError(`${colour.color} has no fault switch`, {
        hint: 'start the system with faults: true',
      });
    colour.proxy.setFault(proxyFault(f));
  }
}

/** Back to normal: the switch passes everything and a killed serve is replaced. */
export async function clearFault(colour: LocalColour): Promise<void> {
  colour.proxy?.setFault('none');
  await colour.restart();
}
