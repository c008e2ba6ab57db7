// The shift controller: writes each step, confirms the split, bakes with gates, and decides advance,
// hold or roll back. Every change goes through the durable record first, so a crash at any point
// leaves a record that `status`, `resume` and `abort` can act on truthfully.
import { RollbackIncompleteError } from './errors.ts';
import { bakeGates, failureReason, healthGates, splitRound } from './check.ts';
import { rollbackWeights } from './plan.ts';
import type { ShiftReport } from './port.ts';
import { buildReport, emit, isFinal, iso, RecordLostError, update, type Session } from './session.ts';
import { shiftCommand } from './hints.ts';
import { formatWeights, sameWeights, type Weights } from '../contract/weights.ts';
import type { PlanStep, ShiftRecord, ShiftStatus } from '../release/state/shiftRecord.ts';
import { restoreBeforeRollback, waitForCapacity } from './capacityHold.ts';

type StepOutcome = 'advance' | 'again';

/**
 * Runs the shift in the record until it ends (promoted, rolled back, failed) or the process is asked to
 * stop; returns the report. A record that vanishes or turns bad mid-shift rolls traffic back without it.
 */
export async function drive(s: Session): Promise<ShiftReport> {
  s.driving = true;
  try {
    await loop(s);
  } catch (err) {
    if (!(err instanceof RecordLostError)) throw err;
    await rollbackWithoutRecord(s, err);
  }
  return buildReport(s);
}

async function loop(s: Session): Promise<void> {
  let paused = false;
  while (!isFinal(s.rec.value)) {
    const r = s.rec.value;
    if (s.deps.stop.aborted && r.status !== 'rolling-back' && r.request !== 'abort') return stopDriving(s);
    if (paused !== (r.status === 'paused')) paused = notePause(s, r.status === 'paused');
    if (r.request === 'abort') await rollback(s, 'abort requested by the operator', 'abort');
    else if (r.status === 'rolling-back') await rollback(s, r.lastDecision?.reason ?? 'interrupted rollback');
    else if (r.status === 'paused') await holdPaused(s);
    else if (r.request === 'promote') await promote(s);
    else if (r.currentStep === 0 || r.writing) await writeStep(s, stepAt(s, Math.max(1, r.currentStep)));
    else if ((await runStep(s)) === 'advance') await advance(s);
  }
  const last = s.events[s.events.length - 1];
  if (last?.action !== 'done' && last?.action !== 'error') {
    const r = s.rec.value;
    emit(s, r.lastDecision?.action ?? 'done', {
      weights: r.weights,
      message: `ended by another process: ${r.lastDecision?.reason ?? r.status}`,
    });
  }
}

function notePause(s: Session, paused: boolean): boolean {
  const r = s.rec.value;
  if (paused)
    emit(s, 'pause', {
      weights: r.weights,
      message:
        'paused by the operator: the weights stay, health gates keep watching; resume bakes this step again',
    });
  else emit(s, 'resume', { message: `resumed: step ${r.currentStep} confirms its split and bakes again` });
  return paused;
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
  // An abort or reset from another process may have ended the shift while our slower write ran: its
  // weights must win, so reassert them.
  if (isFinal(after) && !sameWeights(after.weights, step.weights))
    await driver.rollbackWeights(after.weights);
  emit(s, 'write', { weights: step.weights, message: `step ${step.index}: ${step.percent}% to ${r.to}` });
}

/** Split confirmation, then the bake. Returns once the step passed, or after a decision was applied. */
async function runStep(s: Session): Promise<StepOutcome> {
  const { clock, checkIntervalSeconds } = s.deps;
  const step = stepAt(s, s.rec.value.currentStep);
  for (;;) {
    const r = await update(s, (x) => x);
    if (isFinal(r) || r.request !== null || r.status !== 'running' || s.deps.stop.aborted) return 'again';
    // Read each round: a resume from another process restarts the step (split, bake, deadline).
    const deadline = (r.stepWrittenMs ?? clock.now()) + r.plan.stepDeadlineSeconds * 1000;
    // Before the bake the split may lag (it only waits, until the deadline), but a crash of the new
    // colour shows in its health and probes at once and rolls back without waiting.
    const results = r.bakeStartedMs === null ? await splitRound(s) : await bakeGates(s);
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
    await nap(s, checkIntervalSeconds * 1000);
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
  await nap(s, s.deps.checkIntervalSeconds * 1000);
  await update(s, (x) => x);
}

/** The check interval's sleep, cut short when the process is asked to stop. */
async function nap(s: Session, ms: number): Promise<void> {
  const { stop, clock } = s.deps;
  if (stop.aborted) return;
  let wake = (): void => undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  stop.addEventListener('abort', wake, { once: true });
  await Promise.race([clock.sleep(ms), stopped]);
  stop.removeEventListener('abort', wake);
}

/** Asked to stop (SIGINT, SIGTERM): the weights stay; the record says no controller drives it now. */
async function stopDriving(s: Session): Promise<void> {
  s.driving = false;
  const r = await update(s, (x) => ({ ...x, stoppedAt: iso(s.deps.clock) }));
  const why = typeof s.deps.stop.reason === 'string' ? s.deps.stop.reason : 'a stop request';
  emit(s, 'stop', {
    weights: r.weights,
    message: `controller stopped by ${why}: shift ${r.status} at step ${r.currentStep}/${r.plan.steps.length} with weights ${formatWeights(r.weights)}; ${shiftCommand(s.deps.driver, 'resume')} continues it, ${shiftCommand(s.deps.driver, 'abort')} rolls back`,
  });
}

/**
 * The record is gone or failed validation: roll the listener back anyway (the old colour is the known
 * good one), then write a record saying so only where none exists — never over a file that is bad.
 */
async function rollbackWithoutRecord(s: Session, lost: RecordLostError): Promise<void> {
  s.driving = false;
  const weights = rollbackWeights(s.rec.value.plan);
  const reason = `${lost.message}; rolled back without it`;
  emit(s, 'rollback', { weights, message: reason });
  let status: ShiftStatus = 'rolled-back';
  let lastError: string | null = null;
  try {
    await s.deps.driver.rollbackWeights(weights);
  } catch (err) {
    const applied = err instanceof RollbackIncompleteError;
    status = applied ? 'rolled-back' : 'failed';
    lastError = applied ? message(err) : `the listener may still hold the step weights: ${message(err)}`;
  }
  const value: ShiftRecord = {
    ...s.rec.value,
    status,
    weights,
    writing: false,
    request: null,
    lastDecision: decision(s, 'rollback', reason),
    updatedAt: iso(s.deps.clock),
    lastError,
  };
  s.rec = { value, etag: s.rec.etag };
  if (lost.disappeared) s.rec.etag = await s.deps.driver.writeRecord(value, null).catch(() => s.rec.etag);
  emit(s, lastError === null ? 'done' : 'error', { weights, message: lastError ?? `rolled back: ${reason}` });
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
      lastError: `${known}: ${message(err)} — run ${shiftCommand(s.deps.driver, 'abort')} again`,
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
