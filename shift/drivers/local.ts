// The local driver: the shift port over the local router's admin API (weights, target health,
// metrics), probes and split samples through the router itself, and the record in the data folder.
// The same controller and gates as on AWS drive it; only the listener and the store are local.
import { resolve } from 'node:path';
import http from 'node:http';
import { COLOR_HEADER, COLORS, TARGET_HEALTH, type Color } from '../../contract/index.ts';
import type { LatencyHistogram } from '../../lib/histogram.ts';
import type { WindowSamples } from '../judge/samples.ts';
import { LOCAL_DATA_DIR, localStateDir, readSystemFile } from '../../contract/localSystem.ts';
import { DriverError, RollbackIncompleteError } from '../errors.ts';
import { sampleSplit } from './sample.ts';
import type {
  ColorCapacity,
  ColorMetrics,
  DriverHints,
  DriverTiming,
  MetricsWindow,
  ProbeRequest,
  ProbeResult,
  ShiftDriver,
  SplitSample,
  TargetHealth,
} from '../port.ts';
import type { Weights } from '../../contract/weights.ts';
import {
  readRecordedWeights,
  readVersioned,
  recordFile,
  timelineFile,
  recordWeights,
  storePaths,
  writeDocument,
  writeVersioned,
} from './localStore.ts';
import type { Timeline } from '../timeline.ts';

export interface LocalDriverOptions {
  /** The router's main URL (the listener). */
  routerUrl: string;
  /** The router's admin API. */
  adminUrl: string;
  /** Folder of the record and the recorded weights. */
  stateDir: string;
  /** Multiplies the driver's timing (1 = a router at the target group's own health-check times). @default 1 */
  timeScale?: number;
  /** Longest wait for one probe, ms. @default 5000 */
  probeTimeoutMs?: number;
  /**
   * Concurrent requests of a split sample. @default 8 (as the AWS driver's: the sample runs beside
   * the round's probes, and a smaller burst leaves them the CPU of a busy laptop)
   */
  splitConcurrency?: number;
  /** Flags that reach this system after `exchange shift <verb>`, for hints. @default " --local" */
  cliFlags?: string;
}

/** Hints for the local system: its own flags, the router's health checks, no `pulumi up`. */
export function localHints(flags: string): DriverHints {
  const h = TARGET_HEALTH;
  return {
    verbFlags: flags,
    restoreListener: `put all traffic on one colour and record it with "exchange shift reset --to <colour>${flags}"`,
    unhealthy: (color) =>
      `the router marks ${color} healthy after ${h.healthyThreshold} health checks in a row, ${h.intervalSeconds} s apart (as the target group): right after "npm start" wait ~${h.healthyThreshold * h.intervalSeconds} s; if it stays unhealthy, read the serve lines in the "npm start" log`,
  };
}

const BODY_LIMIT = 64 * 1024;

/**
 * The router applies a weight write before the admin call returns (no propagation) and measures every
 * request (no metric period). The half-second period sets the controller's minimum bake (1 s); the
 * write's 2 s worst case (a file, one admin call, and the split sample a step waits for through a
 * router sharing a busy laptop's CPU) sets, with it, the step deadline's slack.
 */
export function localTiming(timeScale = 1): DriverTiming {
  return {
    metricsPeriodSeconds: 0.5,
    propagationSeconds: 0,
    writeSeconds: 2,
    rollbackWriteSeconds: 1,
    deregistrationDelaySeconds: 30 * timeScale,
    // Not scaled: twice the gates' p99 limit, so only a colour that is failing anyway misses it on a
    // busy laptop; a stopped serve then fails its round within the metrics detection the plan states.
    probeTimeoutSeconds: 2,
    // The router's metrics are live, so gates can be re-checked every second (scaled for rehearsals).
    checkIntervalSeconds: 1 * timeScale,
    // The canary judge pools requests, not health checks: its cadence follows the load, not the scale.
    judgeIntervalSeconds: 1,
    judgePoolSeconds: 8,
    samplesLagSeconds: 0,
    // A serve process listens within ~1 s (bench serveStartMs) on a busy laptop 2 s; then the router's checks.
    scaleUp: {
      taskStartSeconds: 2,
      healthySeconds: TARGET_HEALTH.healthyThreshold * TARGET_HEALTH.intervalSeconds * timeScale,
    },
  };
}

