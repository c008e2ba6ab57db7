// A rehearsal drawn as the release page: the controller's events as the timeline, and what the load's
// answers showed, second by second (the new colour's share of the coloured answers).
import type { Color } from '../../contract/index.ts';
import type { ShiftPlan } from '../../release/state/shiftRecord.ts';
import { renderReleasePage, type PagePoint } from '../../shift/page/render.ts';
import type { ShiftEvent } from '../../shift/port.ts';
import type { LoadRecord } from '../load.ts';
import type { RehearsalReport } from './report.ts';

export function observedPerSecond(records: readonly LoadRecord[], to: Color, from: Color): PagePoint[] {
  const bins = new Map<number, { to: number; all: number }>();
  for (const r of records) {
    if (r.color !== to && r.color !== from) continue;
    const s = Math.floor(r.sentMs / 1000) * 1000;
    const b = bins.get(s) ?? { to: 0, all: 0 };
    b.all += 1;
    if (r.color === to) b.to += 1;
    bins.set(s, b);
  }
  return [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, b]) => ({ atMs: s + 500, value: (b.to / b.all) * 100 }));
}

export function rehearsalPage(
  report: RehearsalReport,
  o: { shiftId: string; plan: ShiftPlan | null; events: ShiftEvent[]; records: readonly LoadRecord[] },
): string {
  return renderReleasePage({
    timeline: {
      schema: 1,
      shiftId: o.shiftId,
      from: report.from,
      to: report.to,
      plan: o.plan,
      events: o.events,
      updatedAt: new Date().toISOString(),
    },
    observed: observedPerSecond(o.records, report.to, report.from),
    summary: `rehearsal ${report.ok ? 'PASS' : 'FAIL'}: ${report.verdict}`,
  });
}
