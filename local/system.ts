// The local system behind `npm start`: embedded S3, a stand-in exchange serving a saved page, the
// real ingest against it, and the real `serve` in front of the bucket. Only the AWS stand-ins are
// local; fetch, parse, gate, publish and serve are the production code paths.
import { join } from 'node:path';
import { listen } from '../lib/listen.ts';
import type { Logger } from '../lib/log.ts';
import { createHttpClient } from '../ingest/fetch/client.ts';
import { runIngest, type IngestSummary } from '../ingest/pipeline.ts';
import { appRoot } from '../ingest/run/version.ts';
import { createServer } from '../serve/server.ts';
import { drain } from '../serve/shutdown.ts';
import { embeddedS3Client } from './embeddedClient.ts';
import { startEmbeddedS3, type EmbeddedS3 } from './embeddedS3.ts';
import { startSampleExchange } from './sampleExchange.ts';

/** The committed DSE page, the sample the local "exchange" serves. */
export const SAMPLE_PAGE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

export interface LocalSystemOptions {
  /** Object store directory. */
  dir: string;
  bucket: string;
  color: string;
  version: string;
  /** Embedded S3 port on 127.0.0.1. @default 0 (a free one) */
  s3Port?: number;
  /** Site port on 127.0.0.1. @default 0 (a free one) */
  sitePort?: number;
  /** Saved page the stand-in exchange serves. @default SAMPLE_PAGE under the app root */
  samplePage?: string;
  log: Logger;
}

export interface LocalSystem {
  s3: EmbeddedS3;
  bucket: string;
  /** URL of the stand-in exchange page that was ingested. */
  exchangeUrl: string;
  /** http://127.0.0.1:<port> of `serve`. */
  siteUrl: string;
  ingest: IngestSummary;
  close(): Promise<void>;
}

export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const fn of closers.splice(0).reverse()) await fn();
  };
  try {
    const s3 = await startEmbeddedS3({
      dir: options.dir,
      port: options.s3Port ?? 0,
      buckets: [options.bucket],
    });
    closers.push(() => s3.close());
    const client = embeddedS3Client(s3);
    closers.push(async () => client.destroy());
    const exchange = await startSampleExchange({
      file: options.samplePage ?? join(appRoot(), SAMPLE_PAGE),
      path: '/latest_share_price_scroll_l.php',
    });
    closers.push(() => exchange.close());
    const ingest = await runIngest(
      {
        http: createHttpClient({ version: options.version }),
        s3: client,
        log: options.log,
        now: () => new Date(),
      },
      {
        bucket: options.bucket,
        source: 'dse',
        url: exchange.url,
        version: options.version,
        color: options.color,
      },
    );
    const site = createServer({
      s3: client,
      bucket: options.bucket,
      log: options.log.child({ component: 'serve' }),
      identity: { color: options.color, version: options.version, imageTag: undefined, commit: undefined },
      maxAgeSeconds: 36 * 3600,
    });
    const siteUrl = `http://127.0.0.1:${await listen(site, options.sitePort ?? 0, '127.0.0.1', 'site')}`;
    closers.push(() => drain(site, { graceMs: 2_000, log: options.log }));
    return { s3, bucket: options.bucket, exchangeUrl: exchange.url, siteUrl, ingest, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** What to tell a person once the system is up: where to look and what to try. */
export function describeLocalSystem(system: LocalSystem): string {
  const { s3, bucket, ingest } = system;
  const env = `AWS_ENDPOINT_URL_S3=${s3.endpoint} AWS_ACCESS_KEY_ID=${s3.accessKeyId} AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey} AWS_REGION=${s3.region}`;
  return [
    `Local exchange system is running (Ctrl-C to stop).`,
    ``,
    `  site          ${system.siteUrl}/          health: ${system.siteUrl}/healthz`,
    `  embedded S3   ${s3.endpoint}   bucket ${bucket} (website: ${s3.endpoint}/${bucket}/index.html)`,
    `  sample page   ${system.exchangeUrl}`,
    `  published     ${ingest.source} ${ingest.date}: ${ingest.counts.quotes} quotes in ${ingest.timingsMs.total} ms`,
    ``,
    `Try:`,
    `  curl -s ${system.siteUrl}/healthz`,
    `  curl -s ${system.siteUrl}/${ingest.keys.latest}`,
    `  curl -s ${system.siteUrl}/${ingest.keys.csv} | head -3`,
    `  curl -s ${s3.endpoint}/${bucket}/${ingest.keys.json} | head -c 300`,
    `  ${env} npx exchange ingest --bucket ${bucket} --url ${system.exchangeUrl}`,
    ``,
  ].join('\n');
}
