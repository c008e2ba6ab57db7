// The shift's timeline: every event the controller emitted (decisions, gate results with values, the
// canary judge's per-window figures), kept beside the record so `status --html` can draw a release
// after the fact and the local router's admin page can draw one live. The controller's process
// writes it (one writer per shift); a reader validates it before use.
import type { Color } from '../contract/index.ts';
import { DECISION_ACTIONS, type ShiftPlan } from '../release/state/shiftRecord.ts';
import type { ShiftDriver, ShiftEvent } from './port.ts';

export interface Timeline {
  schema: 1;
  shiftId: string;
  from: Color;
  to: Color;
  plan: ShiftPlan | null;
  events: ShiftEvent[];
  updatedAt: string;
}

/** Keeps the newest events of a very long shift (at 5 s rounds, hours of them). */
export const MAX_TIMELINE_EVENTS = 20_000;

export function parseTimeline(raw: unknown): Timeline {
  const t = raw as Partial<Timeline> | null;
  if (
    typeof t !== 'object' ||
    t === null ||
    t.schema !== 1 ||
    typeof t.shiftId !== 'string' ||
    !Array.isArray(t.events)
  )
    throw new Error('expected a shift timeline (schema 1, shiftId, events[])');
  return t as Timeline;
}

export interface TimelineRecorder {
  /** Takes every event (chain it after the CLI's printer). */
  add(e: ShiftEvent): void;
  /** Writes what is pending; resolves when written (errors are reported, never thrown). */
  flush(): Promise<void>;
}

/**
 * Records events into the driver's timeline store. A failed write costs the picture, never the
 * shift: it is reported through `onError` and retried with the next write.
 */
const key = (e: ShiftEvent): string =>
  `${e.time}|${e.step}|${e.action}|${e.gate ?? ''}|${e.value ?? e.message ?? ''}`;

/** Events of both, once each, by time: another process (an `abort`) may have added its own. */
export function mergeEvents(a: readonly ShiftEvent[], b: readonly ShiftEvent[]): ShiftEvent[] {
  const seen = new Map<string, ShiftEvent>();
  for (const e of [...a, ...b]) seen.set(key(e), e);
  return [...seen.values()].sort((x, y) => Date.parse(x.time) - Date.parse(y.time));
}

export function timelineRecorder(
  driver: Pick<ShiftDriver, 'writeTimeline' | 'readTimeline' | 'readRecord'>,
  o: { now: () => number; everyMs?: number; onError?: (err: unknown) => void },
): TimelineRecorder {
  let t: Timeline | null = null;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    const snapshot = t;
    if (snapshot === null || driver.writeTimeline === undefined) return writing;
    lastWrite = o.now();
    writing = writing
      .then(async () => {
        const stored = await driver.readTimeline?.().catch(() => undefined);
        if (stored?.shiftId === snapshot.shiftId)
          snapshot.events = mergeEvents(stored.events, snapshot.events);
        await driver.writeTimeline!({ ...snapshot, updatedAt: new Date(o.now()).toISOString() });
      })
      .catch((err: unknown) => o.onError?.(err));
    return writing;
  };
  return {
    add(e) {
      if (t === null || t.shiftId !== e.shiftId) {
        t = {
          schema: 1,
          shiftId: e.shiftId,
          from: 'blue',
          to: 'green',
          plan: null,
          events: [],
          updatedAt: '',
        };
        const fresh = t;
        void driver.readRecord().then((r) => {
          if (r?.value.id !== fresh.shiftId) return;
          Object.assign(fresh, { from: r.value.from, to: r.value.to, plan: r.value.plan });
        });
      }
      t.events.push(e);
      if (t.events.length > MAX_TIMELINE_EVENTS) t.events.splice(0, t.events.length - MAX_TIMELINE_EVENTS);
      if (
        DECISION_ACTIONS.has(e.action) ||
        e.windows !== undefined ||
        o.now() - lastWrite >= (o.everyMs ?? 2000)
      )
        void write();
    },
    flush: write,
  };
}
