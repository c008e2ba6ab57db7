// Embedded S3 for tests: a fresh s3rver in a temp dir, a client for it, and small readers for
// asserting what a publish left in the bucket. close() stops the server and removes the dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { embeddedS3Client } from '../../local/embeddedClient.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../../local/embeddedS3.ts';

export interface TestS3 {
  server: EmbeddedS3;
  client: S3Client;
  bucket: string;
  dir: string;
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'test-bucket'): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), 'exchange-s3-'));
  const server = await startEmbeddedS3({ dir, buckets: [bucket] });
  const client = embeddedS3Client(server, { maxAttempts: 2 });
  return {
    server,
    client,
    bucket,
    dir,
    close: async () => {
      client.destroy();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function listKeys(client: S3Client, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

export interface StoredObject {
  body: Buffer;
  contentType: string | undefined;
  cacheControl: string | undefined;
}

export async function getObject(client: S3Client, bucket: string, key: string): Promise<StoredObject> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = await out.Body?.transformToByteArray();
  return { body: Buffer.from(bytes ?? []), contentType: out.ContentType, cacheControl: out.CacheControl };
}

/** Every object's bytes, for "nothing changed" assertions. */
export async function snapshot(client: S3Client, bucket: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const key of await listKeys(client, bucket)) out.set(key, (await getObject(client, bucket, key)).body);
  return out;
}
