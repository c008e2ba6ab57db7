// `status`: the truth from the durable record plus live observation — including what a crashed
// controller left behind and when scaling the old colour down becomes safe.
import type { Color } from '../contract/index.ts';
import type { ColorCapacity, DriverTiming, ShiftDriver } from './port.ts';
import { shiftCommand } from './hints.ts';
import { statusCapacityFindings } from './capacityText.ts';
import type { ShiftRecord } from '../release/state/shiftRecord.ts';
import { formatWeights, sameWeights, type Weights } from '../contract/weights.ts';
import { drivenNow, isFinal, scaleDownSafeAt } from './session.ts';

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
  driver: Pick<ShiftDriver, 'hints'> = {},
  capacity?: Record<Color, ColorCapacity>,
): ShiftStatusView {
  const view = describeRecord(record, live, nowMs, timing, checkIntervalSeconds, driver);
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
  driver: Pick<ShiftDriver, 'hints'>,
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
  const stoppedAt = record.stoppedAt ?? null;
  const controllerAlive = drivenNow(record, nowMs, checkIntervalSeconds, timing);
  const next = `run ${shiftCommand(driver, 'resume')} or ${shiftCommand(driver, 'abort')}`;
  if (!sameWeights(record.weights, live)) {
    findings.push(
      record.writing
        ? `a write of ${formatWeights(record.weights)} was in progress: the listener still holds ${formatWeights(live)}`
        : isFinal(record)
          ? `live weights ${formatWeights(live)} differ from this shift's final ${formatWeights(record.weights)} (changed since it ended)`
          : `live weights ${formatWeights(live)} differ from the recorded ${formatWeights(record.weights)}`,
    );
  }
  if (!isFinal(record) && stoppedAt !== null)
    findings.push(`its controller stopped at ${stoppedAt}; the weights stay where they are: ${next}`);
  else if (!isFinal(record) && !controllerAlive)
    findings.push(`no controller has updated the record for ${ageSeconds}s: ${next}`);
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
