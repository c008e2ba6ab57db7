// Preflight: the reasons to refuse a shift before anything changes, each with its fix.
import { COLORS, ENV, READINESS_PATH, type Color } from '../contract/index.ts';
import { PreflightRefusal } from './errors.ts';
import { parseHealthBody, targetHealthGate } from './gates.ts';
import type { ShiftDriver, Versioned } from './port.ts';
import type { ShiftRecord } from '../release/state/shiftRecord.ts';
import { formatWeights, sameWeights, type Weights } from '../contract/weights.ts';
import { isFinal } from './session.ts';
import { exchangeCommand, restoreListenerHint, shiftCommand, unhealthyHint } from './hints.ts';

export interface PreflightResult {
  from: Color;
  /** The listener's weights at preflight: the record starts from them. */
  live: Weights;
  fromVersion: string;
  toVersion: string;
  prior: Versioned<ShiftRecord> | undefined;
}

export async function preflight(driver: ShiftDriver, to: Color, force: boolean): Promise<PreflightResult> {
  const prior = await driver.readRecord();
  if (prior !== undefined && !isFinal(prior.value)) throw inProgress(driver, prior.value, 'is');
  const live = await driver.readLiveWeights();
  const recorded = driver.readRecordedWeights ? await driver.readRecordedWeights() : undefined;
  if (recorded !== undefined && !sameWeights(recorded, live)) {
    await refuseIfStartedMeanwhile(driver);
    throw new PreflightRefusal(
      `live weights (${formatWeights(live)}) differ from the recorded ones (${formatWeights(recorded)})`,
      { hint: `the listener was changed outside a shift: ${restoreListenerHint(driver)}` },
    );
  }
  const from = COLORS.find((c) => c !== to) as Color;
  if (live[to] !== 0 || live[from] === 0) await refuseIfStartedMeanwhile(driver);
  if (live[from] === 0)
    throw new PreflightRefusal(`${to} already carries all traffic (${formatWeights(live)})`, {
      hint: `nothing to shift; to move traffic to ${from}: ${shiftCommand(driver, `start --to ${from}`)}`,
    });
  if (live[to] !== 0)
    throw new PreflightRefusal(`traffic is split (${formatWeights(live)}) and no shift is in progress`, {
      hint: `a shift starts from 100% on one colour: put it there first with ${shiftCommand(driver, `reset --to ${from}`)} (or --to ${to})`,
    });
  const th = await driver.targetHealth(to);
  const health = targetHealthGate(th);
  if (health.outcome !== 'pass')
    throw new PreflightRefusal(`${to} target health ${health.value} (needs ${health.threshold})`, {
      hint:
        th.desired === 0
          ? `"${to}" runs no tasks (scaled down to standby): ${exchangeCommand(driver, `capacity prepare --to ${to}`)} first`
          : unhealthyHint(driver, to),
    });
  const toVersion = await probeVersion(driver, to, { via: 'test-route', color: to });
  const fromVersion = await probeVersion(driver, from, { via: 'main' });
  if (toVersion === fromVersion && !force)
    throw new PreflightRefusal(`${to} runs version ${toVersion}, the same as live ${from}`, {
      hint: 'deploy the new version to it first, or pass --force to shift anyway',
    });
  return { from, live, fromVersion, toVersion, prior };
}

function inProgress(driver: ShiftDriver, r: ShiftRecord, when: 'is' | 'started meanwhile'): PreflightRefusal {
  const what = when === 'is' ? `is ${r.status}` : `started meanwhile (${r.status})`;
  return new PreflightRefusal(`shift ${r.id} (${r.from} → ${r.to}) ${what}`, {
    hint: `one shift at a time: follow it with ${shiftCommand(driver, 'status')}, then "resume" or "abort" it`,
  });
}

/**
 * Weights that moved since the record was read are most often another start that won the race
 * (it records and writes its first step): say so, rather than blame a hand edit.
 */
async function refuseIfStartedMeanwhile(driver: ShiftDriver): Promise<void> {
  const now = await driver.readRecord();
  if (now !== undefined && !isFinal(now.value)) throw inProgress(driver, now.value, 'started meanwhile');
}

function refusalHint(color: Color, route: ProbeRoute, answeredBy: string | null | undefined): string {
  // A request the test-route rule did not match (no or a wrong secret, an IP outside its CIDRs) falls
  // through to the weighted default action and is answered by the live colour.
  if (route.via === 'test-route' && typeof answeredBy === 'string' && answeredBy !== color)
    return `the test route did not match: export ${ENV.testKey} (the colour stack's testRouteSecret) or call from an address in its CIDRs`;
  return `check that "${color}" has fresh data ("exchange ingest-now --color ${color}") and its test route exists`;
}

type ProbeRoute = { via: 'main' } | { via: 'test-route'; color: Color };

async function probeVersion(driver: ShiftDriver, color: Color, route: ProbeRoute): Promise<string> {
  const where = route.via === 'main' ? 'the main URL' : `${color}'s test route`;
  // The driver's own timeout, not a round's: a colour slow to answer its first request is no hazard yet.
  const r = await driver.probe({ route, path: READINESS_PATH });
  const body = parseHealthBody(r.body);
  if (r.status !== 200 || body?.color !== color || body.version === null)
    throw new PreflightRefusal(
      `${READINESS_PATH} through ${where} answered ${r.status === 0 ? `nothing (${r.error ?? ''})` : r.status} from ${body?.color ?? 'unknown colour'}, expected 200 from ${color} with a version`,
      { hint: refusalHint(color, route, r.status === 200 ? body?.color : undefined) },
    );
  return body.version;
}
