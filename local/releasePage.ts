// The release page the router's admin port serves live: the local shift's timeline and record from the
// data folder, drawn on each request and refreshing itself every 2 s while the shift runs.
import { localStateDir } from '../contract/localSystem.ts';
import { FINAL_STATUSES, type ShiftRecord } from '../release/state/shiftRecord.ts';
import { readVersioned, storePaths } from '../shift/drivers/localStore.ts';
import { renderReleasePage } from '../shift/page/render.ts';
import { parseTimeline } from '../shift/timeline.ts';

export const LIVE_REFRESH_SECONDS = 2;

export async function liveReleasePage(dataDir: string): Promise<string | null> {
  const paths = storePaths(localStateDir(dataDir));
  const raw = await readVersioned<unknown>(paths.timeline);
  if (raw === undefined) return null;
  const timeline = parseTimeline(raw.value);
  const rec = (await readVersioned<ShiftRecord>(paths.record))?.value;
  const same = rec?.id === timeline.shiftId ? rec : undefined;
  const running = same !== undefined && !FINAL_STATUSES.includes(same.status);
  return renderReleasePage({
    timeline,
    summary: same
      ? `${same.status}, step ${same.currentStep}/${same.plan.steps.length}${same.lastDecision ? ` — ${same.lastDecision.reason}` : ''}`
      : '',
    ...(running ? { refreshSeconds: LIVE_REFRESH_SECONDS } : {}),
  });
}
