// The shift controller: writes each step, confirms the split, bakes with gates, and decides advance,
// hold or roll back. Every change goes through the durable record first, so a crash at any point
// leaves a record that `status`, `resume` and `abort` can act on truthfully.
import { RollbackIncompleteError } from './errors.ts';
import { bakeGates, failureReason, healthGates, splitCheck } from './check.ts';
import { rollbackWeights } from './plan.ts';
import type { ShiftReport } from './port.ts';
import type { PlanStep } from '../release/state/shiftRecord.ts';
import type { Weights } from '../contract/weights.ts';
import { buildReport, emit, isFinal, iso, update, type Session } from './session.ts';
import { restoreBeforeRollback, waitForCapacity } from './capacityHold.ts';

type StepOutcome = 'advance' | 'again';

/** Runs the shift in the record until it ends (promoted, rolled back, failed); returns the report. */
export async function drive(s: Session): Promise<ShiftReport> {
  s.driving = true;
  while (!isFinal(s.rec.value)) {
    const r = s.rec.value;
    if (r.request === 'abort') await rollback(s, 'abort requested by the operator', 'abort');
    else if (r.status === 'rolling-back') await rollback(s, r.lastDecision?.reason ?? 'interrupted rollback');
    else if (r.status === 'paused') await holdPaused(s);
    else if (r.request === 'promote') await promote(s);
    else if (r.currentStep === 0 || r.writing) await writeStep(s, stepAt(s, Math.max(1, r.currentStep)));
    else if ((await runStep(s)) === 'advance') await advance(s);
  }
  return buildReport(s);
}

function stepAt(s: Session, index: number): PlanStep {
  return s.rec.value.plan.steps[index - 1] as PlanStep;
}

async function writeStep(s: Session, step: PlanStep): Promise<void> {
  const { driver, clock } = s.deps;
  // The new colour must be able to carry the step's share before it gets it (never after).
  const capacity = await waitForCapacity(s, step);
  if (capacity.outcome === 'fail') return rollback(s, capacity.reason);
  if (capacity.outcome === 'interrupted') return;
  const r = await update(s, (x) => ({
    ...x,
    currentStep: step.index,
    weights: step.weights,
    writing: true,
    bakeStartedMs: null,
    stepWrittenMs: clock.now(),
  }));
  if (isFinal(r)) return;
  try {
    await driver.writeWeights(step.weights);
  } catch (err) {
    // The listener may hold either value now: roll back, which puts it in a known state either way.
    await rollback(s, `write of step ${step.index} failed: ${message(err)}`);
    return;
  }
  const after = await update(s, (x) => ({ ...x, writing: false }));
  // An abort from another process may have rolled back while our slower write ran: reassert it.
  if (after.status === 'rolled-back') await driver.rollbackWeights(after.weights);
  emit(s, 'write', { weights: step.weights, message: `step ${step.index}: ${step.percent}% to ${r.to}` });
}

/** Split confirmation, then the bake. Returns once the step passed, or after a decision was applied. */
async function runStep(s: Session): Promise<StepOutcome> {
  const { clock, checkIntervalSeconds } = s.deps;
  const r0 = s.rec.value;
  const deadline = (r0.stepWrittenMs ?? clock.now()) + r0.plan.stepDeadlineSeconds * 1000;
  const step = stepAt(s, r0.currentStep);
  for (;;) {
    const r = await update(s, (x) => x);
    if (isFinal(r) || r.request !== null || r.status !== 'running') return 'again';
    // Before the bake the split may lag (it only waits, until the deadline), but a crash of the new
    // colour shows in its health and probes at once and rolls back without waiting.
    const results =
      r.bakeStartedMs === null ? [...(await healthGates(s)), await splitCheck(s)] : await bakeGates(s);
    const failed = failureReason(results.filter((g) => g.gate !== 'split'));
    const now = clock.now();
    if (failed !== undefined) return rollbackAgain(s, failed);
    if (r.bakeStartedMs === null && results.every((g) => g.outcome === 'pass')) {
      await update(s, (x) => ({ ...x, bakeStartedMs: now }));
      emit(s, 'split-confirmed', { weights: r.weights });
    } else if (r.bakeStartedMs !== null && now - r.bakeStartedMs >= step.bakeSeconds * 1000) {
      if (results.every((g) => g.outcome === 'pass')) return 'advance';
    }
    const pending = results.find((g) => g.outcome !== 'pass');
    if (now >= deadline && pending !== undefined) {
      const why = `${pending.gate} ${pending.outcome} ${pending.value} (needs ${pending.threshold})`;
      return rollbackAgain(s, `step ${step.index} deadline passed: ${why}`);
    }
    await clock.sleep(checkIntervalSeconds * 1000);
  }
}

