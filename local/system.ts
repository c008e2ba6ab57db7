// The local system behind `npm start` and `exchange rehearse`: embedded S3 with a bucket per colour,
// a stand-in exchange serving a saved page, the real ingest into each colour, one real `serve`
// process per colour, and a weighted router standing in for the shared ALB listener. Only the AWS
// stand-ins (S3, the router) are local; fetch, parse, gate, publish and serve are production code.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { COLORS, type Color } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import { listen } from '../lib/listen.ts';
import type { Logger } from '../lib/log.ts';
import { createHttpClient } from '../ingest/fetch/client.ts';
import { appRoot } from '../ingest/run/version.ts';
import { embeddedS3Client } from './embeddedClient.ts';
import { startEmbeddedS3, type EmbeddedS3 } from './embeddedS3.ts';
import { seedColour, startColour, type LocalColour } from './colour.ts';
import { createAdminServer } from './router/admin.ts';
import { healthSettings } from './router/health.ts';
import { createRouter, type Router } from './router/router.ts';
import type { Weights } from '../contract/weights.ts';
import { startSampleExchange } from './sampleExchange.ts';
import { localStateDir } from '../contract/localSystem.ts';
import { readRecordedWeights } from '../shift/drivers/localStore.ts';
import { liveReleasePage } from './releasePage.ts';
import { LocalService } from './service.ts';
import { DEFAULT_HEADROOM, requiredTasks } from '../shift/capacity.ts';
import { capacityAdmin } from './capacityAdmin.ts';
import { ConfigError } from '../lib/errors.ts';

/** The committed DSE page, the sample the local "exchange" serves. */
export const SAMPLE_PAGE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

/** Target group deregistration delay the router drains with, seconds (as components/ sets it). */
export const DEREGISTRATION_DELAY_SECONDS = 30;

export interface LocalSystemOptions {
  /** The one folder holding everything: objects under s3/, the shift record under shift/. */
  dir: string;
  /** App version of each colour's ingest and serve. */
  versions: Record<Color, string>;
  /** Initial listener weights. @default the recorded ones in <dir>/shift (as the shared stack's `up` reads them), else blue 100, green 0 */
  weights?: Weights;
  /** Router port on 127.0.0.1. @default 0 (a free one) */
  routerPort?: number;
  /** Router admin API port on 127.0.0.1. @default 0 */
  adminPort?: number;
  /** Embedded S3 port on 127.0.0.1. @default 0 */
  s3Port?: number;
  /** Multiplies the target group's health-check interval/timeout and the drain delay (1 = as on AWS). @default 1 */
  timeScale?: number;
  /** Fault switches in front of each serve (rehearsals). @default false */
  faults?: boolean;
  /** Added latency of the `slow` fault, ms. @default 1500 */
  slowMs?: number;
  /** Simulated service time of every page behind the fault switches, ms. @default none */
  serviceMs?: { min: number; max: number };
  /** Log level of the serve children. @default 'warn' */
  serveAccessLog?: boolean;
  /** Saved page the stand-in exchange serves. @default SAMPLE_PAGE under the app root */
  samplePage?: string;
  /** Serve processes (tasks) per colour, 1–16: each one a target in the router's target group. @default 1 */
  tasks?: number;
  /** Tasks a colour starts with instead of `tasks` (a rehearsal starts the idle colour prepared). @default tasks */
  startTasks?: Partial<Record<Color, number>>;
  /** Tasks the idle colour keeps when scaled down after a release, 0–tasks. @default 0 */
  standbyTasks?: number;
  /**
   * Most tasks that can ever run per colour (a capacity shortage, the rehearsal's `capacity:K`): the
   * colour starts with at most that many, and a raised desired count never gets more. @default none
   */
  taskLimits?: Partial<Record<Color, number>>;
  log: Logger;
}

/** Most serve processes per colour on one machine: each is a Node process of ~60 MB. */
export const MAX_LOCAL_TASKS = 16;

