// The shift's timeline: decisions are written at once, gate rounds at most every `everyMs`. The decisions
// are the record's own list (release/state/shiftRecord.ts), so a new action cannot be missed here.
import assert from 'node:assert/strict';
import { ACTIONS, DECISION_ACTIONS, type Action } from '../../release/state/shiftRecord.ts';
import type { ShiftDriver, ShiftEvent } from '../../shift/port.ts';
import { timelineRecorder, type Timeline } from '../../shift/timeline.ts';

function recorder(now: () => number) {
  const writes: Timeline[] = [];
  const driver = {
    readRecord: async () => undefined,
    readTimeline: async () => undefined,
    writeTimeline: async (t: Timeline) => void writes.push(structuredClone(t)),
  } as unknown as ShiftDriver;
  return { writes, rec: timelineRecorder(driver, { now, everyMs: 2000 }) };
}

const event = (action: Action, time = '2026-12-07T00:00:00.000Z'): ShiftEvent => ({
  time,
  shiftId: 's1',
  step: 1,
  action,
});

describe('the shift timeline recorder', () => {
  it('decisions are every action but planning and gate rounds', () => {
    assert.deepEqual(
      ACTIONS.filter((a) => !DECISION_ACTIONS.has(a)),
      ['plan', 'hold'],
    );
  });

  /** Lets queued writes finish without calling flush (which writes by itself). */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };

  for (const action of DECISION_ACTIONS)
    it(`a "${action}" is written at once, even right after another write`, async () => {
      const { writes, rec } = recorder(() => 1_000);
      rec.add(event('write'));
      await settle();
      rec.add(event(action));
      await settle();
      assert.equal(
        writes.at(-1)?.events.at(-1)?.action,
        action,
        `"${action}" must reach the timeline without waiting 2 s`,
      );
    });

  it('gate rounds are written at most every everyMs, then at once once it has passed', async () => {
    let now = 10_000;
    const { writes, rec } = recorder(() => now);
    rec.add(event('write'));
    await settle();
    now += 1_999;
    rec.add(event('hold'));
    await settle();
    assert.equal(writes.at(-1)?.events.length, 1, 'a round 1999 ms after the last write waits');
    now += 1;
    rec.add(event('hold'));
    await settle();
    assert.equal(writes.at(-1)?.events.length, 3, 'a round exactly 2000 ms after the last write is written');
  });
});
