// One controller's view of a shift: the record it last read (with its etag), the events it emitted,
// and the compare-and-swap update every change goes through so an operator's pause/abort from another
// process is never overwritten.
import { RecordConflictError } from './errors.ts';
import { CHECK_INTERVAL_SECONDS } from './plan.ts';
import {
  type Clock,
  type GateName,
  type ShiftDriver,
  type ShiftEvent,
  type ShiftReport,
  type Versioned,
} from './port.ts';
import { FINAL_STATUSES, type Action, type ShiftRecord } from '../release/state/shiftRecord.ts';
import { DEFAULT_THRESHOLDS, SPLIT_SAMPLE_SIZE, type GateResult, type MetricThresholds } from './gates.ts';

export interface ControllerDeps {
  driver: ShiftDriver;
  clock: Clock;
  /** Receives every event as it happens (CLI display, logs). */
  emit?: (event: ShiftEvent) => void;
  thresholds?: MetricThresholds;
  /** Seconds between gate checks. @default 15 */
  checkIntervalSeconds?: number;
  /** Requests per split check. @default 400 */
  splitSampleSize?: number;
}

export interface Session {
  deps: Required<ControllerDeps>;
  rec: Versioned<ShiftRecord>;
  events: ShiftEvent[];
  startedMs: number;
  /** True while this process drives the shift: its writes are the controller's heartbeat. */
  driving: boolean;
}

const MAX_CAS_ATTEMPTS = 5;

export function resolveDeps(deps: ControllerDeps): Required<ControllerDeps> {
  return {
    driver: deps.driver,
    clock: deps.clock,
    emit: deps.emit ?? (() => undefined),
    thresholds: deps.thresholds ?? DEFAULT_THRESHOLDS,
    checkIntervalSeconds:
      deps.checkIntervalSeconds ?? deps.driver.timing.checkIntervalSeconds ?? CHECK_INTERVAL_SECONDS,
    splitSampleSize: deps.splitSampleSize ?? SPLIT_SAMPLE_SIZE,
  };
}

export function isFinal(r: ShiftRecord): boolean {
  return FINAL_STATUSES.includes(r.status);
}

export function iso(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/**
 * Read-modify-write with the etag; on a lost race re-reads and applies `fn` to the fresh record, so
 * fields another writer changed survive. A record that ended (or was replaced) meanwhile is returned
 * untouched: the caller sees it and stops.
 */
export async function update(s: Session, fn: (r: ShiftRecord) => ShiftRecord): Promise<ShiftRecord> {
  const { driver, clock } = s.deps;
  for (let attempt = 1; ; attempt++) {
    const current = s.rec.value;
    if (isFinal(current) && attempt > 1) return current;
    const stamp = iso(clock);
    const next = { ...fn(current), updatedAt: stamp, ...(s.driving ? { heartbeatAt: stamp } : {}) };
    try {
      const etag = await driver.writeRecord(next, s.rec.etag);
      s.rec = { value: next, etag };
      return next;
    } catch (err) {
      if (!(err instanceof RecordConflictError) || attempt >= MAX_CAS_ATTEMPTS) throw err;
      const fresh = await driver.readRecord();
      if (fresh === undefined || fresh.value.id !== current.id) throw err;
      s.rec = fresh;
      if (isFinal(fresh.value)) return fresh.value;
    }
  }
}

export function emit(
  s: Session,
  action: Action,
  extra: Partial<Omit<ShiftEvent, 'time' | 'shiftId' | 'action'>> = {},
): ShiftEvent {
  const event: ShiftEvent = {
    time: iso(s.deps.clock),
    shiftId: s.rec.value.id,
    step: s.rec.value.currentStep,
    action,
    ...extra,
  };
  s.events.push(event);
  s.deps.emit(event);
  return event;
}

export function emitGate(s: Session, g: GateResult): void {
  emit(s, 'hold', { gate: g.gate, outcome: g.outcome, value: g.value, threshold: g.threshold });
}

const GATES: GateName[] = ['target-health', 'probe-main', 'probe-test-route', 'metrics', 'split', 'capacity'];

export function buildReport(s: Session): ShiftReport {
  const r = s.rec.value;
  const gates = Object.fromEntries(
    GATES.map((g) => [g, { pass: 0, fail: 0, noData: 0 }]),
  ) as ShiftReport['gates'];
  for (const e of s.events) {
    if (e.gate === undefined || e.outcome === undefined) continue;
    const k = e.outcome === 'no-data' ? 'noData' : e.outcome;
    gates[e.gate][k] += 1;
  }
  const last = r.plan.steps.length;
  return {
    shiftId: r.id,
    from: r.from,
    to: r.to,
    status: r.status,
    stepsCompleted: r.status === 'promoted' ? last : Math.max(0, r.currentStep - 1),
    stepsPlanned: last,
    finalWeights: r.weights,
    durationSeconds: Math.round((s.deps.clock.now() - s.startedMs) / 1000),
    gates,
    reason: r.lastDecision?.reason ?? '',
    scaleDownSafeAt: scaleDownSafeAt(r, s.deps.driver),
  };
}

/** From when the old colour may be scaled down: propagation plus the deregistration delay after 100%. */
export function scaleDownSafeAt(r: ShiftRecord, driver: Pick<ShiftDriver, 'timing'>): string | null {
  if (r.status !== 'promoted' || r.completedAt === null) return null;
  const { propagationSeconds, deregistrationDelaySeconds } = driver.timing;
  return new Date(
    Date.parse(r.completedAt) + (propagationSeconds + deregistrationDelaySeconds) * 1000,
  ).toISOString();
}

export function openSession(deps: ControllerDeps, rec: Versioned<ShiftRecord>): Session {
  const resolved = resolveDeps(deps);
  return { deps: resolved, rec, events: [], startedMs: resolved.clock.now(), driving: false };
}
