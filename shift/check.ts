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
 * Target health and the four probes: what is checked every round, also while paused. All at once,
 * each bounded by the round's deadline, so a hung colour fails one round on time.
 */
export async function healthGates(s: Session): Promise<GateResult[]> {
  const r = s.rec.value;
  const { driver } = s.deps;
  const live = COLORS.filter((c) => r.weights[c] > 0);
  const timeoutMs = roundTimeoutMs(s);
  const testRoute = { via: 'test-route', color: r.to } as const;
  const main = { via: 'main' } as const;
  const [health, trHealth, trPage, mainHealth, mainPage] = await Promise.all([
    driver.targetHealth(r.to),
    safeProbe(s, { route: testRoute, path: READINESS_PATH, timeoutMs }),
    safeProbe(s, { route: testRoute, path: '/', timeoutMs }),
    safeProbe(s, { route: main, path: READINESS_PATH, timeoutMs }),
    safeProbe(s, { route: main, path: '/', timeoutMs }),
  ]);
  const results = [
    targetHealthGate(health),
    healthProbeGate('probe-test-route', trHealth, { colors: [r.to], versionOf: versions(r) }),
    pageProbeGate('probe-test-route', trPage),
    healthProbeGate('probe-main', mainHealth, { colors: live, versionOf: versions(r) }),
    pageProbeGate('probe-main', mainPage),
  ];
  for (const g of results) emitGate(s, g);
  return results;
}

/** Health gates plus the new colour's metrics since the bake started. */
export async function bakeGates(s: Session): Promise<GateResult[]> {
  const results = await healthGates(s);
  const r = s.rec.value;
  const fromMs = r.bakeStartedMs ?? s.deps.clock.now();
  const m = metricsGate(
    await s.deps.driver.metrics(r.to, { fromMs, toMs: s.deps.clock.now() }),
    s.deps.thresholds,
  );
  emitGate(s, m);
  return [...results, m];
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