export interface LocalSystem {
  dir: string;
  s3: EmbeddedS3;
  exchangeUrl: string;
  colours: Record<Color, LocalColour>;
  /** Each colour's service: desired count, bounds, scale-in suspension, the tasks it runs. */
  services: Record<Color, LocalService>;
  router: Router;
  /** http://127.0.0.1:<port>: the "main URL" (the listener). */
  routerUrl: string;
  /** http://127.0.0.1:<port> of the router's admin API. */
  adminUrl: string;
  close(): Promise<void>;
}

export const bucketOf = (color: Color): string => `exchange-local-${color}`;

type Closer = () => Promise<unknown>;

async function startColours(o: LocalSystemOptions, s3: EmbeddedS3, exchangeUrl: string, closers: Closer[]) {
  const s3Client = embeddedS3Client(s3);
  closers.push(async () => s3Client.destroy());
  const base = {
    s3,
    s3Client,
    exchangeUrl,
    faults: o.faults,
    slowMs: o.slowMs,
    serviceMs: o.serviceMs,
    serveAccessLog: o.serveAccessLog,
    log: o.log,
  };
  const opts = (color: Color) => ({
    ...base,
    color,
    version: o.versions[color],
    bucket: bucketOf(color),
    http: createHttpClient({ version: o.versions[color] }),
  });
  const ingests = await Promise.all(COLORS.map((c) => seedColour(opts(c))));
  const tasks = (c: Color): number =>
    Math.max(1, Math.min(o.startTasks?.[c] ?? o.tasks ?? 1, o.taskLimits?.[c] ?? Infinity));
  const started = await Promise.allSettled(COLORS.map((c, i) => startColour(opts(c), ingests[i]!, tasks(c))));
  for (const s of started) if (s.status === 'fulfilled') closers.push(() => s.value.close());
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return Object.fromEntries(
    started.map((s) => [
      (s as PromiseFulfilledResult<LocalColour>).value.color,
      (s as PromiseFulfilledResult<LocalColour>).value,
    ]),
  ) as Record<Color, LocalColour>;
}

/**
 * Fixed ports are bound once and released before anything starts, so a port already taken fails in
 * milliseconds with the fix, not after the ingest and two serve processes (the same one-line error).
 */
async function assertPortsFree(ports: [number | undefined, string][]): Promise<void> {
  for (const [port, what] of ports) {
    if (!port) continue;
    const probe = createServer();
    await listen(probe, port, '127.0.0.1', what);
    await new Promise((resolve) => probe.close(resolve));
  }
}

function checkTasks(o: LocalSystemOptions): void {
  const tasks = o.tasks ?? 1;
  if (!Number.isInteger(tasks) || tasks < 1 || tasks > MAX_LOCAL_TASKS)
    throw new ConfigError(`tasks ${tasks} is not an integer 1–${MAX_LOCAL_TASKS}`, {
      hint: 'e.g. --tasks 2 (serve processes per colour)',
    });
  const standby = o.standbyTasks ?? 0;
  if (!Number.isInteger(standby) || standby < 0 || standby > tasks)
    throw new ConfigError(`standby ${standby} is not an integer 0–${tasks} (the tasks per colour)`, {
      hint: 'e.g. --standby 0 (cheapest) or --standby 1 (instant rollback)',
    });
}

