// A stand-in "exchange" for local runs: a loopback HTTP server that serves one saved page, so
// `npm start` exercises the real fetch path (got, retries, headers) without the internet.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../lib/errors.ts';

export interface SampleExchangeOptions {
  /** Saved page to serve. */
  file: string;
  /** Content-Type sent with it. @default 'text/html; charset=utf-8' */
  contentType?: string;
  /** Path it is served at. @default '/' */
  path?: string;
  /** Port on 127.0.0.1. @default 0 */
  port?: number;
}

export interface SampleExchange {
  /** Full URL of the page. */
  url: string;
  close(): Promise<void>;
}

export async function startSampleExchange(options: SampleExchangeOptions): Promise<SampleExchange> {
  const body = await readFile(options.file).catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError(`sample page "${options.file}" cannot be read (${err.code ?? 'error'})`, {
      hint: 'run from a clone of the repository (the sample is a committed test fixture)',
      cause: err,
    });
  });
  const path = options.path ?? '/';
  const headers = {
    'content-type': options.contentType ?? 'text/html; charset=utf-8',
    'content-length': body.length,
  };
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
