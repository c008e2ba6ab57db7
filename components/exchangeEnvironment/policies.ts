// IAM and bucket policy documents as pure functions of plain ARNs, so tests can assert the exact
// actions and resources without a Pulumi runtime.
import { LAYOUT, PUBLIC_KEY_PATTERNS } from '../../contract/index.ts';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { Service: string };
  Action?: string | string[];
  NotAction?: string[];
  Resource?: string | string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const keys = (bucketArn: string, patterns: readonly string[]) => patterns.map((p) => `${bucketArn}/${p}`);

/** Keys the app writes: everything it produces, and nothing else. */
export const WRITE_KEY_PATTERNS = [
  `${LAYOUT.rawPrefix}*`,
  `${LAYOUT.failedPrefix}*`,
  `${LAYOUT.dataPrefix}*`,
  LAYOUT.indexKey,
  LAYOUT.errorKey,
  `${LAYOUT.assetsPrefix}*`,
];
/** Keys the app reads back (serve, and ingest's previous pointer): the public site keys only. */
export const READ_KEY_PATTERNS = [
  `${LAYOUT.dataPrefix}*`,
  LAYOUT.indexKey,
  LAYOUT.errorKey,
  `${LAYOUT.assetsPrefix}*`,
];

/**
 * Public reads of site keys only, and TLS for everything else. The S3 website endpoint is HTTP-only and
 * its requests carry aws:SecureTransport=false, so a blanket non-TLS deny would 403 the website: the deny
 * therefore spares exactly the anonymous GetObject of public site keys.
 */
export function bucketPolicy(bucketArn: string): PolicyDocument {
  const siteKeys = keys(bucketArn, PUBLIC_KEY_PATTERNS);
  const insecure = { Bool: { 'aws:SecureTransport': 'false' } };
  return doc(
    {
      Sid: 'PublicReadSiteKeys',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: siteKeys,
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      NotResource: siteKeys,
      Condition: insecure,
    },
    {
      Sid: 'DenyInsecureSiteKeyChanges',
      Effect: 'Deny',
      Principal: '*',
      NotAction: ['s3:GetObject'],
      Resource: siteKeys,
      Condition: insecure,
    },
  );
}

/** The app's own bucket, only the prefixes it writes and reads; no ListBucket (it reads known keys only). */
export function taskRolePolicy(bucketArn: string): PolicyDocument {
  return doc(
    {
      Sid: 'WriteOwnKeys',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: keys(bucketArn, WRITE_KEY_PATTERNS),
    },
    {
      Sid: 'ReadSiteKeys',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: keys(bucketArn, READ_KEY_PATTERNS),
    },
  );
}

/** The registry credentials secret, exactly: the execution role pulls the private image with it. */
export function registryCredentialsPolicy(secretArn: string): PolicyDocument {
  return doc({
    Sid: 'ReadRegistryCredentials',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: secretArn,
  });
}

/**
 * RunTask of any revision of this colour's family, only on the shared cluster, and PassRole of exactly the
 * two task roles, only to ECS tasks.
 */
export function schedulerPolicy(
  familyArn: string,
  clusterArn: string,
  passRoleArns: string[],
): PolicyDocument {
  return doc(
    {
      Sid: 'RunIngestTask',
      Effect: 'Allow',
      Action: 'ecs:RunTask',
      Resource: `${familyArn}:*`,
      Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
    },
    {
      Sid: 'PassTaskRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: passRoleArns,
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  );
}

/**
 * Trust for an AWS service. With `accountId`, only on behalf of our account (confused-deputy protection,
 * documented for ECS task roles and EventBridge Scheduler); the execution role's documented trust has none.
 */
export function serviceTrustPolicy(service: string, accountId?: string): PolicyDocument {
  const statement: PolicyStatement = {
    Sid: 'TrustService',
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
  };
  if (accountId !== undefined) statement.Condition = { StringEquals: { 'aws:SourceAccount': accountId } };
  return doc(statement);
}
