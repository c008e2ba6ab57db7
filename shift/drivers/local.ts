// The local driver: the shift port over the local router's admin API (weights, target health,
// metrics), probes and split samples through the router itself, and the record in the data folder.
// The same controller and gates as on AWS drive it; only the listener and the store are local.
import { join } from 'node:path';
import { COLOR_HEADER, COLORS, type Color } from '../../contract/index.ts';
import { readSystemFile } from '../../local/systemFile.ts';
import { DriverError, RollbackIncompleteError } from '../errors.ts';
import type {
  ColorMetrics,
  DriverTiming,
  MetricsWindow,
  ProbeRequest,
  ProbeResult,
  ShiftDriver,
  ShiftRecord,
  SplitSample,
  TargetHealth,
  Versioned,
  Weights,
} from '../port.ts';
import { readRecordedWeights, readVersioned, recordWeights, storePaths, writeVersioned } from './localStore.ts';

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
  /** Concurrent requests of a split sample. @default 16 */
  splitConcurrency?: number;
}

const BODY_LIMIT = 64 * 1024;

/**
 * The router applies a weight write before the admin call returns (no propagation), and measures
 * every request (no metric period); the period stated here only sets the controller's minimum bake.
 */
export function localTiming(timeScale = 1): DriverTiming {
  return {
    metricsPeriodSeconds: 1 * timeScale,
    propagationSeconds: 0,
    writeSeconds: 1 * timeScale,
    rollbackWriteSeconds: 1 * timeScale,
    deregistrationDelaySeconds: 30 * timeScale,
  };
}

async function adminCall<T>(o: LocalDriverOptions, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${o.adminUrl}${path}`, { ...init, signal: AbortSignal.timeout(o.probeTimeoutMs ?? 5000) });
  } catch (err) {
    throw new DriverError(`router admin ${init?.method ?? 'GET'} ${path} failed: ${(err as Error).message}`, {
      hint: `is the local system running? ("npm start"; admin API ${o.adminUrl})`,
      cause: err,
    });
  }
  const text = await res.text();
  if (!res.ok) throw new DriverError(`router admin ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.trim()}`, { hint: 'see the router log' });
  return JSON.parse(text) as T;
}

async function probeRouter(o: LocalDriverOptions, req: ProbeRequest): Promise<ProbeResult> {
  const headers: Record<string, string> = req.route.via === 'test-route' ? { [COLOR_HEADER]: req.route.color } : {};
  try {
    const res = await fetch(`${o.routerUrl}${req.path}`, { headers, signal: AbortSignal.timeout(o.probeTimeoutMs ?? 5000) });
    const body = (await res.text()).slice(0, BODY_LIMIT);
    const color = res.headers.get(COLOR_HEADER);
    return color === null ? { status: res.status, body } : { status: res.status, color, body };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { status: 0, body: '', error: cause ?? (err as Error).message };
  }
}

async function sample(o: LocalDriverOptions, requests: number): Promise<SplitSample> {
  const counts = Object.fromEntries(COLORS.map((c) => [c, 0])) as Record<Color, number>;
  let other = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      next += 1;
      const r = await probeRouter(o, { route: { via: 'main' }, path: '/healthz' });
      if (r.status > 0 && (COLORS as readonly string[]).includes(r.color ?? '')) counts[r.color as Color] += 1;
      else other += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(requests, o.splitConcurrency ?? 16) }, worker));
  return { counts, other };
}

interface AdminHealth {
  state: 'initial' | 'healthy' | 'unhealthy';
}

interface AdminMetrics {
  window: { requests: number; errors5xx: number; p99Ms: number | null };
}

export function createLocalDriver(o: LocalDriverOptions): ShiftDriver {
  const paths = storePaths(o.stateDir);
  const putWeights = (w: Weights): Promise<Weights> =>
    adminCall<Weights>(o, '/weights', { method: 'PUT', body: JSON.stringify(w), headers: { 'content-type': 'application/json' } });
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
        throw new RollbackIncompleteError(`router is back on ${JSON.stringify(w)} but ${paths.weights} was not written: ${(err as Error).message}`, {
          hint: 'fix the data folder, then run "exchange shift abort --local" again',
          cause: err,
        });
      }
    },
    async targetHealth(color): Promise<TargetHealth> {
      const h = await adminCall<Record<Color, AdminHealth>>(o, '/health');
      return { registered: 1, healthy: h[color].state === 'healthy' ? 1 : 0, desired: 1 };
    },
    probe: (req) => probeRouter(o, req),
    async metrics(color, w: MetricsWindow): Promise<ColorMetrics> {
      const m = await adminCall<Record<Color, AdminMetrics>>(o, `/metrics?fromMs=${Math.floor(w.fromMs)}&toMs=${Math.ceil(w.toMs)}`);
      const win = m[color].window;
      // CloudWatch has no datapoint for a period without requests: the same "no data" here.
      if (win.requests === 0) return { requests: null, errors5xx: null, p99Ms: null };
      return { requests: win.requests, errors5xx: win.errors5xx, p99Ms: win.p99Ms };
    },
    sampleSplit: (n) => sample(o, n),
    readRecord: () => readVersioned<ShiftRecord>(paths.record),
    writeRecord: (record, ifMatch) => writeVersioned(o.stateDir, paths.record, record, ifMatch),
  };
}

/** The state folder inside the local system's data folder. */
export const localStateDir = (dataDir: string): string => join(dataDir, 'shift');

/** The driver for `exchange shift … --local`: the system `npm start` runs from `dataDir`. */
export async function localDriverFromDir(dataDir: string): Promise<ShiftDriver> {
  const sys = await readSystemFile(dataDir);
  return createLocalDriver({ routerUrl: sys.routerUrl, adminUrl: sys.adminUrl, stateDir: localStateDir(sys.dir) });
}
