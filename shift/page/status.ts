// `shift status --html FILE`: the recorded timeline drawn as the release page, written to a file
// (the pipeline keeps it as an artifact), with the record's status as its summary line.
import { ExchangeError } from '../../lib/errors.ts';
import type { ShiftDriver } from '../port.ts';
import { renderReleasePage } from './render.ts';

export async function statusPage(driver: ShiftDriver): Promise<string> {
  const [timeline, rec] = await Promise.all([driver.readTimeline?.(), driver.readRecord()]);
  if (timeline === undefined)
    throw new ExchangeError('no timeline was recorded for the last shift', {
      hint: 'the page is drawn from the timeline a shift started by this version records; start one',
    });
  const r = rec?.value.id === timeline.shiftId ? rec.value : undefined;
  const summary = r
    ? `${r.status}, step ${r.currentStep}/${r.plan.steps.length}${r.lastDecision ? ` — ${r.lastDecision.action}: ${r.lastDecision.reason}` : ''}`
    : 'the record now belongs to another shift';
  return renderReleasePage({ timeline, summary });
}
