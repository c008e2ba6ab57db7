// One round of gate measurements for the current step: the controller calls the driver, the pure gates
// in gates.ts judge, and every result becomes an event.
import { COLORS, READINESS_PATH, type Color } from '../contract/index.ts';
import {
  healthProbeGate,
  metricsGate,
  pageProbeGate,
  splitGate,
  targetHealthGate,
  type GateResult,
} from './gates.ts';
import { canaryGate, trickleDue, trickleRound } from './canary.ts';
import type { ProbeRequest, ProbeResult } from './port.ts';
import type { ShiftRecord } from '../release/state/shiftRecord.ts';
import { emitGate, type Session } from './session.ts';
import { DEFAULT_PROBE_TIMEOUT_SECONDS } from './plan.ts';

/** A probe failure from the driver is a failed gate, not a crash of the controller. */
async function safeProbe(s: Session, req: ProbeRequest): Promise<ProbeResult> {
  try {
    return await s.deps.driver.probe(req);
  } catch (err) {
    return { status: 0, body: '', error: err instanceof Error ? err.message : String(err) };
  }
}

function versions(r: ShiftRecord): Partial<Record<Color, string>> {
  return { [r.to]: r.toVersion, [r.from]: r.fromVersion };
}

/** A round's deadline, ms: a target that has not answered by then fails the round (hung, not slow). */
export function roundTimeoutMs(s: Session): number {
  return (s.deps.driver.timing.probeTimeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS) * 1000;
}

/**
 * Target health, readiness through both routes, the page through the main URL and the trickle of pages
 * through both test routes: what is checked every round, also while paused. All at once, each bounded by
 * the round's deadline, so a hung colour fails one round on time. A 5xx page is judged by the canary gate
 * (a shared fault answers 5xx on both colours); only a run of failures fails here.
 */
export async function healthGates(s: Session): Promise<GateResult[]> {
  const r = s.rec.value;
  const { driver } = s.deps;
  const live = COLORS.filter((c) => r.weights[c] > 0);
  const timeoutMs = roundTimeoutMs(s);
  const testRoute = { via: 'test-route', color: r.to } as const;
  const main = { via: 'main' } as const;
  const [health, trHealth, trickle, mainHealth, mainPage] = await Promise.all([
    driver.targetHealth(r.to),
    safeProbe(s, { route: testRoute, path: READINESS_PATH, timeoutMs }),
    trickleRound(s, trickleDue(s, s.deps.checkIntervalSeconds), timeoutMs),
    safeProbe(s, { route: main, path: READINESS_PATH, timeoutMs }),
    safeProbe(s, { route: main, path: '/', timeoutMs }),
  ]);
  const results = [
    targetHealthGate(health),
    healthProbeGate('probe-test-route', trHealth, { colors: [r.to], versionOf: versions(r) }),
    trickle,
    healthProbeGate('probe-main', mainHealth, { colors: live, versionOf: versions(r) }),
    mainPageGate(s, mainPage),
  ];
  for (const g of results) emitGate(s, g);
  return results;
}

const mainPageRuns = new WeakMap<Session, number>();
/** Main-URL page answers failing this many rounds in a row fail at once; fewer are no-data. */
export const MAIN_PAGE_FAIL_RUN = 3;

function mainPageGate(s: Session, res: ProbeResult): GateResult {
  const g = pageProbeGate('probe-main', res);
  const run = g.outcome === 'fail' ? (mainPageRuns.get(s) ?? 0) + 1 : 0;
  mainPageRuns.set(s, run);
  if (g.outcome !== 'fail' || run >= MAIN_PAGE_FAIL_RUN) return g;
  return { ...g, outcome: 'no-data', value: `${g.value} (${run} in a row, fails at ${MAIN_PAGE_FAIL_RUN})` };
}

/** Health gates, the fixed limits on the new colour since the bake started, and the canary judge. */
export async function bakeGates(s: Session): Promise<GateResult[]> {
  const results = await healthGates(s);
  const r = s.rec.value;
  const fromMs = r.bakeStartedMs ?? s.deps.clock.now();
  const m = metricsGate(
    await s.deps.driver.metrics(r.to, { fromMs, toMs: s.deps.clock.now() }),
    s.deps.thresholds,
  );
  emitGate(s, m);
  const c = await canaryGate(s);
  emitGate(s, c);
  return [...results, m, c];
}

/**
 * A round before the bake: health gates and the split sample at once. The health gates decide at
 * their deadline: a failure returns without waiting for the sample (whose requests to a hung colour
 * would each wait out the driver's timeout); the abandoned sample's result is never reported.
 */
export async function splitRound(s: Session): Promise<GateResult[]> {
  const r = s.rec.value;
  const sample = s.deps.driver.sampleSplit(s.deps.splitSampleSize);
  sample.catch(() => undefined);
  const health = await healthGates(s);
  if (failureReason(health) !== undefined) return health;
  const g = splitGate(await sample, r.weights, r.to, r.from);
  emitGate(s, g);
  return [...health, g];
}

/** The first failing gate, in a form a person reads: "metrics 40 req, 5xx 12% (threshold …)". */
export function failureReason(results: GateResult[]): string | undefined {
  const f = results.find((g) => g.outcome === 'fail');
  return f === undefined ? undefined : `${f.gate} ${f.value} (needs ${f.threshold})`;
}