async function adminCall<T>(o: LocalDriverOptions, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${o.adminUrl}${path}`, {
      ...init,
      signal: AbortSignal.timeout(o.probeTimeoutMs ?? 5000),
    });
  } catch (err) {
    throw new DriverError(`router admin ${init?.method ?? 'GET'} ${path} failed: ${(err as Error).message}`, {
      hint: `is the local system running? ("npm start"; admin API ${o.adminUrl})`,
      cause: err,
    });
  }
  const text = await res.text();
  if (!res.ok)
    throw new DriverError(
      `router admin ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.trim()}`,
      { hint: 'see the router log' },
    );
  return JSON.parse(text) as T;
}

/**
 * One GET through the router; a network failure is status 0 with the error, never a throw. The
 * timeout is for the whole answer (a stopped serve accepts the connection and never answers).
 */
function probeRouter(o: LocalDriverOptions, agent: http.Agent, req: ProbeRequest): Promise<ProbeResult> {
  const headers: Record<string, string> =
    req.route.via === 'test-route' ? { [COLOR_HEADER]: req.route.color } : {};
  const timeoutMs = req.timeoutMs ?? o.probeTimeoutMs ?? 5000;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ProbeResult): void => {
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const fail = (error: string): void => done({ status: 0, body: '', error });
    const get = http.get(`${o.routerUrl}${req.path}`, { agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < BODY_LIMIT) body += chunk;
      });
      res.on('error', (err) => fail(err.message));
      res.on('end', () => {
        const color = res.headers[COLOR_HEADER.toLowerCase()];
        const base = { status: res.statusCode ?? 0, body: body.slice(0, BODY_LIMIT) };
        done(typeof color === 'string' ? { ...base, color } : base);
      });
    });
    // After a stall of this process's event loop expired timers run before the I/O that arrived
    // meanwhile: look at that I/O first (setImmediate runs after the poll phase), so an answer that
    // came in time is not called missing.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (!settled) get.destroy(new Error(`no answer within ${timeoutMs} ms`));
        }),
      timeoutMs,
    );
    get.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
  });
}

function sample(o: LocalDriverOptions, agent: http.Agent, requests: number): Promise<SplitSample> {
  return sampleSplit((req) => probeRouter(o, agent, req), requests, o.splitConcurrency ?? 8);
}

interface AdminHealth {
  state: 'initial' | 'healthy' | 'unhealthy';
  registered: number;
  healthy: number;
  initial: number;
}

/** GET /capacity (local/capacityAdmin.ts): each colour's service, in ColorCapacity's shape. */
type AdminCapacity = ColorCapacity;

interface AdminMetrics {
  window: {
    requests: number;
    errors5xx: number;
    routerErrors5xx?: number;
    p99Ms: number | null;
    latency?: LatencyHistogram;
  };
}

/** The router's window as the judge's samples: every 5xx the users saw (the target's and the router's own). */
export function routerSamples(m: Record<Color, AdminMetrics>, w: MetricsWindow): WindowSamples[] {
  return COLORS.map((color) => {
    const win = m[color].window;
    return {
      color,
      fromMs: w.fromMs,
      toMs: w.toMs,
      source: 'router' as const,
      requests: win.requests,
      errors5xx: win.errors5xx + (win.routerErrors5xx ?? 0),
      latency: win.latency ?? null,
    };
  });
}

export function createLocalDriver(o: LocalDriverOptions): ShiftDriver & { close(): void } {
  const paths = storePaths(o.stateDir);
  const flags = o.cliFlags ?? ' --local';
  // Keep-alive like the ALB's clients; closed by close() so a finished shift leaves no socket open.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const putCapacity = (color: Color, body: unknown): Promise<unknown> =>
    adminCall(o, `/capacity/${color}`, {
      method: 'PUT',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  const putWeights = (w: Weights): Promise<Weights> =>
    adminCall<Weights>(o, '/weights', {
      method: 'PUT',
      body: JSON.stringify(w),
      headers: { 'content-type': 'application/json' },
    });
  return {
    timing: localTiming(o.timeScale),
    hints: localHints(flags),
    readLiveWeights: () => adminCall<Weights>(o, '/weights'),
    readRecordedWeights: () => readRecordedWeights(o.stateDir),
    async writeWeights(w) {
      await recordWeights(o.stateDir, w);
      await putWeights(w);
    },
    async rollbackWeights(w) {
      await putWeights(w);
      try {
        await recordWeights(o.stateDir, w);
      } catch (err) {
        throw new RollbackIncompleteError(
          `router is back on ${JSON.stringify(w)} but ${paths.weights} was not written: ${(err as Error).message}`,
          {
            hint: `fix the data folder, then run "exchange shift abort${flags}" again`,
            cause: err,
          },
        );
      }
    },
    async targetHealth(color): Promise<TargetHealth> {
      const [h, c] = await Promise.all([
        adminCall<Record<Color, AdminHealth>>(o, '/health'),
        adminCall<Record<Color, AdminCapacity>>(o, '/capacity'),
      ]);
      const { registered, healthy, initial } = h[color];
      // A task starting has no target yet (serve not listening): as ECS's pendingCount.
      return { registered, healthy, initial, desired: c[color].desired, pending: c[color].pending };
    },
    readCapacity: async (color) => (await adminCall<Record<Color, AdminCapacity>>(o, '/capacity'))[color],
    async setCapacity(color, mode) {
      await putCapacity(color, mode);
    },
    async setScaleInSuspended(color, suspended) {
      await putCapacity(color, { scaleInSuspended: suspended });
    },
    probe: (req) => probeRouter(o, agent, req),
    async metrics(color, w: MetricsWindow): Promise<ColorMetrics> {
      const m = await adminCall<Record<Color, AdminMetrics>>(
        o,
        `/metrics?fromMs=${Math.floor(w.fromMs)}&toMs=${Math.ceil(w.toMs)}`,
      );
      const win = m[color].window;
      // CloudWatch has no datapoint for a period without requests: the same "no data" here.
      if (win.requests === 0) return { requests: null, errors5xx: null, p99Ms: null };
      return { requests: win.requests, errors5xx: win.errors5xx, p99Ms: win.p99Ms };
    },
    async samples(w: MetricsWindow): Promise<WindowSamples[]> {
      const m = await adminCall<Record<Color, AdminMetrics>>(
        o,
        `/metrics?fromMs=${Math.floor(w.fromMs)}&toMs=${Math.ceil(w.toMs)}`,
      );
      return routerSamples(m, { fromMs: Math.floor(w.fromMs), toMs: Math.ceil(w.toMs) });
    },
    sampleSplit: (n) => sample(o, agent, n),
    readRecord: () => readVersioned(paths.record, recordFile(flags)),
    async readTimeline(): Promise<Timeline | undefined> {
      const t = await readVersioned(paths.timeline, timelineFile);
      return t?.value;
    },
    writeTimeline: (t) => writeDocument(o.stateDir, paths.timeline, t),
    writeRecord: (record, ifMatch) => writeVersioned(o.stateDir, paths.record, record, ifMatch),
    close: () => agent.destroy(),
  };
}

/** The driver for `exchange shift … --local [--dir d]`: the system `npm start` runs from that folder. */
export async function localDriverFromDir(
  dataDir: string = LOCAL_DATA_DIR,
): Promise<ShiftDriver & { close(): void }> {
  const sys = await readSystemFile(resolve(dataDir));
  return createLocalDriver({
    routerUrl: sys.routerUrl,
    adminUrl: sys.adminUrl,
    stateDir: localStateDir(sys.dir),
    cliFlags: dataDir === LOCAL_DATA_DIR ? ' --local' : ` --local --dir ${dataDir}`,
  });
}
