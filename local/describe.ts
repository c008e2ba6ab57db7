// What `npm start` tells a person once the system is up: where each part is and what to try — commands
// that work as printed, for the weights and the shift this start found (a restart keeps both).
import { COLOR_HEADER, COLORS, READINESS_PATH, type Color } from '../contract/index.ts';
import { formatWeights, type Weights } from '../contract/weights.ts';
import type { ShiftRecord } from '../release/state/shiftRecord.ts';
import { localTiming } from '../shift/drivers/local.ts';
import { DEFAULT_THRESHOLDS } from '../shift/gates.ts';
import { DEFAULT_CANARY_PERCENT, minimumBakeSeconds } from '../shift/plan.ts';
import { FINAL_STATUSES } from '../release/state/shiftRecord.ts';
import type { LocalSystem } from './system.ts';

/** Load a shift needs when none runs: 10% of it gives the canary ≥ 50 requests in an 8 s bake. */
export const SUGGESTED_LOAD_RPS = 100;

export interface DescribeOptions {
  /** The --load the system runs with, requests/s, if any. */
  loadRps?: number;
  /** The shift record found in the data folder, if any. */
  shift?: ShiftRecord;
  /** Flags that reach this system after `exchange shift <verb>`. @default " --local" */
  shiftFlags?: string;
  /** Why not both colours passed the router's health checks, if they did not. @default - both did */
  unhealthy?: string;
}

/**
 * Shortest bake in which the canary's first step sees the metrics gate's minimum request count with
 * half as much again to spare, at `rps` through the router; never below the driver's minimum.
 */
export function suggestedBakeSeconds(rps: number): number {
  const perSecond = (rps * DEFAULT_CANARY_PERCENT) / 100;
  const bake = Math.ceil((1.5 * DEFAULT_THRESHOLDS.minRequests) / perSecond);
  return Math.max(bake, minimumBakeSeconds(localTiming()));
}

/** The "Try:" lines about shifting, for where the traffic is now. */
export function shiftHints(w: Weights, o: DescribeOptions): string[] {
  const flags = o.shiftFlags ?? ' --local';
  const cmd = (verb: string): string => `npx exchange shift ${verb}${flags}`;
  const inProgress = o.shift !== undefined && !FINAL_STATUSES.includes(o.shift.status);
  const live = COLORS.find((c) => w[c] > 0 && COLORS.every((d) => d === c || w[d] === 0));
  if (inProgress || live === undefined) {
    const from = o.shift?.from ?? 'blue';
    return [
      `  ${cmd('status')}   # traffic is split (${formatWeights(w)})${inProgress ? `: shift ${o.shift?.id} is ${o.shift?.status}` : ''}`,
      `  ${cmd('resume')} ; ${cmd('abort')}   # continue it, or roll back to ${from}`,
      `  ${cmd(`reset --to ${from}`)}   # or put all traffic on one colour, from any state`,
    ];
  }
  const to = COLORS.find((c) => c !== live) as Color;
  const rps = o.loadRps ?? SUGGESTED_LOAD_RPS;
  const start = `${cmd(`start --to ${to}`)} --bake ${suggestedBakeSeconds(rps)}s`;
  return [
    `  ${cmd(`plan --to ${to}`)}`,
    o.loadRps === undefined
      ? `  # a shift's metrics gate needs requests: restart with "npm start -- --load ${SUGGESTED_LOAD_RPS}", then`
      : `  # ${o.loadRps} req/s of load: ≥ ${DEFAULT_THRESHOLDS.minRequests} requests reach ${to} in each bake`,
    `  ${start}`,
  ];
}

export function describeLocalSystem(system: LocalSystem, o: DescribeOptions = {}): string {
  const { s3, routerUrl, adminUrl } = system;
  const w = system.router.weights();
  const main = COLORS.reduce((a, b) => (w[b] > w[a] ? b : a));
  const other = COLORS.find((c) => c !== main) as Color;
  const env = `AWS_ENDPOINT_URL_S3=${s3.endpoint} AWS_ACCESS_KEY_ID=${s3.accessKeyId} AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey} AWS_REGION=${s3.region}`;
  const colourLines = COLORS.map((c) => {
    const col = system.colours[c];
    const first = col.tasks[0]!.serve;
    const tasks =
      col.tasks.length === 1
        ? `pid ${first.pid}`
        : `${col.tasks.length} tasks (pids ${col.tasks.map((t) => t.serve.pid).join(', ')})`;
    return `  ${c.padEnd(13)} ${first.origin}/   version ${col.version}, ${tasks}, bucket ${col.bucket}, ${col.ingest.counts.quotes} quotes ${col.ingest.date}`;
  });
  return [
    o.unhealthy === undefined
      ? `Local exchange system is running, both colours healthy (Ctrl-C to stop).`
      : `Local exchange system is running, but ${o.unhealthy} (Ctrl-C to stop).`,
    ``,
    `  router        ${routerUrl}/   weights ${formatWeights(w)}   (the listener; admin API ${adminUrl})`,
    ...colourLines,
    `  embedded S3   ${s3.endpoint}   buckets ${COLORS.map((c) => system.colours[c].bucket).join(', ')}`,
    `  sample page   ${system.exchangeUrl}`,
    `  data folder   ${system.dir}`,
    ``,
    `Try:`,
    `  curl -si ${routerUrl}${READINESS_PATH}                              # weighted: mostly ${main}`,
    `  curl -s -H '${COLOR_HEADER}: ${other}' ${routerUrl}${READINESS_PATH}   # the test route`,
    `  curl -s ${adminUrl}/health ; curl -s ${adminUrl}/metrics ; curl -s ${adminUrl}/capacity`,
    ...shiftHints(w, o),
    `  npx exchange rehearse --fault unhealthy@2      # a full rehearsal on its own free ports`,
    `  ${env} npx exchange ingest --bucket ${system.colours[other].bucket} --url ${system.exchangeUrl}`,
    ``,
  ].join('\n');
}
