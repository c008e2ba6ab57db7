// The rehearsal report, pure: the load's records, the controller's events and the fault's time in,
// the numbers and the verdict out, as one JSON object or a table.
import { COLORS, type Color } from '../../contract/index.ts';
import type { ShiftEvent, ShiftReport } from '../../shift/port.ts';
import type { Weights } from '../../contract/weights.ts';
import { isFailure, type LoadRecord } from '../load.ts';
import type { FaultBudget } from './budget.ts';
import { splitTolerance } from '../../shift/gates.ts';
import { faultLabel, type FaultSpec } from './fault.ts';

export interface GateLine {
  gate: string;
  outcome: string;
  value: string;
  threshold: string;
}

export interface StepLine {
  step: number;
  writtenWeights: Weights;
  /** What the load saw while this step's weights were live: answers per colour and the new colour's share. */
  observedSplit: Record<Color, number> & { newSharePct: number | null };
  /** The last measurement of each gate (a failing one wins), value and threshold as the controller logged them. */
  gates: GateLine[];
}

export interface RehearsalFacts {
  strategy: string;
  rps: number;
  fault: FaultSpec | null;
  from: Color;
  to: Color;
  shift: ShiftReport;
  events: ShiftEvent[];
  records: LoadRecord[];
  /** Epoch ms the fault was injected, null when none was. */
  faultAtMs: number | null;
  /** The fault's budget in check rounds plus one write; null without a fault. */
  budget: FaultBudget | null;
  /** 1-minute load average before and after, and the cores: a busy machine reads as such. */
  load: { before: number; after: number; cpus: number };
  durationMs: number;
}

export interface RehearsalReport {
  ok: boolean;
  verdict: string;
  strategy: string;
  rps: number;
  fault: FaultSpec | null;
  from: Color;
  to: Color;
  status: string;
  totalRequests: number;
  failedRequests: number;
  failedByColor: Record<Color | 'unknown', number>;
  /** Failed requests not explained by the fault: another colour, failed before the fault, or sent after the rollback. */
  unexplainedFailures: number;
  rolledBack: boolean;
  /** First failing gate → rollback applied on the router, ms; null without a rollback. */
  detectToRollbackMs: number | null;
  /** Fault injected → rollback applied, ms (wall clock: read it with `load`). */
  faultToRollbackMs: number | null;
  /** The budget at the nominal cadence (detection + one write), ms; 0 without a fault. */
  rollbackBudgetMs: number;
  /** Check rounds the controller ran from the fault to its rollback decision (its own clock). */
  detectionRounds: number | null;
  /** Rounds the fault's detection may take, and what that is made of. */
  budgetRounds: number | null;
  budgetTerms: string;
  /** The rollback write as the controller timed it (decision → router applied), ms. */
  rollbackWriteMs: number | null;
  load: { before: number; after: number; cpus: number };
  finalWeights: Weights;
  reason: string;
  steps: StepLine[];
  durationMs: number;
  /** The release page (HTML), when asked for. */
  page?: string;
}

const at = (e: ShiftEvent): number => Date.parse(e.time);

function stepLines(f: RehearsalFacts): StepLine[] {
  const writes = f.events.filter((e) => e.action === 'write' && e.weights);
  const endMs = Math.max(...f.records.map((r) => r.doneMs), Date.now());
  return writes.map((w, i) => {
    const fromMs = at(w);
    const toMs =
      i + 1 < writes.length
        ? at(writes[i + 1]!)
        : rollbackEvent(f.events)
          ? at(rollbackEvent(f.events)!)
          : endMs;
    const inStep = f.records.filter((r) => r.sentMs >= fromMs && r.sentMs < toMs && r.color);
    const split = Object.fromEntries(
      COLORS.map((c) => [c, inStep.filter((r) => r.color === c).length]),
    ) as Record<Color, number>;
    const n = split[f.to] + split[f.from];
    const gates = new Map<string, GateLine>();
    for (const e of f.events) {
      if (e.step !== w.step || !e.gate || !e.outcome) continue;
      const key = `${e.gate} ${e.threshold ?? ''}`;
      if (gates.get(key)?.outcome === 'fail') continue;
      gates.set(key, {
        gate: e.gate,
        outcome: e.outcome,
        value: e.value ?? '',
        threshold: e.threshold ?? '',
      });
    }
    return {
      step: w.step,
      writtenWeights: w.weights!,
      observedSplit: { ...split, newSharePct: n ? Math.round((split[f.to] / n) * 1000) / 10 : null },
      gates: [...gates.values()],
    };
  });
}

