// Runs s3rver on its own worker thread. In-process, every request's server work (routing, signature
// check, MD5, file writes) ran on the client's event loop, so a publish paid for both sides in
// series and could never build its next files while S3 was storing the previous ones. On a thread
// the embedded S3 behaves like the real one: its CPU is not the caller's.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the thread passes to `new S3rver(options)`: plain data, cloned into the worker. */
export interface S3rverThreadOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}

export interface S3rverThread {
  port: number;
  close(): Promise<void>;
}

/** Why the thread did not start, with the system error code (EADDRINUSE…) when there is one. */
export class S3rverThreadError extends Error {
  override name = 'S3rverThreadError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * The thread's program. A string run with `eval` (CommonJS) rather than a module file, because the
 * caller may be TypeScript run through tsx (whose loader hooks do not reach worker threads) or the
 * compiled build: plain JavaScript that only requires s3rver runs the same under both.
 */
const THREAD_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const S3rver = require(workerData.s3rverPath);
const fail = (error) => {
  parentPort.postMessage({ type: 'failed', message: String((error && error.message) || error), code: error && error.code });
  process.exit(1);
};
// A listen failure is emitted on s3rver's http server, which has no 'error' listener.
process.on('uncaughtException', fail);
const server = new S3rver(workerData.options);
// koa-logger formats and colours a line per request even when s3rver is silent; nobody reads it.
const first = server.middleware[0];
if (workerData.options.silent && first && first.name === 'logger') server.middleware.shift();
server.run().then((address) => parentPort.postMessage({ type: 'ready', port: address.port }), fail);
parentPort.on('message', (message) => {
  if (message === 'close') server.close().then(() => process.exit(0), fail);
});
`;

type ThreadMessage = { type: 'ready'; port: number } | { type: 'failed'; message: string; code?: string };

export async function startS3rverThread(options: S3rverThreadOptions): Promise<S3rverThread> {
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { s3rverPath: createRequire(import.meta.url).resolve('s3rver'), options },
  });
  let failure: S3rverThreadError | undefined;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const ready = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'ready') return resolve(message.port);
      failure = new S3rverThreadError(message.message, message.code);
      reject(failure);
    });
    worker.once('error', (error: NodeJS.ErrnoException) =>
      reject((failure = new S3rverThreadError(error.message, error.code))),
    );
    void exited.then((code) =>
      reject(new S3rverThreadError(`s3rver thread exited (code ${code}) before it was ready`, undefined)),
    );
  });
  const port = await ready;
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    worker.postMessage('close');
    const code = await exited;
    if (code !== 0)
      throw failure ?? new S3rverThreadError(`s3rver thread exited with code ${code}`, undefined);
  };
  return { port, close: () => (closing ??= close()) };
}
