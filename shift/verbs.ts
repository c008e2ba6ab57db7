// The `exchange shift` verbs over any driver: what each prints (TTY progress, plain lines or JSON
// events) and its exit code. The CLI command only parses flags and builds the driver.
import { COLORS, type Color } from '../contract/index.ts';
import { formatWeights, type Weights } from '../contract/weights.ts';
import {
  abortShift,
  NothingToAbort,
  planShift,
  requestShift,
  resetShift,
  resumeShift,
  startShift,
  type ResetOutcome,
} from './api.ts';
import { PreflightRefusal, signalExitCode } from './errors.ts';
import { renderPlan, renderReport, renderStatus } from './format.ts';
import { shiftCommand } from './hints.ts';
import { planBudget } from './plan.ts';
import type { ShiftReport } from './port.ts';
import { createPrinter, type Printer, type VerbIO } from './printer.ts';
import { resolveDeps, type ControllerDeps } from './session.ts';
import { FINAL_STATUSES } from '../release/state/shiftRecord.ts';
import { describeStatus } from './status.ts';
import { statusPage } from './page/status.ts';
import { timelineRecorder } from './timeline.ts';
import { readBothCapacities } from './capacityHold.ts';
import { planCapacityLines } from './capacityText.ts';
import { DEFAULT_HEADROOM } from './capacity.ts';

export type { VerbIO } from './printer.ts';

export const SHIFT_VERBS = [
  'plan',
  'start',
  'status',
  'pause',
  'resume',
  'promote',
  'abort',
  'reset',
] as const;
export type ShiftVerb = (typeof SHIFT_VERBS)[number];

export interface VerbOptions {
  to?: Color;
  strategy?: string;
  bakeSeconds?: number;
  force?: boolean;
  /** status: also write the release page (HTML) to this file. */
  htmlFile?: string;
  /** Capacity gate headroom. @default 1.2 */
  headroom?: number;
}

/** A shift this process drove to its end, handed to another controller, or stopped on a signal. */
function finish(p: Printer, io: VerbIO, deps: ControllerDeps, report: ShiftReport | undefined): number {
  if (report === undefined) {
    p.text(
      io.json
        ? `${JSON.stringify({ handedTo: 'running controller' })}\n`
        : `the running controller picks this up; follow it with ${shiftCommand(deps.driver, 'status')}\n`,
    );
    return 0;
  }
  // Stopped on a signal: the 'stop' event said where the weights are; the shift is not over.
  if (deps.stop?.aborted && !FINAL_STATUSES.includes(report.status)) return signalExitCode(deps.stop.reason);
  p.text(io.json ? `${JSON.stringify({ report })}\n` : renderReport(report));
  return report.status === 'promoted' ? 0 : 1;
}

function resetText(o: ResetOutcome, live: Weights): string {
  const lines = [`live weights ${formatWeights(live)}`];
  if (o.ended !== undefined)
    lines.push(`shift ${o.ended.id} ended ${o.ended.status}: ${o.ended.lastDecision?.reason}`);
  if (o.recordProblem !== undefined)
    lines.push(
      `the shift record was left as it is: ${o.recordProblem} — move it aside before the next start`,
    );
  return `${lines.join('\n')}\n`;
}

async function abort(p: Printer, io: VerbIO, deps: ControllerDeps): Promise<number> {
  let report: ShiftReport;
  try {
    report = await abortShift(deps);
  } catch (err) {
    if (!(err instanceof NothingToAbort)) throw err;
    // Nothing to roll back: fine (exit 0) when traffic is on one colour; else the operator must choose.
    const live = await deps.driver.readLiveWeights();
    if (COLORS.some((c) => live[c] === 0)) {
      p.text(
        io.json
          ? `${JSON.stringify({ nothingToAbort: err.message, live })}\n`
          : `nothing to abort: ${err.message}; live weights ${formatWeights(live)}\n`,
      );
      return 0;
    }
    throw new PreflightRefusal(
      `nothing to abort (${err.message}) but live weights ${formatWeights(live)} are split`,
      {
        hint: `put all traffic on one colour: ${shiftCommand(deps.driver, 'reset --to blue')} or --to green`,
      },
    );
  }
  p.text(io.json ? `${JSON.stringify({ report })}\n` : renderReport(report));
  return report.status === 'rolled-back' && report.reason !== '' ? 0 : 1;
}

