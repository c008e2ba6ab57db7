// One controller's view of a shift: the record it last read (with its etag), the events it emitted,
// and the compare-and-swap update every change goes through so an operator's pause/abort from another
// process is never overwritten.
import { RecordConflictError } from './errors.ts';
import { CHECK_INTERVAL_SECONDS } from './plan.ts';
import {
  type Clock,
  type DriverTiming,
  type GateName,
  type ShiftDriver,
  type ShiftEvent,
  type ShiftReport,
  type Versioned,
} from './port.ts';
import {
  FINAL_STATUSES,
  type Action,
  type GateTally,
  type ShiftRecord,
} from '../release/state/shiftRecord.ts';
import { CorruptDocumentError } from '../release/state/store.ts';
import { ExchangeError } from '../lib/errors.ts';
import { DEFAULT_THRESHOLDS, SPLIT_SAMPLE_SIZE, type GateResult, type MetricThresholds } from './gates.ts';
import type { JudgeConfig } from './judge/samples.ts';

export interface ControllerDeps {
  driver: ShiftDriver;
  clock: Clock;
  /** Receives every event as it happens (CLI display, logs), with the record as it then stands. */
  emit?: (event: ShiftEvent, record: ShiftRecord) => void;
  /**
   * Aborted when the process is asked to stop (its reason is the signal name): the controller stops
   * driving after the driver call in progress, marks the record and leaves the weights where they are.
   * @default - never
   */
  stop?: AbortSignal;
  thresholds?: MetricThresholds;
  /** Seconds between gate checks. @default 15 */
  checkIntervalSeconds?: number;
  /** Requests per split check. @default 400 */
  splitSampleSize?: number;
  /** The canary judge's settings (confidence, minimum counts, allowed increases, N). @default DEFAULT_JUDGE */
  judge?: Partial<JudgeConfig>;
}

export interface Session {
  deps: Required<ControllerDeps>;
  rec: Versioned<ShiftRecord>;
  events: ShiftEvent[];
  startedMs: number;
  /** True while this process drives the shift: its writes are the controller's heartbeat. */
  driving: boolean;
  /** Gate checks so far: the record's (earlier controllers') plus this process's. */
  tally: GateTally;
}

const MAX_CAS_ATTEMPTS = 5;

export function resolveDeps(deps: ControllerDeps): Required<ControllerDeps> {
  return {
    driver: deps.driver,
    clock: deps.clock,
    emit: deps.emit ?? (() => undefined),
    stop: deps.stop ?? new AbortController().signal,
    thresholds: deps.thresholds ?? DEFAULT_THRESHOLDS,
    checkIntervalSeconds:
      deps.checkIntervalSeconds ?? deps.driver.timing.checkIntervalSeconds ?? CHECK_INTERVAL_SECONDS,
    splitSampleSize: deps.splitSampleSize ?? SPLIT_SAMPLE_SIZE,
    judge: deps.judge ?? {},
  };
}

export function isFinal(r: ShiftRecord): boolean {
  return FINAL_STATUSES.includes(r.status);
}

/**
 * Whether a controller drives the shift now — the one rule `resume` and `status` share: it writes the
 * record every check (a write may take `writeSeconds` more), and one stopped on a signal said so.
 */
export function drivenNow(
  r: ShiftRecord,
  nowMs: number,
  checkIntervalSeconds: number,
  timing: Pick<DriverTiming, 'writeSeconds'>,
): boolean {
  const silentMs = nowMs - Date.parse(r.heartbeatAt ?? r.startedAt);
  return (
    !isFinal(r) &&
    (r.stoppedAt ?? null) === null &&
    silentMs <= (3 * checkIntervalSeconds + timing.writeSeconds) * 1000
  );
}

