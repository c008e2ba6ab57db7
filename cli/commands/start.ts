// `exchange start` (npm start): runs the local system with embedded defaults until Ctrl-C.
import { resolve } from 'node:path';
import { startLocalSystem, describeLocalSystem } from '../../local/system.ts';
import { appInfo } from '../../ingest/run/version.ts';
import { optionalInt, type Command } from '../command.ts';

const DEFAULTS = { dir: '.local/s3', bucket: 'exchange-local-blue', color: 'blue', port: 8080 } as const;

const command: Command = {
  name: 'start',
  summary: 'Run the whole system locally with embedded defaults',
  help: `Usage: exchange start [--port <p>] [--s3-port <p>] [--dir <dir>]

Runs the system on this machine with no AWS and no internet:
  1. an embedded S3 server (objects under --dir) with bucket "${DEFAULTS.bucket}"
  2. a stand-in exchange on loopback serving the committed Dhaka Stock Exchange page
  3. the real ingest against it: fetch → parse → gate → publish into the bucket
  4. the real site service ("exchange serve") on 127.0.0.1:--port
then prints where to look and keeps running until Ctrl-C (SIGINT) or SIGTERM.

Flags:
  --port <p>      site port on 127.0.0.1 (default: ${DEFAULTS.port}; 0 picks a free one)
  --s3-port <p>   embedded S3 port on 127.0.0.1 (default: 0 = a free one, printed)
  --dir <dir>     object store directory (default: ${DEFAULTS.dir})
  -h, --help      this help`,
  options: {
    port: { type: 'string' },
    's3-port': { type: 'string' },
    dir: { type: 'string' },
  },
  async run(values, _positionals, ctx) {
    const system = await startLocalSystem({
      dir: resolve((values.dir as string | undefined) ?? DEFAULTS.dir),
      bucket: DEFAULTS.bucket,
      color: DEFAULTS.color,
      version: appInfo(ctx.env).version,
      sitePort: optionalInt(values, 'port', 'start', { min: 0, max: 65_535 }) ?? DEFAULTS.port,
      s3Port: optionalInt(values, 's3-port', 'start', { min: 0, max: 65_535 }) ?? 0,
      log: ctx.log,
    });
    ctx.stdout(describeLocalSystem(system));
    const signal = await ctx.stopSignal;
    ctx.log.info('stopping', { signal });
    await system.close();
    return 0;
  },
};

export default command;
