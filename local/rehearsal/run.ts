// A rehearsal: the real controller shifts the local system to its idle colour under steady load,
// optionally with a fault injected into the new colour at a given step, and the report says what the
// users would have seen. `rehearse` brings a system up on free ports and stops it afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { COLORS, type Color } from '../../contract/index.ts';
import { ExchangeError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { startShift } from '../../shift/api.ts';
import { createLocalDriver } from '../../shift/drivers/local.ts';
import { localStateDir } from '../../contract/localSystem.ts';
import { DEFAULT_THRESHOLDS, type MetricThresholds } from '../../shift/gates.ts';
import { DEFAULT_STRATEGY, strategyPercents } from '../../shift/plan.ts';
import { DEFAULT_HEADROOM, requiredTasks } from '../../shift/capacity.ts';
import { prepareCapacity } from '../../shift/capacityOps.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Clock, ShiftEvent } from '../../shift/port.ts';
import { startLoad } from '../load.ts';
import { startLocalSystem, waitHealthy, type LocalSystem } from '../system.ts';
import { faultBudget } from './budget.ts';
import { rehearsalPage } from './page.ts';
import { clearFault, injectFault, type FaultSpec } from './fault.ts';
import { buildRehearsalReport, type RehearsalReport } from './report.ts';

export interface RehearsalOptions {
  /** @default the controller's default (canary) */
  strategy?: string;
  /** Bake per step, whole seconds. @default 1 */
  bakeSeconds?: number;
  fault?: FaultSpec | null;
  /** Load on the router, requests per second. @default 200 */
  rps?: number;
  /** The load stops after this long at the latest, seconds. @default 60 */
  maxSeconds?: number;
  /** The system's time scale (health checks, drain, driver timing). @default 0.1 */
  timeScale?: number;
  /** Seconds between gate rounds. @default 0.1 */
  checkIntervalSeconds?: number;
  /** Requests per split check. @default 200 */
  splitSampleSize?: number;
  thresholds?: MetricThresholds;
  /** Clear the fault (and restart a killed colour) afterwards, for another rehearsal on the same system. @default false */
  restore?: boolean;
  onEvent?: (e: ShiftEvent) => void;
  /** Stops the controller's waits when it aborts (the CLI's Ctrl-C). */
  signal?: AbortSignal;
  /** Where the rehearsal's temporary folder is made (and removed). @default os.tmpdir() */
  tmpRoot?: string;
  /** Also draw the release page (report.page). @default false */
  html?: boolean;
  /** Serve processes (tasks) per colour. @default 1 */
  tasks?: number;
  log: Logger;
}

export const REHEARSAL_DEFAULTS = {
  // The canary judge pools ≥ 50 requests a colour: at 100 % the old colour has only the trickle (10/s).
  bakeSeconds: 10,
  rps: 200,
  maxSeconds: 60,
  timeScale: 0.1,
  checkIntervalSeconds: 0.1,
  // 100 answers: 3σ tolerance ±9 points at 10%, and a sample that fits the step deadline on a busy laptop.
  splitSampleSize: 100,
  // 20 requests: the new colour's share of one short bake at 200 rps; the p99 and 5xx limits are the production ones.
  thresholds: { ...DEFAULT_THRESHOLDS, minRequests: 20 } satisfies MetricThresholds,
  tailMs: 200,
  /** Every page's simulated S3 and network time behind the fault switches, ms. */
  serviceMs: { min: 10, max: 30 },
  slowMs: 1500,
} as const;

/** Real time; with a signal, a sleep ends (rejects) when it aborts, so a stopped controller stops. */
function realClock(signal?: AbortSignal): Clock {
  return { now: () => Date.now(), sleep: (ms) => delay(ms, undefined, signal ? { signal } : {}) };
}

function liveColour(system: LocalSystem): { from: Color; to: Color } {
  const w = system.router.weights();
  const from = COLORS.find((c) => w[c] > 0 && COLORS.every((o) => o === c || w[o] === 0));
  if (!from)
    throw new ExchangeError(`router weights ${JSON.stringify(w)} are split`, {
      hint: 'a rehearsal starts from 100% on one colour',
    });
  return { from, to: COLORS.find((c) => c !== from)! };
}

export async function runRehearsal(system: LocalSystem, o: RehearsalOptions): Promise<RehearsalReport> {
  const d = REHEARSAL_DEFAULTS;
  const rps = o.rps ?? d.rps;
  const timeScale = o.timeScale ?? d.timeScale;
  const fault = o.fault ?? null;
  const { from, to } = liveColour(system);
  await waitHealthy(system, COLORS, 10_000);
  const driver = createLocalDriver({
    routerUrl: system.routerUrl,
    adminUrl: system.adminUrl,
    stateDir: localStateDir(system.dir),
    timeScale,
  });
  const clock = realClock(o.signal);
  // As the pipeline's deploy job does before the shift: the idle colour at the live one's size × headroom
  // (not with capacity:K, whose point is the shift's own gate holding).
  if (fault?.kind !== 'capacity')
    await prepareCapacity(driver, clock, {
      to,
      headroom: DEFAULT_HEADROOM,
      sharePercent: 100,
      waitSeconds: 30,
      checkIntervalSeconds: o.checkIntervalSeconds ?? d.checkIntervalSeconds,
    }).catch((err: unknown) => {
      driver.close();
      throw err;
    });
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const load = startLoad({
    url: system.routerUrl,
    rps,
    maxRequests: rps * (o.maxSeconds ?? d.maxSeconds),
    maxMs: (o.maxSeconds ?? d.maxSeconds) * 1000,
  });
  const events: ShiftEvent[] = [];
  let faultAtMs: number | null = null;
  let injected: Promise<void> = Promise.resolve();
  const emit = (e: ShiftEvent): void => {
    events.push(e);
    o.onEvent?.(e);
    if (fault && faultAtMs === null && e.action === 'split-confirmed' && e.step === fault.step) {
      faultAtMs = Date.now();
      injected = injectFault(system.colours, to, fault);
    }
  };
  try {
    if (fault?.kind === 'capacity') faultAtMs = Date.now();
    const deps = {
      driver,
      clock,
      emit,
      thresholds: o.thresholds ?? d.thresholds,
      checkIntervalSeconds: o.checkIntervalSeconds ?? d.checkIntervalSeconds,
      splitSampleSize: o.splitSampleSize ?? d.splitSampleSize,
    };
    const request = {
      to,
      bakeSeconds: o.bakeSeconds ?? d.bakeSeconds,
      ...(o.strategy ? { strategy: o.strategy } : {}),
    };
    const shift = await startShift(deps, request);
    await realClock(o.signal).sleep(d.tailMs);
    const records = await load.stop();
    await injected;
    const plan = (await driver.readRecord())!.value.plan;
    const step = plan.steps[(fault?.step ?? 1) - 1];
    const budget =
      fault === null
        ? null
        : faultBudget(fault, {
            checkIntervalSeconds: deps.checkIntervalSeconds,
            timing: driver.timing,
            rps,
            canaryShare: (step?.percent ?? 100) / 100,
            slowMs: d.slowMs,
          });
    const report = buildRehearsalReport({
      strategy: plan.strategy,
      rps,
      fault,
      from,
      to,
      shift,
      events,
      records,
      faultAtMs,
      budget,
      load: { before: loadBefore, after: loadavg()[0] ?? 0, cpus: availableParallelism() },
      durationMs: Date.now() - started,
    });
    if (!o.html) return report;
    return { ...report, page: rehearsalPage(report, { shiftId: shift.shiftId, plan, events, records }) };
  } finally {
    driver.close();
    await load.stop();
    await injected.catch(() => undefined);
    if (o.restore) for (const c of COLORS) await clearFault(system.colours[c]);
  }
}

/** The rehearsal was stopped (Ctrl-C / SIGTERM) before its report; everything it started is stopped. */
export class RehearsalStopped extends ExchangeError {
  override name = 'RehearsalStopped';
  override readonly exitCode: number;
  constructor(signal: string) {
    super(`stopped by ${signal} before the report; the temporary system is stopped and removed`);
    this.exitCode = signal === 'SIGTERM' ? 143 : 130;
  }
}

/** Rejects with the signal's reason once it aborts: a rehearsal raced against it stops at once. */
function whenAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * A whole rehearsal on free ports in a temporary folder: up, shift under load, report, down. When
 * `signal` aborts, the system is closed and the folder removed at once; the rejection is its reason.
 */
/**
 * `capacity:K` must be fewer tasks than the first step needs, and at least one (a colour without tasks
 * fails preflight, before any gate): UsageError naming the numbers otherwise.
 */
export function checkCapacityFault(o: Pick<RehearsalOptions, 'fault' | 'strategy' | 'tasks'>): void {
  if (o.fault?.kind !== 'capacity') return;
  const k = o.fault.tasks ?? 0;
  const tasks = o.tasks ?? 1;
  const share = strategyPercents(o.strategy ?? DEFAULT_STRATEGY)[0] as number;
  const need = requiredTasks(tasks, share, DEFAULT_HEADROOM);
  if (k < 1 || k >= need)
    throw new UsageError(
      `rehearse: capacity:${k} cannot hold the first step: it needs ${need} healthy for ${share} % of blue's ${tasks} × ${DEFAULT_HEADROOM}`,
      { hint: `pick 1 ≤ K < ${need}, or raise --tasks / a larger first step (e.g. --strategy all-at-once)` },
    );
}

export async function rehearse(o: RehearsalOptions & { version: string }): Promise<RehearsalReport> {
  checkCapacityFault(o);
  const dir = await mkdtemp(join(o.tmpRoot ?? tmpdir(), 'exchange-rehearsal-'));
  try {
    const system = await startLocalSystem({
      dir,
      versions: { blue: o.version, green: `${o.version}-candidate` },
      timeScale: o.timeScale ?? REHEARSAL_DEFAULTS.timeScale,
      faults: true,
      serviceMs: REHEARSAL_DEFAULTS.serviceMs,
      slowMs: REHEARSAL_DEFAULTS.slowMs,
      ...(o.tasks === undefined ? {} : { tasks: o.tasks }),
      // Green starts at what the pipeline's prepare step would raise it to (started with the others, not after).
      startTasks: { green: requiredTasks(o.tasks ?? 1, 100, DEFAULT_HEADROOM) },
      ...(o.fault?.kind === 'capacity' ? { taskLimits: { green: o.fault.tasks ?? 0 } } : {}),
      log: o.log,
    });
    const run = runRehearsal(system, o);
    try {
      return await Promise.race([run, whenAborted(o.signal)]);
    } finally {
      await system.close();
      // After an abort the controller's last writes (its state folder) must land before the rm below.
      await run.catch(() => undefined);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
