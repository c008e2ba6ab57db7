// The ALB's access logs: a private bucket that only the regional ELB log-delivery account may write to,
// with a retention (logs grow forever otherwise) and TLS-only access like every bucket of ours.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** Key prefix the ALB writes under (it appends AWSLogs/<account>/elasticloadbalancing/…). */
export const ALB_LOG_PREFIX = 'alb';

export interface AlbLogs {
  bucket: aws.s3.Bucket;
  policy: aws.s3.BucketPolicy;
}

/** ELB log delivery may put objects under the prefix; nothing may use plain HTTP. */
export function albLogsBucketPolicy(bucketArn: string, elbAccountArn: string, accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ElbLogDelivery',
        Effect: 'Allow',
        Principal: { AWS: elbAccountArn },
        Action: 's3:PutObject',
        Resource: `${bucketArn}/${ALB_LOG_PREFIX}/AWSLogs/${accountId}/*`,
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

export function createAlbLogs(retentionDays: number): AlbLogs {
  // Auto-named `exchange-alb-logs-…`: the deploy role administers exchange-* buckets only.
  const bucket = new aws.s3.Bucket('exchange-alb-logs', { forceDestroy: false });
  const opts = { parent: bucket };
  const block = new aws.s3.BucketPublicAccessBlock(
    'exchange-alb-logs',
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  // ALB access logs support SSE-S3 only (not SSE-KMS).
  new aws.s3.BucketServerSideEncryptionConfiguration(
    'exchange-alb-logs',
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    'exchange-alb-logs',
    {
      bucket: bucket.id,
      rules: [{ id: 'expire-alb-logs', status: 'Enabled', filter: {}, expiration: { days: retentionDays } }],
    },
    opts,
  );
  // The regional ELB account (aws_elb_service_account): documented for regions opened before August 2022.
  const elb = aws.elb.getServiceAccountOutput({});
  const account = aws.getCallerIdentityOutput({}).accountId;
  const policy = new aws.s3.BucketPolicy(
    'exchange-alb-logs',
    {
      bucket: bucket.id,
      policy: pulumi
        .all([bucket.arn, elb.arn, account])
        .apply(([b, e, a]) => JSON.stringify(albLogsBucketPolicy(b, e, a))),
    },
    { ...opts, dependsOn: [block] },
  );
  return { bucket, policy };
}