export async function runShiftVerb(
  verb: ShiftVerb,
  opts: VerbOptions,
  base: ControllerDeps,
  io: VerbIO,
): Promise<number> {
  const p = createPrinter(io);
  // Every event also goes to the shift's timeline: `status --html` and the local admin page draw it.
  const timeline = timelineRecorder(base.driver, { now: () => base.clock.now() });
  const deps: ControllerDeps = {
    ...base,
    emit: (e, r) => {
      base.emit?.(e, r);
      p.event(e, r);
      timeline.add(e);
    },
  };
  try {
    return await runVerb(verb, opts, deps, io, p);
  } finally {
    await timeline.flush();
  }
}

async function runVerb(
  verb: ShiftVerb,
  opts: VerbOptions,
  deps: ControllerDeps,
  io: VerbIO,
  p: Printer,
): Promise<number> {
  switch (verb) {
    case 'plan':
    case 'start': {
      const req = { to: opts.to as Color, ...opts };
      const { plan, stickinessSeconds } = await planShift(deps, req);
      const checks = resolveDeps(deps);
      const budget = planBudget(plan, deps.driver.timing, checks);
      const capacity = await readBothCapacities(deps.driver);
      const capacityLines =
        capacity === undefined
          ? []
          : planCapacityLines(plan, capacity, opts.headroom ?? DEFAULT_HEADROOM, deps.driver.timing);
      p.text(
        io.json
          ? `${JSON.stringify({ plan, budget, stickinessSeconds, capacity: capacityLines })}\n`
          : `${renderPlan(plan, deps.driver.timing, checks, stickinessSeconds)}${capacityLines.map((l) => `${l}\n`).join('')}`,
      );
      return verb === 'plan' ? 0 : finish(p, io, deps, await startShift(deps, req));
    }
    case 'status': {
      const rec = await deps.driver.readRecord();
      const view = describeStatus(
        rec?.value,
        await deps.driver.readLiveWeights(),
        deps.clock.now(),
        deps.driver.timing,
        resolveDeps(deps).checkIntervalSeconds,
        deps.driver,
        await readBothCapacities(deps.driver),
      );
      p.text(io.json ? `${JSON.stringify(view)}\n` : renderStatus(view));
      if (opts.htmlFile !== undefined && io.writeFile) {
        await io.writeFile(opts.htmlFile, await statusPage(deps.driver));
        if (!io.json) p.text(`release page written to ${opts.htmlFile}\n`);
      }
      return 0;
    }
    case 'pause': {
      const r = await requestShift(deps, 'pause');
      p.text(
        io.json
          ? `${JSON.stringify({ record: r })}\n`
          : `shift ${r.id} ${r.status} at step ${r.currentStep}; weights stay, health gates keep watching; resume bakes the step again\n`,
      );
      return 0;
    }
    case 'promote':
      await requestShift(deps, 'promote');
      return finish(p, io, deps, await resumeShift(deps, opts.force ?? false));
    case 'resume':
      return finish(p, io, deps, await resumeShift(deps, opts.force ?? false));
    case 'abort':
      return abort(p, io, deps);
    case 'reset': {
      const outcome = await resetShift(deps, opts.to as Color, (m) => p.text(`${m}\n`));
      const live = await deps.driver.readLiveWeights();
      p.text(io.json ? `${JSON.stringify({ reset: outcome, live })}\n` : resetText(outcome, live));
      return 0;
    }
  }
}
