// The `exchange shift` verbs over any driver: what each prints (TTY progress, plain lines or JSON
// events) and its exit code. The CLI command only parses flags and builds the driver.
import type { Color } from '../contract/index.ts';
import { abortShift, planShift, requestShift, resumeShift, startShift } from './api.ts';
import { planBudget } from './plan.ts';
import { renderEvent, renderPlan, renderProgress, renderReport, renderStatus } from './format.ts';
import type { ShiftEvent, ShiftReport } from './port.ts';
import { resolveDeps, type ControllerDeps } from './session.ts';
import { describeStatus } from './status.ts';
import { readBothCapacities } from './capacityHold.ts';
import { planCapacityLines } from './capacityText.ts';
import { DEFAULT_HEADROOM } from './capacity.ts';

export const SHIFT_VERBS = ['plan', 'start', 'status', 'pause', 'resume', 'promote', 'abort'] as const;
export type ShiftVerb = (typeof SHIFT_VERBS)[number];

export interface VerbOptions {
  to?: Color;
  strategy?: string;
  bakeSeconds?: number;
  force?: boolean;
  /** Capacity gate headroom. @default 1.2 */
  headroom?: number;
}

export interface VerbIO {
  write(text: string): void;
  /** Redraw one progress line instead of printing every gate check. */
  isTTY: boolean;
  /** One JSON object per line (events, then the report or status). */
  json: boolean;
}

/** Decisions always get a line of their own; gate checks only when plain or when not passing. */
const DECISIONS = new Set([
  'write',
  'split-confirmed',
  'advance',
  'rollback',
  'pause',
  'resume',
  'promote',
  'abort',
  'done',
  'error',
]);

export function eventPrinter(io: VerbIO, deps: ControllerDeps): (e: ShiftEvent) => void {
  return (e) => {
    if (io.json) return io.write(`${JSON.stringify(e)}\n`);
    if (!io.isTTY) return io.write(`${renderEvent(e)}\n`);
    if (DECISIONS.has(e.action) || e.outcome === 'fail') return io.write(`\r\x1b[2K${renderEvent(e)}\n`);
    void deps.driver.readRecord().then((r) => {
      if (r !== undefined) io.write(`\r\x1b[2K${renderProgress(r.value, e, deps.clock.now())}`);
    });
  };
}

function finish(io: VerbIO, report: ShiftReport | undefined): number {
  if (report === undefined) {
    io.write(
      io.json
        ? `${JSON.stringify({ handedTo: 'running controller' })}\n`
        : 'the running controller picks this up; follow it with "exchange shift status"\n',
    );
    return 0;
  }
  io.write(io.json ? `${JSON.stringify({ report })}\n` : renderReport(report));
  return report.status === 'promoted' ? 0 : 1;
}

export async function runShiftVerb(
  verb: ShiftVerb,
  opts: VerbOptions,
  base: ControllerDeps,
  io: VerbIO,
): Promise<number> {
  const deps: ControllerDeps = { ...base, emit: eventPrinter(io, base) };
  switch (verb) {
    case 'plan':
    case 'start': {
      const req = { to: opts.to as Color, ...opts };
      const { plan } = await planShift(deps, req);
      const checks = resolveDeps(deps);
      const capacity = await readBothCapacities(deps.driver);
      const capacityLines =
        capacity === undefined
          ? []
          : planCapacityLines(plan, capacity, opts.headroom ?? DEFAULT_HEADROOM, deps.driver.timing);
      io.write(
        io.json
          ? `${JSON.stringify({ plan, budget: planBudget(plan, deps.driver.timing, checks), capacity: capacityLines })}\n`
          : `${renderPlan(plan, deps.driver.timing, checks)}${capacityLines.map((l) => `${l}\n`).join('')}`,
      );
      return verb === 'plan' ? 0 : finish(io, await startShift(deps, req));
    }
    case 'status': {
      const rec = await deps.driver.readRecord();
      const view = describeStatus(
        rec?.value,
        await deps.driver.readLiveWeights(),
        deps.clock.now(),
        deps.driver.timing,
        resolveDeps(deps).checkIntervalSeconds,
        await readBothCapacities(deps.driver),
      );
      io.write(io.json ? `${JSON.stringify(view)}\n` : renderStatus(view));
      return 0;
    }
    case 'pause': {
      const r = await requestShift(deps, 'pause');
      io.write(
        io.json
          ? `${JSON.stringify({ record: r })}\n`
          : `shift ${r.id} ${r.status} at step ${r.currentStep}; weights stay, health gates keep watching\n`,
      );
      return 0;
    }
    case 'promote':
      await requestShift(deps, 'promote');
      return finish(io, await resumeShift(deps, opts.force ?? false));
    case 'resume':
      return finish(io, await resumeShift(deps, opts.force ?? false));
    case 'abort': {
      const report = await abortShift(deps);
      io.write(io.json ? `${JSON.stringify({ report })}\n` : renderReport(report));
      return report.status === 'rolled-back' && report.reason !== '' ? 0 : 1;
    }
  }
}
