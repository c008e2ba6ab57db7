// The release page the router's admin port serves live: the local shift's timeline and record from the
// data folder, drawn on each request and refreshing itself every 2 s while the shift runs.
import { localStateDir } from '../contract/localSystem.ts';
import { FINAL_STATUSES } from '../release/state/shiftRecord.ts';
import { readVersioned, recordFile, storePaths, timelineFile } from '../shift/drivers/localStore.ts';
import { renderReleasePage } from '../shift/page/render.ts';

export const LIVE_REFRESH_SECONDS = 2;

export async function liveReleasePage(dataDir: string): Promise<string | null> {
  const paths = storePaths(localStateDir(dataDir));
  const read = await readVersioned(paths.timeline, timelineFile);
  if (read === undefined) return null;
  const timeline = read.value;
  const rec = (await readVersioned(paths.record, recordFile()))?.value;
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
