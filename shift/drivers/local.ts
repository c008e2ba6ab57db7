// The local driver: the shift port over the local router's admin API (weights, target health,
// metrics), probes and split samples through the router itself, and the record in the data folder.
// The same controller and gates as on AWS drive it; only the listener and the store are local.
import { resolve } from 'node:path';
import http from 'node:http';
import { COLOR_HEADER, TARGET_HEALTH, type Color } from '../../contract/index.ts';
import { LOCAL_DATA_DIR, localStateDir, readSystemFile } from '../../contract/localSystem.ts';
import { DriverError, RollbackIncompleteError } from '../errors.ts';
import { sampleSplit } from './sample.ts';
import type {
  ColorCapacity,
  ColorMetrics,
  DriverTiming,
  MetricsWindow,
  ProbeRequest,
  ProbeResult,
  ShiftDriver,
  SplitSample,
  TargetHealth,
} from '../port.ts';
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import type { Weights } from '../../contract/weights.ts';
import {
  readRecordedWeights,
  readVersioned,
  recordWeights,
  storePaths,
  writeVersioned,
} from './localStore.ts';

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
  /** Concurrent requests of a split sample. @default 32 */
  splitConcurrency?: number;
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
    // The router's metrics are live, so gates can be re-checked every second (scaled for rehearsals).
    checkIntervalSeconds: 1 * timeScale,
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

/** One GET through the router; a network failure is status 0 with the error, never a throw. */
function probeRouter(o: LocalDriverOptions, agent: http.Agent, req: ProbeRequest): Promise<ProbeResult> {
  const headers: Record<string, string> =
    req.route.via === 'test-route' ? { [COLOR_HEADER]: req.route.color } : {};
  return new Promise((resolve) => {
    const fail = (error: string): void => resolve({ status: 0, body: '', error });
    const get = http.get(
      `${o.routerUrl}${req.path}`,
      { agent, headers, timeout: o.probeTimeoutMs ?? 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < BODY_LIMIT) body += chunk;
        });
        res.on('error', (err) => fail(err.message));
        res.on('end', () => {
          const color = res.headers[COLOR_HEADER.toLowerCase()];
          const base = { status: res.statusCode ?? 0, body: body.slice(0, BODY_LIMIT) };
          resolve(typeof color === 'string' ? { ...base, color } : base);
        });
      },
    );
    get.on('timeout', () => get.destroy(new Error(`no answer within ${o.probeTimeoutMs ?? 5000} ms`)));
    get.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
  });
}

function sample(o: LocalDriverOptions, agent: http.Agent, requests: number): Promise<SplitSample> {
  return sampleSplit((req) => probeRouter(o, agent, req), requests, o.splitConcurrency ?? 32);
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
  window: { requests: number; errors5xx: number; p99Ms: number | null };
}

export function createLocalDriver(o: LocalDriverOptions): ShiftDriver & { close(): void } {
  const paths = storePaths(o.stateDir);
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
            hint: 'fix the data folder, then run "exchange shift abort --local" again',
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
    sampleSplit: (n) => sample(o, agent, n),
    readRecord: () => readVersioned<ShiftRecord>(paths.record),
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
  });
}
