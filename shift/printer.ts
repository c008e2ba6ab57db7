// What a person sees while a shift runs: every decision on its own line; on a terminal one progress
// line redrawn in place (cleared before anything else is written); in a log (not a terminal) a gate
// line only when its outcome changes or fails, and a summary now and then — not six lines a second.
import { formatDuration } from './plan.ts';
import { renderEvent, renderProgress } from './format.ts';
import type { ShiftEvent } from './port.ts';
import { DECISION_ACTIONS, type ShiftRecord } from '../release/state/shiftRecord.ts';

export interface VerbIO {
  write(text: string): void;
  /** Redraw one progress line instead of printing every gate check. */
  isTTY: boolean;
  /** One JSON object per line (events, then the report or status). */
  json: boolean;
  /** Writes a whole file (the release page). */
  writeFile?: (path: string, text: string) => Promise<void>;
}

/** A log gets a summary of passing gates at most this often, seconds of the shift's clock. */
export const SUMMARY_EVERY_SECONDS = 30;

const CLEAR = '\r\x1b[2K';

export interface Printer {
  event(e: ShiftEvent, record: ShiftRecord): void;
  /** Writes text after the events (a report), clearing the progress line first. */
  text(t: string): void;
}

export function createPrinter(io: VerbIO): Printer {
  let progressShown = false;
  const line = (t: string): void => {
    io.write(`${progressShown ? CLEAR : ''}${t}`);
    progressShown = false;
  };
  const latest = new Map<string, ShiftEvent>();
  let lastLineMs = -Infinity;
  const plain = (e: ShiftEvent, r: ShiftRecord): void => {
    const now = Date.parse(e.time);
    const key = `${e.gate}|${e.threshold ?? ''}`;
    const before = latest.get(key);
    if (e.gate !== undefined) latest.set(key, e);
    const changed = before?.outcome !== e.outcome;
    if (e.gate === undefined || e.outcome === 'fail' || changed) {
      lastLineMs = now;
      return line(`${renderEvent(e)}\n`);
    }
    if (now - lastLineMs < SUMMARY_EVERY_SECONDS * 1000) return;
    lastLineMs = now;
    line(`${e.time} step ${e.step} gates ${summary([...latest.values()])}${bakeLeft(r, now)}\n`);
  };
  return {
    event(e, r) {
      if (io.json) return io.write(`${JSON.stringify(e)}\n`);
      if (DECISION_ACTIONS.has(e.action)) {
        latest.clear();
        lastLineMs = Date.parse(e.time);
        return line(`${renderEvent(e)}\n`);
      }
      if (!io.isTTY) return plain(e, r);
      if (e.outcome === 'fail') return line(`${renderEvent(e)}\n`);
      io.write(`${CLEAR}${renderProgress(r, e, Date.parse(e.time))}`);
      progressShown = true;
    },
    text: (t) => line(t),
  };
}

/** "5 pass, metrics no-data 12 req". */
function summary(events: ShiftEvent[]): string {
  const passing = events.filter((e) => e.outcome === 'pass').length;
  const others = events
    .filter((e) => e.outcome !== 'pass')
    .map((e) => `${e.gate} ${e.outcome} ${e.value ?? ''}`.trim());
  return [`${passing} pass`, ...others].join(', ');
}

function bakeLeft(r: ShiftRecord, nowMs: number): string {
  const step = r.plan.steps[r.currentStep - 1];
  if (r.status === 'paused') return ' · paused';
  if (step === undefined || r.bakeStartedMs === null) return ' · confirming split';
  const left = Math.max(0, step.bakeSeconds - (nowMs - r.bakeStartedMs) / 1000);
  return ` · bake ${formatDuration(left)} left`;
}
