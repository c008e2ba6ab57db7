// The environment's bucket and its split configuration resources (aws 7.x deprecates the inline
// Bucket fields): website, ownership, public access, encryption, versioning, lifecycle, policy.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { LAYOUT } from '../../contract/index.ts';
import type { ResolvedArgs } from './args.ts';
import type { EnvironmentNames } from './naming.ts';
import { bucketPolicy } from './policies.ts';

export interface Storage {
  bucket: aws.s3.Bucket;
  website: aws.s3.BucketWebsiteConfiguration;
  ownership: aws.s3.BucketOwnershipControls;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  versioning: aws.s3.BucketVersioning;
  lifecycle: aws.s3.BucketLifecycleConfiguration;
  policy: aws.s3.BucketPolicy;
}

export function createStorage(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  tags: Record<string, string>,
): Storage {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(n.bucket, { forceDestroy: r.forceDestroyBucket, tags }, opts);
  const id = bucket.id;
  const website = new aws.s3.BucketWebsiteConfiguration(
    `${n.bucket}-website`,
    {
      bucket: id,
      indexDocument: { suffix: LAYOUT.indexKey },
      errorDocument: { key: LAYOUT.errorKey },
    },
    opts,
  );
  // ACLs off: the bucket policy is the only grant, so no object can be made public by an upload.
  const ownership = new aws.s3.BucketOwnershipControls(
    `${n.bucket}-ownership`,
    { bucket: id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
    opts,
  );
  // New buckets block public policies; the website needs one, but public ACLs stay blocked.
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${n.bucket}-public-access`,
    {
      bucket: id,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    },
    opts,
  );
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    `${n.bucket}-encryption`,
    {
      bucket: id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: false }],
    },
    opts,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${n.bucket}-versioning`,
    { bucket: id, versioningConfiguration: { status: 'Enabled' } },
    opts,
  );
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    `${n.bucket}-lifecycle`,
    {
      bucket: id,
      rules: lifecycleRules(r),
    },
    { parent, dependsOn: [versioning] },
  );
  // PutBucketPolicy with a public statement fails with AccessDenied until the public access block is relaxed.
  const policy = new aws.s3.BucketPolicy(
    `${n.bucket}-policy`,
    {
      bucket: id,
      policy: bucket.arn.apply((arn) => JSON.stringify(bucketPolicy(arn))),
    },
    { parent, dependsOn: [publicAccessBlock, ownership] },
  );
  return { bucket, website, ownership, publicAccessBlock, encryption, versioning, lifecycle, policy };
}

/** raw/ and failed/ expire; superseded versions and stalled uploads everywhere are cleaned up. */
export function lifecycleRules(
  r: Pick<ResolvedArgs, 'rawRetentionDays' | 'failedRetentionDays' | 'noncurrentVersionRetentionDays'>,
) {
  const noncurrentVersionExpiration = { noncurrentDays: r.noncurrentVersionRetentionDays };
  return [
    {
      id: 'expire-raw',
      status: 'Enabled',
      filter: { prefix: LAYOUT.rawPrefix },
      expiration: { days: r.rawRetentionDays },
      noncurrentVersionExpiration,
    },
    {
      id: 'expire-failed',
      status: 'Enabled',
      filter: { prefix: LAYOUT.failedPrefix },
      expiration: { days: r.failedRetentionDays },
      noncurrentVersionExpiration,
    },
    {
      id: 'expire-noncurrent-versions',
      status: 'Enabled',
      filter: {},
      noncurrentVersionExpiration,
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    },
  ];
}
