// serveRpsPerTask: the requests per second one `serve` process sustains with p99 under the metrics gate's
// limit, measured like the nginx comparison (bench/serve.ts: the real GPW page and its JSON published to
// the embedded S3, autocannon over keep-alive connections). Closed-loop load at a rising number of
// connections: throughput grows until serve's one thread is saturated, then only latency grows; the
// figure is the best throughput of a step whose p99 stayed within the limit, with no error. The CPU the
// serve process used in that step (from /proc) gives serveCpuCoresAtPeak, so the README can scale the
// figure to a Fargate task's share of a vCPU.
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { DEFAULT_THRESHOLDS } from '../shift/gates.ts';
import { withServeWorld } from './serve.ts';

const SECONDS = Number(process.env.BENCH_CAPACITY_SECONDS ?? 3);
const LADDER = [1, 2, 4, 8, 16, 32, 64, 128, 256];
/** The load ends once this many steps in a row add less than 3 % throughput: serve is saturated. */
const FLAT_STEPS = 3;

interface Step {
  connections: number;
  rps: number;
  p99: number;
  errors: number;
  cores: number;
}

/** utime + stime of a process, seconds (Linux /proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function step(origin: string, paths: string[], pid: number, connections: number): Promise<Step> {
  const cpu0 = await cpuSeconds(pid);
  const t0 = performance.now();
  const r = await autocannon({
    url: origin,
    connections,
    duration: SECONDS,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  const wall = (performance.now() - t0) / 1000;
  return {
    connections,
    rps: r.requests.average,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    cores: ((await cpuSeconds(pid)) - cpu0) / wall,
  };
}

/** The best throughput within the gate's p99 limit and without errors; undefined when no step qualifies. */
export function bestWithinLimit(steps: Step[], maxP99Ms: number): Step | undefined {
  return steps
    .filter((s) => s.errors === 0 && s.p99 <= maxP99Ms)
    .reduce<Step | undefined>((best, s) => (best === undefined || s.rps > best.rps ? s : best), undefined);
}

async function ladder(origin: string, paths: string[], pid: number): Promise<Step[]> {
  const steps: Step[] = [];
  let flat = 0;
  for (const connections of LADDER) {
    const s = await step(origin, paths, pid, connections);
    steps.push(s);
    process.stderr.write(
      `bench capacity: ${connections} connections: ${s.rps.toFixed(0)} req/s, p99 ${s.p99} ms, ${s.errors} errors, serve ${s.cores.toFixed(2)} cores\n`,
    );
    const best = Math.max(...steps.slice(0, -1).map((x) => x.rps), 0);
    flat = s.rps < best * 1.03 ? flat + 1 : 0;
    if (flat >= FLAT_STEPS || s.p99 > DEFAULT_THRESHOLDS.maxP99Ms || s.errors > 0) break;
  }
  return steps;
}

export function run(): Promise<Record<string, number>> {
  return withServeWorld('bench-capacity-', async ({ paths, serve, children }) => {
    // Warm the cache the way a task's first minutes do, so the ladder measures serving, not S3 reads.
    await step(serve.origin, paths, children[0]!.pid!, 4);
    const best = bestWithinLimit(
      await ladder(serve.origin, paths, children[0]!.pid!),
      DEFAULT_THRESHOLDS.maxP99Ms,
    );
    if (best === undefined)
      throw new Error('bench capacity: no load step kept p99 within the limit without errors');
    return {
      serveRpsPerTask: best.rps,
      serveP99AtPeakMs: best.p99,
      serveCpuCoresAtPeak: best.cores,
      // Requests per second per fully used core: what scales to a Fargate task's share of a vCPU.
      serveRpsPerCpuSecond: best.rps / Math.max(best.cores, 0.01),
      serveConnectionsAtPeak: best.connections,
    };
  });
}
