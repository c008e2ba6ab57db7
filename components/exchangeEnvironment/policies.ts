// IAM and bucket policy documents as pure functions of plain ARNs, so tests can assert the exact
// actions and resources without a Pulumi runtime.
import { PUBLIC_KEY_PATTERNS } from '../../contract/index.ts';
import { S3_ACCESS, type S3Access } from '../../contract/s3Access.ts';

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

/**
 * One app role's S3 access, derived from the list the app itself is tested against (contract/s3Access.ts):
 * each grant's action on exactly its keys, and ListBucket on the bucket when the list asks for it.
 */
export function taskRolePolicy(bucketArn: string, access: S3Access = S3_ACCESS.serve): PolicyDocument {
  const statements: PolicyStatement[] = access.objects.map((g) => ({
    Sid: g.action === 's3:PutObject' ? 'WriteOwnKeys' : 'ReadSiteKeys',
    Effect: 'Allow',
    Action: g.action,
    Resource: keys(bucketArn, g.keys),
  }));
  if (access.listBucket)
    statements.push({
      Sid: 'TellMissingFromDenied',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
    });
  return doc(...statements);
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
 * RunTask of any revision of this colour's family, only on the shared cluster; PassRole of exactly the
 * task roles, only to ECS tasks: the ingest role (RunTask's overrides.taskRoleArn), the execution role and
 * the serve role the task definition names (ECS may check the definition's role even when overridden); and
 * SendMessage to the schedule's dead-letter queue (Scheduler delivers failed invocations with this role).
 */
export function schedulerPolicy(
  familyArn: string,
  clusterArn: string,
  passRoleArns: string[],
  deadLetterQueueArn: string,
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
    { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetterQueueArn },
  );
}

/**
 * Who may publish to the colour's alert topic: EventBridge for this colour's ingest-failure rule, and
 * CloudWatch for the dead-letter-queue alarm (a topic policy replaces SNS's default one, which is what lets
 * same-account alarms publish: without this statement the alarm fires into nothing). Each is held to its
 * one source by aws:SourceArn (SNS access policy use cases, "CloudWatch alarms").
 */
export function alertTopicPolicy(topicArn: string, ruleArn: string, alarmArn: string): PolicyDocument {
  return doc(
    {
      Sid: 'EventBridgePublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    },
    {
      Sid: 'CloudWatchAlarmPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { ArnEquals: { 'aws:SourceArn': alarmArn } },
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
