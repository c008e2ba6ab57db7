// Text for people: the plan, one line per event, a one-line live progress bar, the status and report.
import { formatWeights } from '../contract/weights.ts';
import { formatDuration, planBudget, type GateCadence } from './plan.ts';
import type { DriverTiming, ShiftEvent, ShiftReport } from './port.ts';
import type { ShiftPlan, ShiftRecord } from '../release/state/shiftRecord.ts';
import type { ShiftStatusView } from './status.ts';

export function renderPlan(
  plan: ShiftPlan,
  timing: DriverTiming,
  checks: GateCadence,
  stickinessSeconds = 0,
): string {
  const b = planBudget(plan, timing, checks);
  const rows = plan.steps.map(
    (s) =>
      `  ${String(s.index).padStart(2)}  ${`${plan.to} ${s.percent}%`.padEnd(12)} ${formatWeights(s.weights).padEnd(22)} bake ${formatDuration(s.bakeSeconds)}`,
  );
  const r = b.rollback;
  return [
    `Shift ${plan.from} → ${plan.to}, strategy ${plan.strategy}`,
    'step  new colour   weights                 bake',
    ...rows,
    `Total: ${formatDuration(b.totalSeconds)} if every gate passes (per step: write ≤ ${timing.writeSeconds}s + propagation ≤ ${timing.propagationSeconds}s + bake).`,
    `A step fails if its gates have not passed ${formatDuration(plan.stepDeadlineSeconds)} after its write (no data is not a pass).`,
    'Rollback budget per fault (detection + one listener write + propagation):',
    ...b.byFault.map(
      (f) =>
        `  ${f.fault.padEnd(20)} ${`${formatDuration(f.totalSeconds)}`.padStart(6)} (goal ≤ ${f.goalSeconds}s) = ${f.terms.map((t) => `${t.name} ${t.seconds}s`).join(' + ')}`,
    ),
    `  fixed limits (outer guard, ${timing.metricsPeriodSeconds}s metrics): ${formatDuration(r.totalSeconds)} = detection ${r.detectionSeconds}s + write ${r.writeSeconds}s + propagation ${r.propagationSeconds}s.`,
    stickinessSeconds > 0
      ? `Stickiness ${formatDuration(stickinessSeconds)} (no longer than the bake): sticky users follow a rollback only when their cookie expires, up to ${formatDuration(stickinessSeconds)} after it.`
      : 'Stickiness off: a rollback moves every user with the listener write (a shift refuses stickiness longer than the bake).',
    '',
  ].join('\n');
}

export function renderEvent(e: ShiftEvent): string {
  const parts = [e.time, `step ${e.step}`, e.action];
  if (e.gate !== undefined)
    parts.push(`${e.gate}=${e.outcome}`, e.value ?? '', e.threshold ? `(needs ${e.threshold})` : '');
  if (e.weights !== undefined) parts.push(`[${formatWeights(e.weights)}]`);
  if (e.message !== undefined) parts.push(e.message);
  return parts.filter((p) => p !== '').join(' ');
}

const BAR = 20;

/** One terminal line: step, a weights bar, the last gate value and the time left in the bake. */
export function renderProgress(r: ShiftRecord, last: ShiftEvent | undefined, nowMs: number): string {
  const share = r.weights[r.to] / Math.max(1, r.weights[r.to] + r.weights[r.from]);
  const filled = Math.round(share * BAR);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
  const step = r.plan.steps[r.currentStep - 1];
  const left =
    r.status === 'paused'
      ? 'paused: weights held, the bake restarts on resume'
      : step === undefined || r.bakeStartedMs === null
        ? 'confirming split'
        : `${formatDuration(Math.max(0, step.bakeSeconds - (nowMs - r.bakeStartedMs) / 1000))} left`;
  const gate = last?.gate === undefined ? '' : ` · ${last.gate} ${last.value ?? ''}`;
  return `step ${r.currentStep}/${r.plan.steps.length} ${r.from} [${bar}] ${r.to} ${Math.round(share * 100)}% · ${left}${gate}`;
}

export function renderStatus(v: ShiftStatusView): string {
  const r = v.record;
  const lines = [`live weights: ${formatWeights(v.live)}`];
  if (r !== undefined) {
    lines.push(
      `shift ${r.id}: ${r.from} → ${r.to} (${r.plan.strategy}), ${r.status}, step ${r.currentStep}/${r.plan.steps.length}, recorded ${formatWeights(r.weights)}`,
      `last decision: ${r.lastDecision === null ? 'none' : `${r.lastDecision.action} at ${r.lastDecision.time}: ${r.lastDecision.reason}`}`,
      `updated ${r.updatedAt}${v.controllerAlive ? ' (controller running)' : ''}`,
    );
  }
  return `${[...lines, ...v.findings].join('\n')}\n`;
}

export function renderReport(r: ShiftReport): string {
  const gates = Object.entries(r.gates)
    .map(([g, c]) => `${g} ${c.pass}✓ ${c.fail}✗ ${c.noData}?`)
    .join(', ');
  return [
    `shift ${r.shiftId} ${r.from} → ${r.to}: ${r.status} after ${formatDuration(r.durationSeconds)} (${r.stepsCompleted}/${r.stepsPlanned} steps) — ${r.reason}`,
    `final weights ${formatWeights(r.finalWeights)}; gate checks: ${gates}`,
    ...(r.scaleDownSafeAt === null ? [] : [`scale ${r.from} down after ${r.scaleDownSafeAt}`]),
    '',
  ].join('\n');
}