async function rollbackAgain(s: Session, reason: string): Promise<StepOutcome> {
  await rollback(s, reason);
  return 'again';
}

async function advance(s: Session): Promise<void> {
  const r = s.rec.value;
  if (r.currentStep < r.plan.steps.length) {
    emit(s, 'advance', { message: `step ${r.currentStep} passed` });
    await update(s, (x) => ({ ...x, lastDecision: decision(s, 'advance', `step ${x.currentStep} passed`) }));
    await writeStep(s, stepAt(s, r.currentStep + 1));
    return;
  }
  const reason = `all ${r.plan.steps.length} steps passed`;
  await update(s, (x) => ({
    ...x,
    status: 'promoted',
    completedAt: iso(s.deps.clock),
    lastDecision: decision(s, 'done', reason),
  }));
  emit(s, 'done', { weights: r.weights, message: `promoted: ${reason}` });
}

async function promote(s: Session): Promise<void> {
  const r = await update(s, (x) => ({
    ...x,
    request: null,
    lastDecision: decision(s, 'promote', 'operator promoted'),
  }));
  emit(s, 'promote', { message: 'skipping to 100%; the last step still bakes with its gates' });
  const last = stepAt(s, r.plan.steps.length);
  if (r.currentStep !== last.index || r.writing) await writeStep(s, last);
}

/** While paused the weights stay; health gates keep running and a failure still rolls back. */
async function holdPaused(s: Session): Promise<void> {
  const failed = failureReason(await healthGates(s));
  if (failed !== undefined) return void (await rollback(s, `while paused: ${failed}`));
  await s.deps.clock.sleep(s.deps.checkIntervalSeconds * 1000);
  await update(s, (x) => x);
}

/**
 * One write back to 100% on the previous colour, skipping the remaining steps. The record first says
 * "rolling-back" with the target weights, so a crash mid-rollback resumes the rollback, never the shift.
 */
export async function rollback(
  s: Session,
  reason: string,
  action: 'rollback' | 'abort' = 'rollback',
): Promise<void> {
  const weights: Weights = rollbackWeights(s.rec.value.plan);
  const wasPromoted = s.rec.value.status === 'promoted';
  await update(s, (x) => ({
    ...x,
    status: 'rolling-back',
    request: null,
    weights,
    writing: true,
    lastDecision: decision(s, action, reason),
  }));
  emit(s, action, { weights, message: reason });
  // After a promotion the colour rolled back to may have been scaled down: capacity first, then weights.
  if (wasPromoted)
    await restoreBeforeRollback(s).catch((err: unknown) =>
      emit(s, 'error', { message: `restoring capacity failed: ${message(err)}; moving the weights anyway` }),
    );
  try {
    await s.deps.driver.rollbackWeights(weights);
  } catch (err) {
    const applied = err instanceof RollbackIncompleteError;
    const known = applied
      ? `listener is back on ${s.rec.value.from} 100% but the durable record/reconcile failed`
      : 'the listener may still hold the step weights';
    await update(s, (x) => ({
      ...x,
      status: applied ? 'rolled-back' : 'failed',
      writing: !applied,
      lastError: `${known}: ${message(err)} — run "exchange shift abort" again`,
    }));
    emit(s, 'error', { message: `${known}: ${message(err)}` });
    return;
  }
  await update(s, (x) => ({ ...x, status: 'rolled-back', writing: false, lastError: null }));
  emit(s, 'done', { weights, message: `rolled back: ${reason}` });
}

function decision(s: Session, action: 'advance' | 'rollback' | 'abort' | 'promote' | 'done', reason: string) {
  return { action, reason, time: iso(s.deps.clock) };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
