// API operation → the IAM actions AWS authorizes it as. Most operations are authorized as the action of the
// same name; these are the exceptions, each from AWS's own tables:
// - S3: "Required permissions for Amazon S3 API operations"
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html) and each
//   operation's "Permissions" section in the API reference (also in @aws-sdk/client-s3's command docs).
// Any operation not listed maps to `service:Operation`; if no such action exists in the catalogue the proof
// fails naming the operation, so a new exception is added here with its source, never guessed.

const S3: Record<string, string[]> = {
  // "To use HEAD, you must have the s3:GetObject permission" (HeadObject); HeadBucket: s3:ListBucket.
  HeadObject: ['s3:GetObject'],
  HeadBucket: ['s3:ListBucket'],
  ListObjectsV2: ['s3:ListBucket'],
  ListObjects: ['s3:ListBucket'],
  ListObjectVersions: ['s3:ListBucketVersions'],
  // CopyObject reads the source and writes the destination.
  CopyObject: ['s3:GetObject', 's3:PutObject'],
  DeleteObjects: ['s3:DeleteObject'],
  GetBucketEncryption: ['s3:GetEncryptionConfiguration'],
  PutBucketEncryption: ['s3:PutEncryptionConfiguration'],
  DeleteBucketEncryption: ['s3:PutEncryptionConfiguration'],
  GetBucketLifecycleConfiguration: ['s3:GetLifecycleConfiguration'],
  PutBucketLifecycleConfiguration: ['s3:PutLifecycleConfiguration'],
  DeleteBucketLifecycle: ['s3:PutLifecycleConfiguration'],
  GetBucketAccelerateConfiguration: ['s3:GetAccelerateConfiguration'],
  PutBucketAccelerateConfiguration: ['s3:PutAccelerateConfiguration'],
  GetBucketCors: ['s3:GetBucketCORS'],
  PutBucketCors: ['s3:PutBucketCORS'],
  DeleteBucketCors: ['s3:PutBucketCORS'],
  GetBucketReplication: ['s3:GetReplicationConfiguration'],
  PutBucketReplication: ['s3:PutReplicationConfiguration'],
  DeleteBucketReplication: ['s3:PutReplicationConfiguration'],
  DeleteBucketTagging: ['s3:PutBucketTagging'],
  GetObjectLockConfiguration: ['s3:GetBucketObjectLockConfiguration'],
  PutObjectLockConfiguration: ['s3:PutBucketObjectLockConfiguration'],
  GetPublicAccessBlock: ['s3:GetBucketPublicAccessBlock'],
  PutPublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
  DeletePublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
  DeleteBucketOwnershipControls: ['s3:PutBucketOwnershipControls'],
};

const EXCEPTIONS: Record<string, Record<string, string[]>> = { s3: S3 };

/** `s3:HeadObject` → `['s3:GetObject']`; `ecs:RunTask` → `['ecs:RunTask']`. */
export function iamActionsFor(operation: string): string[] {
  const [service = '', op = ''] = operation.split(':');
  return EXCEPTIONS[service]?.[op] ?? [`${service}:${op}`];
}

/**
 * S3 answers a read of a missing key with 404 only to a caller with "the s3:ListBucket permission on the
 * bucket", else 403 (GetObject and HeadObject API reference): code that treats 404 as "not there yet" needs
 * ListBucket on the bucket, with no s3:prefix (the read is not a list request).
 */
export const READS_THAT_NEED_LISTBUCKET = ['s3:GetObject', 's3:HeadObject'];
