// `exchange start` (npm start): runs the local system, both colours behind the router, until Ctrl-C.
import { resolve } from 'node:path';
import { describeLocalSystem } from '../../local/describe.ts';
import { writeSystemFile, removeSystemFile } from '../../local/systemFile.ts';
import { MAX_LOCAL_TASKS, startLocalSystem, waitHealthy, type LocalSystem } from '../../local/system.ts';
import { COLORS, TARGET_HEALTH } from '../../contract/index.ts';
import { ExchangeError } from '../../lib/errors.ts';
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import { readVersioned, recordFile, storePaths } from '../../shift/drivers/localStore.ts';
import { appInfo } from '../../ingest/run/version.ts';
import { startLoad } from '../../local/load.ts';
import { LOCAL_DATA_DIR, localStateDir } from '../../contract/localSystem.ts';
import { optionalInt, type Command, type CommandContext } from '../command.ts';

const DEFAULTS = { dir: LOCAL_DATA_DIR, port: 8080, adminPort: 8081 } as const;

const command: Command = {
  name: 'start',
  summary: 'Run the whole system locally, both colours behind a weighted router',
  help: `Usage: exchange start [--port <p>] [--admin-port <p>] [--s3-port <p>] [--dir <dir>] [--green-version <v>] [--load <rps>] [--tasks <n>] [--standby <n>]

Runs the system on this machine with no AWS, no Docker and no internet:
  1. an embedded S3 server (objects under <dir>/s3) with buckets exchange-local-blue and -green
  2. a stand-in exchange on loopback serving the committed Dhaka Stock Exchange page
  3. the real ingest into each colour's bucket
  4. real "exchange serve" processes per colour (--tasks), each a target the router checks
  5. a weighted router standing in for the ALB listener (blue 100 / green 0), with the
     X-Exchange-Color test route, ALB-like health checks, metrics and an admin API
then, once the router's health checks passed both colours (about 10 s), prints where everything is
and what to try, and runs until Ctrl-C (SIGINT), SIGTERM or the exit of the process that started it
(a killed npm, a closed terminal), stopping every child.
"exchange shift … --local" drives this router.

Flags:
  --port <p>            router port on 127.0.0.1 (default: ${DEFAULTS.port}; 0 picks a free one)
  --admin-port <p>      router admin API port (default: ${DEFAULTS.adminPort}; 0 picks a free one)
  --s3-port <p>         embedded S3 port (default: 0 = a free one, printed)
  --dir <dir>           the data folder (default: ${DEFAULTS.dir})
  --green-version <v>   version green reports (default: the app version + "-green")
  --load <rps>          keep steady keep-alive load on the router (default: none), so the
                        metrics gates of "exchange shift … --local" have requests to judge
  --tasks <n>           serve processes per colour, 1–${MAX_LOCAL_TASKS} (default: 1): the router's target
                        health counts them and the shift's capacity gate compares them
  --standby <n>         tasks "exchange capacity scale-down --local" leaves on the idle colour,
                        0–tasks (default: 0)
  -h, --help            this help`,
  stopsWithParent: true,
  options: {
    port: { type: 'string' },
    'admin-port': { type: 'string' },
    's3-port': { type: 'string' },
    dir: { type: 'string' },
    'green-version': { type: 'string' },
    load: { type: 'string' },
    tasks: { type: 'string' },
    standby: { type: 'string' },
  },
  async run(values, _positionals, ctx) {
    const dir = resolve((values.dir as string | undefined) ?? DEFAULTS.dir);
    const version = appInfo(ctx.env).version;
    const system = await startLocalSystem({
      dir,
      versions: {
        blue: version,
        green: (values['green-version'] as string | undefined) ?? `${version}-green`,
      },
      routerPort: optionalInt(values, 'port', 'start', { min: 0, max: 65_535 }) ?? DEFAULTS.port,
      adminPort: optionalInt(values, 'admin-port', 'start', { min: 0, max: 65_535 }) ?? DEFAULTS.adminPort,
      s3Port: optionalInt(values, 's3-port', 'start', { min: 0, max: 65_535 }) ?? 0,
      tasks: optionalInt(values, 'tasks', 'start', { min: 1, max: MAX_LOCAL_TASKS }) ?? 1,
      standbyTasks: optionalInt(values, 'standby', 'start', { min: 0, max: MAX_LOCAL_TASKS }) ?? 0,
      log: ctx.log,
    });
    const rps = optionalInt(values, 'load', 'start', { min: 1, max: 5000 });
    const load = rps
      ? startLoad({ url: system.routerUrl, rps, maxRequests: Infinity, maxMs: Infinity, keepRecords: false })
      : undefined;
    try {
      await writeSystemFile(system);
      // Say "running" once a shift could start: the router's health checks have passed both colours.
      const unhealthy = await Promise.race([untilHealthy(system, ctx), ctx.stopSignal.then(() => null)]);
      if (unhealthy !== null) {
        const shiftFlags = values.dir === undefined ? ' --local' : ` --local --dir ${values.dir as string}`;
        ctx.stdout(
          describeLocalSystem(system, {
            ...(rps ? { loadRps: rps } : {}),
            ...(await shiftFound(dir, shiftFlags, ctx)),
            shiftFlags,
            ...(unhealthy === undefined ? {} : { unhealthy }),
          }),
        );
        if (rps) ctx.stdout(`  load          ${rps} req/s on the router (see the admin API's /metrics)\n`);
      }
      const signal = await ctx.stopSignal;
      ctx.log.info('stopping', { signal });
    } finally {
      await load?.stop();
      await removeSystemFile(dir);
      await system.close();
    }
    return 0;
  },
};

/** Waits for both colours' health checks (2 passes 10 s apart); undefined, or why they did not pass. */
async function untilHealthy(system: LocalSystem, ctx: CommandContext): Promise<string | undefined> {
  const h = TARGET_HEALTH;
  const waitMs = (h.healthyThreshold + 1) * h.intervalSeconds * 1000;
  ctx.log.info('waiting for the router health checks', {
    passes: h.healthyThreshold,
    intervalSeconds: h.intervalSeconds,
  });
  try {
    await waitHealthy(system, COLORS, waitMs);
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    ctx.log.warn('not healthy', { reason });
    return reason;
  }
}

/** The shift record in the data folder, for the hints; a bad file is logged, not fatal here. */
async function shiftFound(dir: string, flags: string, ctx: CommandContext): Promise<{ shift?: ShiftRecord }> {
  try {
    const rec = await readVersioned(storePaths(localStateDir(dir)).record, recordFile(flags));
    return rec === undefined ? {} : { shift: rec.value };
  } catch (err) {
    ctx.log.warn('shift record unreadable', {
      reason: err instanceof ExchangeError ? err.oneLine() : String(err),
    });
    return {};
  }
}

export default command;
