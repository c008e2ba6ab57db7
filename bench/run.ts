// `npm run bench [-- --json] [-- --only parse,serve]`: runs each benchmark module and prints the
// figures with their goals. Speed and memory goals live here, never in timed tests.
import { parseArgs } from 'node:util';

interface Goal {
  op: '<=' | '>=';
  value: number;
}

/** Goals from the issues; a figure without a goal is reported as-is. */
const GOALS: Record<string, Goal> = {
  parseRatioDse: { op: '<=', value: 2.0 },
  parseRatioGpw: { op: '<=', value: 2.0 },
  rowsPerSecond: { op: '>=', value: 50_000 },
  peakRssMiB: { op: '<=', value: 200 },
  // ingestRatio (against the embedded S3) lost its goal in issue 18 §2 and is only printed; the floor keeps one.
  ingestFloorRatio: { op: '<=', value: 2.5 },
  backfillEcbMs: { op: '<=', value: 60_000 },
  backfillPeakRssMiB: { op: '<=', value: 300 },
  serveVsNginxRps: { op: '>=', value: 0.5 },
  serveVsNginxP99: { op: '<=', value: 2 },
  serveStartMs: { op: '<=', value: 1000 },
  localRollbackMs: { op: '<=', value: 3000 },
  partial5xxRollbackMs: { op: '<=', value: 10_000 },
  slowRelativeRolledBack: { op: '>=', value: 1 },
  shared5xxRolledBack: { op: '<=', value: 0 },
  falseRollbacks: { op: '<=', value: 0 },
  failedRequestsDuringShift: { op: '<=', value: 0 },
  siteBytesGzip: { op: '<=', value: 300_000 },
};

const SUITES: Record<string, () => Promise<{ run: () => Promise<Record<string, number>> }>> = {
  parse: () => import('./parse.ts'),
  ingest: () => import('./ingest.ts'),
  serve: () => import('./serve.ts'),
  capacity: () => import('./capacity.ts'),
  local: () => import('./local.ts'),
  site: () => import('./site.ts'),
  backfill: () => import('./backfill.ts'),
};

function verdict(key: string, value: number): string {
  const goal = GOALS[key];
  if (!goal) return '';
  const ok = goal.op === '<=' ? value <= goal.value : value >= goal.value;
  return `${ok ? 'meets' : 'MISSES'} goal ${goal.op} ${goal.value}`;
}

const { values } = parseArgs({ options: { json: { type: 'boolean' }, only: { type: 'string' } } });
const wanted = values.only ? values.only.split(',') : Object.keys(SUITES);
const figures: Record<string, number> = {};
for (const name of wanted) {
  const load = SUITES[name];
  if (!load) {
    process.stderr.write(`bench: unknown suite "${name}" — use one of ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench: running ${name}…\n`);
  Object.assign(figures, await (await load()).run());
}
if (values.json) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  for (const [key, value] of Object.entries(figures)) {
    process.stdout.write(
      `${key.padEnd(18)} ${String(Number(value.toFixed(3))).padStart(10)}  ${verdict(key, value)}\n`,
    );
  }
}