export async function startLocalSystem(o: LocalSystemOptions): Promise<LocalSystem> {
  checkTasks(o);
  await assertPortsFree([
    [o.routerPort, 'router'],
    [o.adminPort, 'router admin API'],
  ]);
  const closers: Closer[] = [];
  const close = async (): Promise<void> => {
    for (const fn of closers.splice(0).reverse()) await fn();
  };
  try {
    const s3 = await startEmbeddedS3({
      dir: join(o.dir, 's3'),
      port: o.s3Port ?? 0,
      buckets: COLORS.map(bucketOf),
    });
    closers.push(() => s3.close());
    const exchange = await startSampleExchange({
      file: o.samplePage ?? join(appRoot(), SAMPLE_PAGE),
      path: '/latest_share_price_scroll_l.php',
    });
    closers.push(() => exchange.close());
    const colours = await startColours(o, s3, exchange.url, closers);
    const timeScale = o.timeScale ?? 1;
    const origins = (c: Color): string[] => colours[c].tasks.map((t) => t.origin);
    const router = createRouter({
      targets: { blue: origins('blue'), green: origins('green') },
      weights: o.weights ?? (await readRecordedWeights(localStateDir(o.dir))) ?? { blue: 100, green: 0 },
      health: { ...healthSettings(timeScale), path: colours.blue.healthPath },
      drainTimeoutMs: DEREGISTRATION_DELAY_SECONDS * 1000 * timeScale,
      log: o.log.child({ component: 'router' }),
    });
    closers.push(async () => router.close());
    const services = startServices(o, colours, router);
    closers.push(() => Promise.all(COLORS.map((c) => services[c].settled())));
    const routerPort = await listen(router.server, o.routerPort ?? 0, '127.0.0.1', 'router');
    closers.push(() => closeServer(router.server));
    const admin = createAdminServer(router, {
      releasePage: () => liveReleasePage(o.dir),
      capacity: capacityAdmin(services),
    });
    const adminPort = await listen(admin, o.adminPort ?? 0, '127.0.0.1', 'router admin API');
    closers.push(() => closeServer(admin));
    router.startHealthChecks();
    return {
      dir: o.dir,
      s3,
      exchangeUrl: exchange.url,
      colours,
      services,
      router,
      routerUrl: `http://127.0.0.1:${routerPort}`,
      adminUrl: `http://127.0.0.1:${adminPort}`,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Each colour's service (there is no local autoscaler: only the release moves the desired count). */
function startServices(
  o: LocalSystemOptions,
  colours: Record<Color, LocalColour>,
  router: Router,
): Record<Color, LocalService> {
  // min = the tasks it started with (a colour started under a limit is configured at that size: as
  // deployed); max = what a shift's floor raises it to (⌈tasks × headroom⌉), so a colour a shift raised
  // keeps those tasks afterwards instead of stopping and restarting them on every rehearsal.
  const config = (c: Color) => {
    const tasks = colours[c].tasks.length;
    return {
      minCapacity: tasks,
      maxCapacity: requiredTasks(tasks, 100, DEFAULT_HEADROOM),
      standbyTasks: Math.min(o.standbyTasks ?? 0, tasks),
    };
  };
  return Object.fromEntries(
    COLORS.map((c) => [
      c,
      new LocalService({
        colour: colours[c],
        config: config(c),
        register: (color, list) => router.setTargets(color, list),
        // The target group's deregistration delay, capped: serve drains what is in flight on SIGTERM anyway.
        drainMs: Math.min(1000, DEREGISTRATION_DELAY_SECONDS * 1000 * (o.timeScale ?? 1)),
        ...(o.taskLimits?.[c] === undefined ? {} : { placeable: o.taskLimits[c] }),
        log: o.log.child({ component: 'service' }),
      }),
    ]),
  ) as Record<Color, LocalService>;
}

function closeServer(server: Server): Promise<void> {
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 2_000);
  return new Promise((resolve) =>
    server.close(() => {
      clearTimeout(force);
      resolve();
    }),
  );
}

/** Resolves once every colour's target is healthy in the router, or rejects with who is not. */
export async function waitHealthy(
  system: LocalSystem,
  colors: readonly Color[],
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const status = system.router.status();
    const sick = colors.filter((c) => status[c].state !== 'healthy');
    if (sick.length === 0) return;
    if (Date.now() > end) {
      const why = sick
        .map((c) => `${c} ${status[c].state} (${status[c].reason ?? 'no answer yet'})`)
        .join(', ');
      throw new ExchangeError(`targets not healthy within ${timeoutMs} ms: ${why}`, {
        hint: 'check the serve log lines above (bucket, port) and the router health path',
      });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