function rollbackEvent(events: ShiftEvent[]): ShiftEvent | undefined {
  return events.find((e) => e.action === 'rollback' || e.action === 'abort');
}

/** The router applied the rollback when the controller logged "done" after it (the admin call returned). */
function rollbackAppliedMs(events: ShiftEvent[]): number | null {
  const rb = rollbackEvent(events);
  const done = rb && events.find((e) => e.action === 'done' && at(e) >= at(rb));
  return done ? at(done) : null;
}

/** Rounds (one target-health check each) from the fault to the rollback decision. */
function roundsBetween(events: ShiftEvent[], fromMs: number, toMs: number): number {
  return events.filter((e) => e.gate === 'target-health' && at(e) >= fromMs && at(e) <= toMs).length;
}

export function buildRehearsalReport(f: RehearsalFacts): RehearsalReport {
  const failed = f.records.filter(isFailure);
  const failedByColor = { blue: 0, green: 0, unknown: 0 } as Record<Color | 'unknown', number>;
  for (const r of failed) failedByColor[r.color ?? 'unknown'] += 1;
  const appliedMs = rollbackAppliedMs(f.events);
  const rb = rollbackEvent(f.events);
  const firstFail = f.events.find(
    (e) => e.outcome === 'fail' && (f.faultAtMs === null || at(e) >= f.faultAtMs),
  );
  // A request in flight when the fault struck (a kill cuts it) fails after the fault though sent before.
  const explained = (r: LoadRecord): boolean =>
    f.faultAtMs !== null &&
    r.color === f.to &&
    r.doneMs >= f.faultAtMs &&
    (appliedMs === null || r.sentMs <= appliedMs);
  const unexplained = failed.filter((r) => !explained(r)).length;
  const base = {
    strategy: f.strategy,
    rps: f.rps,
    fault: f.fault,
    from: f.from,
    to: f.to,
    status: f.shift.status,
    totalRequests: f.records.length,
    failedRequests: failed.length,
    failedByColor,
    unexplainedFailures: unexplained,
    rolledBack: f.shift.status === 'rolled-back',
    detectToRollbackMs: appliedMs !== null && firstFail ? appliedMs - at(firstFail) : null,
    faultToRollbackMs: appliedMs !== null && f.faultAtMs !== null ? appliedMs - f.faultAtMs : null,
    rollbackBudgetMs: f.budget ? Math.round(f.budget.detectionSeconds * 1000 + f.budget.writeMs) : 0,
    detectionRounds: rb && f.faultAtMs !== null ? roundsBetween(f.events, f.faultAtMs, at(rb)) : null,
    budgetRounds: f.budget?.rounds ?? null,
    budgetTerms: f.budget?.terms ?? '',
    rollbackWriteMs: rb && appliedMs !== null ? appliedMs - at(rb) : null,
    load: f.load,
    finalWeights: f.shift.finalWeights,
    reason: f.shift.reason,
    steps: stepLines(f),
    durationMs: f.durationMs,
  };
  return { ...verdict(base, f), ...base };
}

/**
 * `capacity:K`: the shift must hold before a step the new colour cannot carry, end with the capacity
 * gate's reason, and never give it more than the share of the steps it did write (within the split
 * gate's tolerance); before the first write, not one request.
 */
