// One colour's `exchange serve` as its own child process (the real CLI, the real server), so a crash
// or a kill in a rehearsal is a real one. The bound port is read from serve's "listening" log line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ENV, type Color } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { EmbeddedEndpoint } from './embeddedClient.ts';

const BIN = fileURLToPath(new URL('../bin/exchange.js', import.meta.url));
const PARENT_WATCH = new URL('./parentWatch.mjs', import.meta.url).href;

export interface ServeProcessOptions {
  color: Color;
  version: string;
  bucket: string;
  s3: EmbeddedEndpoint;
  /** Port on 127.0.0.1. @default 0 (a free one) */
  port?: number;
  /** Relay serve's per-request access log lines too. @default false */
  accessLog?: boolean;
  /** Lines serve writes to stderr are passed here (already parsed when JSON). */
  log: Logger;
  /** Longest wait for the "listening" line. @default 20000 */
  startTimeoutMs?: number;
}

export interface ServeProcess {
  color: Color;
  pid: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  child: ChildProcess;
  /** SIGTERM, then wait for the drain and exit. */
  stop(): Promise<void>;
  /** SIGKILL: no drain, in-flight requests break (the `kill` fault). */
  kill(): Promise<void>;
  exited(): boolean;
}

function childEnv(o: ServeProcessOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_NO_WARNINGS: '1',
    LOG_LEVEL: 'info',
    [ENV.bucket]: o.bucket,
    [ENV.color]: o.color,
    [ENV.version]: o.version,
    [ENV.s3Endpoint]: o.s3.endpoint,
    AWS_ACCESS_KEY_ID: o.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: o.s3.secretAccessKey,
    AWS_REGION: o.s3.region,
  };
}

/** Relays serve's JSON log lines and resolves with the port of its "listening" line. */
function watchLog(child: ChildProcess, o: ServeProcessOptions): Promise<number> {
  const log = o.log.child({ color: o.color, pid: child.pid });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      // One access line per request: cheap to skip unparsed at rehearsal load.
      if (!o.accessLog && line.includes('"msg":"request"')) return;
      let entry: Record<string, unknown> | undefined;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        log.warn('serve output', { line });
        return;
      }
      if (entry.msg === 'listening' && typeof entry.port === 'number') resolve(entry.port);
      const { time: _t, level, msg, ...fields } = entry;
      if (level === 'error' || level === 'warn' || o.accessLog)
        log.info(`serve: ${String(msg)}`, { serveLevel: level, ...fields });
    });
    child.once('exit', (code, signal) =>
      reject(
        new ExchangeError(`serve (${o.color}) exited before listening (code ${code}, signal ${signal})`, {
          hint: 'run "npx exchange serve --help" and check the log lines above',
        }),
      ),
    );
  });
}

export async function startServeProcess(o: ServeProcessOptions): Promise<ServeProcess> {
  const serveArgs = ['serve', '--port', String(o.port ?? 0), '--host', '127.0.0.1', '--grace', '2s'];
  // stdin is a pipe only so the child sees this process die (parentWatch.mjs); nothing is written to it.
  const child = spawn(process.execPath, ['--import', PARENT_WATCH, BIN, ...serveArgs], {
    env: childEnv(o),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let exitedFlag = false;
  // A parent that dies without stopping us (an uncaught error) must not leave serve running on.
  const orphanGuard = (): void => void child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exit = once(child, 'exit').then(() => {
    exitedFlag = true;
    process.off('exit', orphanGuard);
  });
  const timeoutMs = o.startTimeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const port = await Promise.race([
    watchLog(child, o),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ExchangeError(`serve (${o.color}) did not listen within ${timeoutMs} ms`, {
              hint: "check the machine load and serve's log lines",
            }),
          ),
        timeoutMs,
      );
    }),
  ])
    .catch(async (err: unknown) => {
      child.kill('SIGKILL');
      await exit;
      throw err;
    })
    .finally(() => clearTimeout(timer));
  const signalAndWait = async (signal: NodeJS.Signals): Promise<void> => {
    if (!exitedFlag) child.kill(signal);
    await exit;
  };
  return {
    color: o.color,
    pid: child.pid!,
    origin: `http://127.0.0.1:${port}`,
    child,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    exited: () => exitedFlag,
  };
}