export function iso(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/**
 * The record cannot be read back mid-shift: deleted, or replaced by a file that fails validation. The
 * controller then rolls traffic back without it (shift/controller.ts), never writing over a bad file.
 */
export class RecordLostError extends ExchangeError {
  override name = 'RecordLostError';
  constructor(
    message: string,
    /** True when nothing is stored any more (a record may be written again); false when a bad file is. */
    readonly disappeared: boolean,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

async function reread(s: Session, current: ShiftRecord, err: unknown): Promise<Versioned<ShiftRecord>> {
  let fresh;
  try {
    fresh = await s.deps.driver.readRecord();
  } catch (readErr) {
    if (readErr instanceof CorruptDocumentError)
      throw new RecordLostError(readErr.message, false, { hint: readErr.hint, cause: readErr });
    throw readErr;
  }
  if (fresh === undefined)
    throw new RecordLostError(`the shift record disappeared while shift ${current.id} ran`, true, {
      cause: err,
    });
  if (fresh.value.id !== current.id) throw err;
  return fresh;
}

/**
 * Read-modify-write with the etag; on a lost race re-reads and applies `fn` to the fresh record, so
 * fields another writer changed survive. A record that ended (or was replaced) meanwhile is returned
 * untouched: the caller sees it and stops. A driving controller's writes carry its heartbeat and its
 * gate tally, and clear a stop mark an earlier controller left.
 */
export async function update(s: Session, fn: (r: ShiftRecord) => ShiftRecord): Promise<ShiftRecord> {
  const { driver, clock } = s.deps;
  for (let attempt = 1; ; attempt++) {
    const current = s.rec.value;
    if (isFinal(current) && attempt > 1) return current;
    const stamp = iso(clock);
    const { stoppedAt, ...changed } = fn(current);
    const next: ShiftRecord = s.driving
      ? { ...changed, updatedAt: stamp, heartbeatAt: stamp, gateCounts: s.tally }
      : { ...changed, updatedAt: stamp, ...(stoppedAt === undefined ? {} : { stoppedAt }) };
    try {
      const etag = await driver.writeRecord(next, s.rec.etag);
      s.rec = { value: next, etag };
      return next;
    } catch (err) {
      if (!(err instanceof RecordConflictError) || attempt >= MAX_CAS_ATTEMPTS) throw err;
      s.rec = await reread(s, current, err);
      if (isFinal(s.rec.value)) return s.rec.value;
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
  s.deps.emit(event, s.rec.value);
  return event;
}

export function emitGate(s: Session, g: GateResult): void {
  const t = (s.tally[g.gate] ??= { pass: 0, fail: 0, noData: 0 });
  t[g.outcome === 'no-data' ? 'noData' : g.outcome] += 1;
  emit(s, 'hold', {
    gate: g.gate,
    outcome: g.outcome,
    value: g.value,
    threshold: g.threshold,
    ...(g.windows ? { windows: g.windows } : {}),
  });
}

const GATES: GateName[] = [
  'target-health',
  'probe-main',
  'probe-test-route',
  'metrics',
  'split',
  'canary',
  'capacity',
];

/** The report of the shift in the session: its whole age and every controller's gate checks. */
export function buildReport(s: Session): ShiftReport {
  const r = s.rec.value;
  const gates = Object.fromEntries(
    GATES.map((g) => [g, { pass: 0, fail: 0, noData: 0, ...s.tally[g] }]),
  ) as ShiftReport['gates'];
  const last = r.plan.steps.length;
  return {
    shiftId: r.id,
    from: r.from,
    to: r.to,
    status: r.status,
    stepsCompleted: r.status === 'promoted' ? last : Math.max(0, r.currentStep - 1),
    stepsPlanned: last,
    finalWeights: r.weights,
    durationSeconds: Math.max(0, Math.round((s.deps.clock.now() - Date.parse(r.startedAt)) / 1000)),
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
  return {
    deps: resolved,
    rec,
    events: [],
    startedMs: resolved.clock.now(),
    driving: false,
    tally: structuredClone(rec.value.gateCounts ?? {}),
  };
}
