// An embedded S3-compatible server (s3rver, on a worker thread) for local runs and tests: the same
// SDK calls over real HTTP as against AWS, with buckets pre-created with a website configuration.
import { mkdir } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { LAYOUT } from '../contract/index.ts';
import { ConfigError, ExchangeError } from '../lib/errors.ts';
import { S3rverThreadError, startS3rverThread } from './s3rverThread.ts';

/** s3rver's fixed credentials; it checks signatures, so clients must sign with these. */
export const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const EMBEDDED_REGION = 'us-east-1';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface EmbeddedS3Options {
  /** Directory holding the objects (created if missing). */
  dir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Buckets to create, each with index.html/error.html website configuration. @default [] */
  buckets?: string[];
}

export interface EmbeddedS3 {
  /** http://127.0.0.1:<port> — use as AWS_ENDPOINT_URL_S3 (path-style). */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  close(): Promise<void>;
}

function websiteXml(): string {
  return (
    '<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<IndexDocument><Suffix>${LAYOUT.indexKey}</Suffix></IndexDocument>` +
    `<ErrorDocument><Key>${LAYOUT.errorKey}</Key></ErrorDocument>` +
    '</WebsiteConfiguration>'
  );
}

function portInUse(port: number, cause: unknown): ExchangeError {
  const code = (cause as NodeJS.ErrnoException).code ?? 'error';
  return new ExchangeError(`embedded S3 cannot listen on 127.0.0.1:${port} (${code})`, {
    hint: 'pick another port (0 picks a free one) or stop the process using it',
    cause,
  });
}

/**
 * A fixed port is tried first with a throwaway listener (0 is always free), so the common mistake
 * fails before a thread is started, with the same message as a listen failure inside it.
 */
async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => reject(portInUse(port, err)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  const buckets = options.buckets ?? [];
  for (const name of buckets) {
    if (!BUCKET_NAME.test(name)) {
      throw new ConfigError(`bucket name "${name}" is not a valid S3 bucket name`, {
        hint: 'use 3–63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit',
      });
    }
  }
  const port = options.port ?? 0;
  await assertPortFree(port);
  await mkdir(options.dir, { recursive: true });
  const server = await startS3rverThread({
    address: '127.0.0.1',
    port,
    directory: options.dir,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [websiteXml()] })),
  }).catch((error: unknown) => {
    // The port can still be taken between the probe above and the thread's listen.
    if (error instanceof S3rverThreadError && error.code === 'EADDRINUSE') throw portInUse(port, error);
    throw new ExchangeError(`embedded S3 did not start: ${(error as Error).message}`, {
      hint: `check that ${options.dir} is writable`,
      cause: error,
    });
  });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    ...EMBEDDED_CREDENTIALS,
    region: EMBEDDED_REGION,
    close: () => server.close(),
  };
}
