// An S3 client for the embedded server: the production client config (path-style endpoint,
// checksums, retries) plus s3rver's fixed public credentials. Local runs and tests only; deployed
// code builds its client with createS3Client() and the default credential chain.
import { S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig, type S3ClientOptions } from '../ingest/publish/s3Client.ts';
import type { EmbeddedS3 } from './embeddedS3.ts';

export type EmbeddedEndpoint = Pick<EmbeddedS3, 'endpoint' | 'accessKeyId' | 'secretAccessKey' | 'region'>;

export function embeddedS3Client(
  server: EmbeddedEndpoint,
  options: Omit<S3ClientOptions, 'env'> & { endpoint?: string } = {},
): S3Client {
  const { endpoint, ...rest } = options;
  const env = { AWS_ENDPOINT_URL_S3: endpoint ?? server.endpoint, AWS_REGION: server.region };
  return new S3Client({
    ...s3ClientConfig({ ...rest, env }),
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
}
