// Small HTTP helpers for the serve tests: requests with the path sent exactly as given (no URL
// normalisation, unlike fetch), raw request lines for bytes http.request refuses, and a started server.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { createLogger, type Logger } from '../../lib/log.ts';
import { createService, type ServeDeps } from '../../serve/server.ts';
import type { BucketWatch } from '../../serve/watch.ts';
import { EMBEDDED_CREDENTIALS } from '../../local/embeddedS3.ts';
import { s3ClientConfig } from '../../ingest/publish/s3Client.ts';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function request(
  port: number,
  path: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends `head` verbatim and returns the status code of the reply. */
export function rawStatus(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

/** An S3 client for the embedded server that records every command and the key it asked for. */
export function countingClient(
  env: NodeJS.ProcessEnv,
  calls: { command: string; key: string }[],
  maxAttempts = 2,
): S3Client {
  const client = new S3Client({
    ...s3ClientConfig({ env, maxAttempts, requestTimeoutMs: 2000 }),
    credentials: { ...EMBEDDED_CREDENTIALS },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({
        command: context.commandName ?? '?',
        key: String((args.input as { Key?: string }).Key ?? ''),
      });
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return client;
}

export interface Running {
  port: number;
  server: http.Server;
  /** The background bucket check; tests call `watch.check()` to see a change at once. */
  watch: BucketWatch;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts the service on 127.0.0.1:0 after its first bucket check (as `serve` does), with a logger that records lines. */
export async function startServe(deps: Omit<ServeDeps, 'log'> & { log?: Logger }): Promise<Running> {
  const logs: Record<string, unknown>[] = [];
  const log =
    deps.log ??
    createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const { server, watch } = createService({ ...deps, log });
  await watch.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    watch,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        watch.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const IDENTITY = { color: 'blue', version: '2.0.0-test', imageTag: 'img-abc', commit: 'c0ffee' };