function capacityVerdict(
  r: Omit<RehearsalReport, 'ok' | 'verdict'>,
  f: RehearsalFacts,
): { ok: boolean; verdict: string } {
  const label = `fault capacity:${f.fault?.tasks ?? '?'}`;
  if (r.status !== 'rolled-back' || !/held for capacity/.test(r.reason))
    return { ok: false, verdict: `${label} did not hold for capacity: ${r.status} (${r.reason})` };
  const firstWrite = f.events.find((e) => e.action === 'write');
  const early = f.records.filter(
    (x) => x.color === f.to && (firstWrite === undefined || x.sentMs < Date.parse(firstWrite.time)),
  ).length;
  if (early > 0)
    return {
      ok: false,
      verdict: `${label}: ${f.to} answered ${early} requests before any step gave it a share`,
    };
  for (const s of r.steps) {
    const n = s.observedSplit[f.to] + s.observedSplit[f.from];
    const share = s.writtenWeights[f.to] / Math.max(1, s.writtenWeights[f.to] + s.writtenWeights[f.from]);
    if (n > 0 && s.observedSplit[f.to] / n > share + splitTolerance(share, n))
      return {
        ok: false,
        verdict: `${label}: step ${s.step} sent ${f.to} ${s.observedSplit.newSharePct}%, over its ${Math.round(share * 100)}%`,
      };
  }
  return {
    ok: true,
    verdict: `held for capacity: ${r.reason.replace(/^step (\d+) held for capacity until its deadline: /, 'step $1, ')}; ${f.to} never got more than its share`,
  };
}

function verdict(
  r: Omit<RehearsalReport, 'ok' | 'verdict'>,
  f: RehearsalFacts,
): { ok: boolean; verdict: string } {
  if (f.fault?.kind === 'capacity') return capacityVerdict(r, f);
  if (f.fault === null) {
    if (r.status !== 'promoted' || r.finalWeights[f.to] === 0 || r.finalWeights[f.from] !== 0)
      return { ok: false, verdict: `clean rehearsal did not promote: ${r.status} (${r.reason})` };
    if (r.failedRequests > 0)
      return { ok: false, verdict: `clean rehearsal promoted but ${r.failedRequests} requests failed` };
    return { ok: true, verdict: `promoted to 100% ${f.to} with 0 failed requests` };
  }
  const name = faultLabel(f.fault);
  if (f.fault.shared) return sharedVerdict(r, f, name);
  if (!r.rolledBack || r.finalWeights[f.to] !== 0)
    return { ok: false, verdict: `fault ${name} did not roll back: ${r.status} (${r.reason})` };
  const rounds = `${r.detectionRounds} check rounds (budget ${r.budgetRounds})`;
  if (r.detectionRounds === null || r.budgetRounds === null || r.detectionRounds > r.budgetRounds)
    return { ok: false, verdict: `detected after ${rounds}: over the budget (${r.budgetTerms})` };
  if (r.unexplainedFailures > 0)
    return {
      ok: false,
      verdict: `${r.unexplainedFailures} failed requests not from ${f.to} between the fault and the rollback`,
    };
  return {
    ok: true,
    verdict: `rolled back to 100% ${f.from} after ${rounds} + a ${r.rollbackWriteMs} ms write; ${r.faultToRollbackMs} ms on the wall clock at load ${r.load.before.toFixed(1)}/${r.load.cpus} cores; ${
      r.failedRequests === 0
        ? 'no failed requests'
        : `${r.failedRequests} failed requests, all from ${f.to} before the rollback`
    }`,
  };
}

/** A fault on both colours must not roll back for it: the shift continues, and the judge says why. */
function sharedVerdict(
  r: Omit<RehearsalReport, 'ok' | 'verdict'>,
  f: RehearsalFacts,
  name: string,
): { ok: boolean; verdict: string } {
  const said = [...f.events].reverse().find((e) => e.gate === 'canary' && /shared fault/.test(e.value ?? ''));
  if (r.rolledBack) return { ok: false, verdict: `shared fault ${name} rolled back: ${r.reason}` };
  if (said === undefined)
    return {
      ok: false,
      verdict: `shared fault ${name}: ${r.status}, but the judge never said it was shared`,
    };
  return {
    ok: true,
    verdict: `shared fault ${name}: not rolled back (${r.status}); the judge said: ${said.value}`,
  };
}
