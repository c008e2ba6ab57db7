// `status`: the truth from the durable record plus live observation — including what a crashed
// controller left behind and when scaling the old colour down becomes safe.
import type { Color } from '../contract/index.ts';
import type { ColorCapacity, DriverTiming } from './port.ts';
import { statusCapacityFindings } from './capacityText.ts';
import type { ShiftRecord } from '../release/state/shiftRecord.ts';
import { formatWeights, sameWeights, type Weights } from '../contract/weights.ts';
import { isFinal, scaleDownSafeAt } from './session.ts';

export interface ShiftStatusView {
  record: ShiftRecord | undefined;
  live: Weights;
  /** Lines a person reads, most important first. */
  findings: string[];
  /** Whether a controller updated the record recently (within three check intervals). */
  controllerAlive: boolean;
  scaleDownSafeAt: string | null;
  /** Each colour's tasks and scaling state, when the driver reads capacity. */
  capacity?: Record<Color, ColorCapacity>;
}

export function describeStatus(
  record: ShiftRecord | undefined,
  live: Weights,
  nowMs: number,
  timing: DriverTiming,
  checkIntervalSeconds: number,
  capacity?: Record<Color, ColorCapacity>,
): ShiftStatusView {
  const view = describeRecord(record, live, nowMs, timing, checkIntervalSeconds);
  if (capacity === undefined) return view;
  const final = record === undefined || isFinal(record);
  const lines = statusCapacityFindings(record, live, capacity, timing, final);
  return { ...view, findings: [...view.findings, ...lines], capacity };
}

function describeRecord(
  record: ShiftRecord | undefined,
  live: Weights,
  nowMs: number,
  timing: DriverTiming,
  checkIntervalSeconds: number,
): ShiftStatusView {
  const findings: string[] = [];
  if (record === undefined) {
    return {
      record,
      live,
      findings: ['no shift was ever recorded'],
      controllerAlive: false,
      scaleDownSafeAt: null,
    };
  }
  const ageSeconds = Math.round((nowMs - Date.parse(record.heartbeatAt ?? record.startedAt)) / 1000);
  // The controller writes the record every check (plus a write may take `writeSeconds`).
  const controllerAlive = !isFinal(record) && ageSeconds <= 3 * checkIntervalSeconds + timing.writeSeconds;
  if (!sameWeights(record.weights, live)) {
    findings.push(
      record.writing
        ? `a write of ${formatWeights(record.weights)} was in progress: the listener still holds ${formatWeights(live)}`
        : `live weights ${formatWeights(live)} differ from the recorded ${formatWeights(record.weights)}`,
    );
  }
  if (!isFinal(record) && !controllerAlive)
    findings.push(
      `no controller has updated the record for ${ageSeconds}s: run "exchange shift resume" or "exchange shift abort"`,
    );
  if (record.lastError !== null) findings.push(`last error: ${record.lastError}`);
  const safe = scaleDownSafeAt(record, { timing });
  if (safe !== null)
    findings.push(
      Date.parse(safe) <= nowMs
        ? `${record.from} takes no traffic: scaling it down is safe since ${safe}`
        : `${record.from} may still drain connections: scale it down after ${safe}`,
    );
  else if (!isFinal(record))
    findings.push(`keep ${record.from} at full size: it is the instant rollback target`);
  return { record, live, findings, controllerAlive, scaleDownSafeAt: safe };
}
