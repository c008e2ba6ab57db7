// backfillEcbMs and backfillPeakRssMiB (issue 18 §2): 25 years of ECB days — a generated
// eurofxref-hist.xml (bench/ecbHistory.ts: ~6,500 days × 32 currencies, 7.7 MB) — backfilled by the
// real CLI (`exchange backfill --source ecb-hist --file …`) into the embedded S3, each in its own
// process as they would run: the S3 server (`exchange s3`) is not the backfill's memory or CPU. The
// backfill runs the compiled build, as the image does (tsc into .local/bench-dist; tsx would add its
// loader to both figures). The wall time is the backfill process's, its peak RSS what the process
// reports (getrusage maxrss).
// BENCH_PROFILE=1 also records a CPU profile of the backfill and prints where its time went.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeOptions } from '../contract/index.ts';
import { DEFAULTS } from '../components/exchangeEnvironment/args.ts';
import { generateEcbHistory } from './ecbHistory.ts';
import { profileParts } from './profile.ts';

const BIN = fileURLToPath(new URL('../bin/exchange.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The compiled CLI, built here (not dist/, which bin/exchange.js would then prefer to the sources). */
const BUILT = join(ROOT, '.local', 'bench-dist');

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const tsc = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILT],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    tsc.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`bench backfill: tsc exit ${code}`)),
    );
  });
}
const BUCKET = 'bench-backfill';

interface Child {
  stdout: string;
  stderr: string;
  code: number | null;
}

function run(args: string[], env: NodeJS.ProcessEnv, node: string[] = []): Promise<Child> {
  return new Promise((resolve) => {
    const main = join(BUILT, 'cli', 'main.js');
    const child = spawn(process.execPath, [...node, main, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

/** `exchange s3` in its own process; resolves with its endpoint and a stop function. */
function startS3(dir: string): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 's3', '--dir', dir, '--bucket', BUCKET], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', (b: Buffer) => {
      const { endpoint } = JSON.parse(b.toString().split('\n')[0] ?? '{}') as { endpoint: string };
      resolve({
        endpoint,
        stop: () =>
          new Promise((done) => {
            child.once('close', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('error', reject);
  });
}

export async function run_(): Promise<Record<string, number>> {
  await build();
  const dir = await mkdtemp(join(tmpdir(), 'exchange-bench-backfill-'));
  const s3 = await startS3(join(dir, 's3'));
  try {
    const history = generateEcbHistory(25);
    const file = join(dir, 'eurofxref-hist.xml');
    await writeFile(file, history.xml);
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'warn',
      // As the ECS task runs it (components/…/container.ts): a heap sized to the default 512 MiB task.
      NODE_OPTIONS: nodeOptions(DEFAULTS.memory),
    };
    const profile =
      process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'prof')}`] : [];
    const t0 = performance.now();
    const out = await run(
      ['backfill', '--source', 'ecb-hist', '--bucket', BUCKET, '--file', file],
      env,
      profile,
    );
    const wallMs = performance.now() - t0;
    if (out.code !== 0) throw new Error(`bench backfill: exit ${out.code}: ${out.stderr.slice(-2000)}`);
    const summary = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as {
      dates: { written: string[] };
      chunks: number;
      resources: { peakRssMiB: number; cpuSeconds: number };
    };
    if (summary.dates.written.length !== history.days) {
      throw new Error(`bench backfill: ${summary.dates.written.length} of ${history.days} days written`);
    }
    if (profile.length > 0) {
      const [prof] = await readdir(join(dir, 'prof'));
      process.stderr.write('bench backfill: where the time went (CPU profile of the backfill process)\n');
      for (const { part, ms } of profileParts(join(dir, 'prof', prof ?? ''))) {
        process.stderr.write(`  ${String(ms).padStart(7)} ms  ${part}\n`);
      }
    }
    return {
      backfillEcbMs: Math.round(wallMs),
      backfillPeakRssMiB: summary.resources.peakRssMiB,
      backfillCpuS: summary.resources.cpuSeconds,
      backfillDates: history.days,
      backfillChunks: summary.chunks,
    };
  } finally {
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export { run_ as run };
