// Test fixture: an embedded S3 holding real ingest output — a real page parsed by parsePage and
// written by the ingest's real publishDays() — plus helpers to change the bucket under a running server.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ENV, LAYOUT, type LatestPointer } from '../../contract/index.ts';
import { silentLogger } from '../../lib/log.ts';
import { EMBEDDED_CREDENTIALS, startEmbeddedS3, type EmbeddedS3 } from '../../local/embeddedS3.ts';
import { publishDay } from '../helpers/publish.ts';
import { s3ClientConfig } from '../../ingest/publish/s3Client.ts';
import { getSource, parsePage } from '../../ingest/source/index.ts';

export const PAGES = {
  dse: 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html',
  gpw: 'test/fixtures/pages/real/gpw-warsaw/price-archive-full_equities_2021-01-04_en.html',
  gpwQuotations: 'test/fixtures/pages/real/gpw-warsaw/quotations-table-fragment_equities_2021-07-02_en.html',
} as const;

export interface PublishOptions {
  page?: keyof typeof PAGES;
  generatedAt?: string;
  version?: string;
  /** Rewrite parsed quotes before publishing (e.g. to plant hostile names). */
  edit?: (quotes: ReturnType<typeof parsePage>['quotes']) => void;
}

export interface PublishedBucket {
  bucket: string;
  s3: S3Client;
  embedded: EmbeddedS3;
  /** Environment a child `exchange serve` needs to reach this bucket. */
  env: NodeJS.ProcessEnv;
  publish(options?: PublishOptions): Promise<LatestPointer>;
  put(key: string, body: string, contentType?: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Stops the S3 server while the bucket fixture stays (simulates an S3 outage). */
  stopS3(): Promise<void>;
  close(): Promise<void>;
}

export async function startPublishedBucket(bucket = 'site-test'): Promise<PublishedBucket> {
  const dir = await mkdtemp(join(tmpdir(), 'serve-s3-'));
  const embedded = await startEmbeddedS3({ dir, buckets: [bucket] });
  const env = {
    [ENV.s3Endpoint]: embedded.endpoint,
    AWS_REGION: embedded.region,
    AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
  };
  let s3Running = true;
  const stopS3 = async (): Promise<void> => {
    if (!s3Running) return;
    s3Running = false;
    await embedded.close();
  };
  const s3 = new S3Client({ ...s3ClientConfig({ env }), credentials: { ...EMBEDDED_CREDENTIALS } });
  return {
    bucket,
    s3,
    embedded,
    env,
    async publish(o: PublishOptions = {}) {
      const page = o.page ?? 'dse';
      const body = await readFile(PAGES[page]);
      const parsed = parsePage({ body });
      o.edit?.(parsed.quotes);
      const source = getSource(parsed.source);
      const date = parsed.quotes[0]?.date ?? '2026-04-23';
      const generatedAt = o.generatedAt ?? new Date().toISOString();
      const result = await publishDay(
        s3,
        {
          bucket,
          source,
          date,
          quotes: parsed.quotes,
          rejectedCount: parsed.rejected.length,
          raw: { body, ext: source.ext },
          sourceUrl: source.defaultUrl,
          fetchedAt: generatedAt,
          generatedAt,
          version: o.version ?? '1.2.3-test',
        },
        silentLogger,
        { now: () => Date.parse(generatedAt) + 1000 },
      );
      return result.pointer;
    },
    async put(key, text, contentType = 'application/json') {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: contentType }));
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    stopS3,
    async close() {
      s3.destroy();
      await stopS3();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const POINTER_KEY = LAYOUT.latestKey;
