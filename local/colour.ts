// One colour of the local system: its bucket seeded by the real ingest, its tasks (each its own `serve`
// process and, for rehearsals, a fault switch in front of it). The router's target group for the colour
// holds each task's origin; local/service.ts decides how many tasks run.
import type { S3Client } from '@aws-sdk/client-s3';
import { TARGET_HEALTH, type Color } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { HttpClient } from '../ingest/fetch/client.ts';
import { runIngest, type IngestSummary } from '../ingest/pipeline.ts';
import type { EmbeddedEndpoint } from './embeddedClient.ts';
import { startFaultProxy, type FaultProxy, type ProxyFault } from './faultProxy.ts';
import { startServeProcess, type ServeProcess } from './serveProcess.ts';

export interface ColourOptions {
  color: Color;
  version: string;
  bucket: string;
  s3: EmbeddedEndpoint;
  s3Client: S3Client;
  http: HttpClient;
  exchangeUrl: string;
  /** Put a fault switch between the router and serve. @default false */
  faults?: boolean;
  /** Added latency of the `slow` fault, ms. @default 1500 */
  slowMs?: number;
  /** Simulated service time of every page behind the fault switch, ms. @default none */
  serviceMs?: { min: number; max: number } | undefined;
  serveAccessLog?: boolean;
  log: Logger;
}

/** One task: a serve process, and its fault switch when the system has faults. */
export interface LocalTask {
  serve: ServeProcess;
  proxy: FaultProxy | undefined;
  /** Origin registered in the router's target group (the fault switch when present, else serve). */
  origin: string;
}

/** The colour-wide fault switch: what it is set to applies to every task, also ones started later. */
export interface FaultSwitch {
  fault(): ProxyFault;
  setFault(fault: ProxyFault): void;
}

export interface LocalColour {
  color: Color;
  version: string;
  bucket: string;
  ingest: IngestSummary;
  /** Running tasks, oldest first (the service's own list; the router holds the registered ones). */
  tasks: LocalTask[];
  /** Fault switch over every task (present with `faults: true`). */
  proxy: FaultSwitch | undefined;
  /** Path the router's health check probes on this colour (the target group's: liveness). */
  healthPath: string;
  /** Starts one more task (serve process and its fault switch). */
  addTask(): Promise<LocalTask>;
  /** Stops a task: SIGTERM, serve drains and exits. */
  stopTask(task: LocalTask): Promise<void>;
  /** SIGKILL of every task (the rehearsal's `kill`: no drain, in-flight requests break). */
  killTasks(): Promise<void>;
  /** Replaces tasks whose process exited (what ECS does for a killed task); needs the fault switch. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function seedColour(o: ColourOptions): Promise<IngestSummary> {
  return runIngest(
    { http: o.http, s3: o.s3Client, log: o.log.child({ color: o.color }), now: () => new Date() },
    { bucket: o.bucket, source: 'dse', url: o.exchangeUrl, version: o.version },
  );
}

const serveOf = (o: ColourOptions): Promise<ServeProcess> =>
  startServeProcess({
    color: o.color,
    version: o.version,
    bucket: o.bucket,
    s3: o.s3,
    accessLog: o.serveAccessLog,
    log: o.log,
  });

async function startTask(o: ColourOptions, fault: ProxyFault): Promise<LocalTask> {
  const serve = await serveOf(o);
  try {
    const proxy = o.faults
      ? await startFaultProxy({
          color: o.color,
          target: serve.origin,
          slowMs: o.slowMs,
          ...(o.serviceMs ? { serviceMs: o.serviceMs } : {}),
        })
      : undefined;
    proxy?.setFault(fault);
    return { serve, proxy, origin: proxy?.origin ?? serve.origin };
  } catch (err) {
    await serve.kill();
    throw err;
  }
}

/** A colour with `tasks` serve processes (at least one: the seeded colour must answer its test route). */
export async function startColour(o: ColourOptions, ingest: IngestSummary, tasks = 1): Promise<LocalColour> {
  let fault: ProxyFault = 'none';
  const list: LocalTask[] = [];
  const stopTask = async (t: LocalTask): Promise<void> => {
    const i = list.indexOf(t);
    if (i >= 0) list.splice(i, 1);
    await t.serve.stop();
    await t.proxy?.close();
  };
  const colour: LocalColour = {
    color: o.color,
    version: o.version,
    bucket: o.bucket,
    ingest,
    tasks: list,
    proxy: o.faults
      ? {
          fault: () => fault,
          setFault: (next) => {
            fault = next;
            for (const t of list) t.proxy?.setFault(next);
          },
        }
      : undefined,
    healthPath: TARGET_HEALTH.path,
    addTask: async () => {
      const t = await startTask(o, fault);
      list.push(t);
      return t;
    },
    stopTask,
    killTasks: async () => {
      await Promise.all(list.map((t) => t.serve.kill()));
    },
    restart: async () => {
      for (const t of list) {
        if (!t.serve.exited()) continue;
        if (!t.proxy)
          throw new ExchangeError(`${o.color} has no fault switch to re-point`, {
            hint: 'start the system with faults: true',
          });
        t.serve = await serveOf(o);
        t.proxy.setTarget(t.serve.origin);
      }
    },
    close: async () => {
      await Promise.all([...list].map(stopTask));
    },
  };
  try {
    for (let i = 0; i < tasks; i++) await colour.addTask();
  } catch (err) {
    await Promise.all(list.map((t) => t.serve.kill().then(() => t.proxy?.close())));
    throw err;
  }
  return colour;
}
