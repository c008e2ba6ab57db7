// What `npm start` tells a person once the system is up: where each part is and what to try.
import { COLOR_HEADER, COLORS, READINESS_PATH } from '../contract/index.ts';
import type { LocalSystem } from './system.ts';

export function describeLocalSystem(system: LocalSystem): string {
  const { s3, routerUrl, adminUrl } = system;
  const w = system.router.weights();
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
    `Local exchange system is running, both colours (Ctrl-C to stop).`,
    ``,
    `  router        ${routerUrl}/   weights blue ${w.blue} / green ${w.green}   (the listener; admin API ${adminUrl})`,
    ...colourLines,
    `  embedded S3   ${s3.endpoint}   buckets ${COLORS.map((c) => system.colours[c].bucket).join(', ')}`,
    `  sample page   ${system.exchangeUrl}`,
    `  data folder   ${system.dir}`,
    ``,
    `Try:`,
    `  curl -si ${routerUrl}${READINESS_PATH}                              # weighted: mostly blue`,
    `  curl -s -H '${COLOR_HEADER}: green' ${routerUrl}${READINESS_PATH}   # the test route`,
    `  curl -s ${adminUrl}/health ; curl -s ${adminUrl}/metrics ; curl -s ${adminUrl}/capacity`,
    `  npx exchange shift plan --to green --local ; npx exchange shift start --to green --local`,
    `  npx exchange rehearse --fault unhealthy@2      # a full rehearsal on its own free ports`,
    `  ${env} npx exchange ingest --bucket ${system.colours.green.bucket} --url ${system.exchangeUrl}`,
    ``,
  ].join('\n');
}
