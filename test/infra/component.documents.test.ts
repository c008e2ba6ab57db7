// Pure documents of ExchangeEnvironment: IAM and bucket policies (exact actions and resources),
// the container definition, lifecycle rules, and the container health check run for real.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import {
  containerDefinition,
  HEALTH_CHECK_COMMAND,
  serveCommand,
} from '../../components/exchangeEnvironment/container.ts';
import { ingestCommand, INGEST_RUN, RUN_KIND_ENV } from '../../contract/ingestTask.ts';
import { LIVENESS_PATH, READINESS_PATH } from '../../contract/index.ts';
import { S3_ACCESS } from '../../contract/s3Access.ts';
import {
  bucketPolicy,
  registryCredentialsPolicy,
  schedulerPolicy,
  serviceTrustPolicy,
  taskRolePolicy,
} from '../../components/exchangeEnvironment/policies.ts';
import { lifecycleRules } from '../../components/exchangeEnvironment/storage.ts';

const B = 'arn:aws:s3:::exchange-green-site-abc1234';

describe('ExchangeEnvironment policy documents', () => {
  it('bucket policy: public GetObject on site keys only, TLS required for everything else', () => {
    const site = [`${B}/index.html`, `${B}/error.html`, `${B}/assets/*`, `${B}/data/*`];
    const insecure = { Bool: { 'aws:SecureTransport': 'false' } };
    assert.deepEqual(bucketPolicy(B), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicReadSiteKeys',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: site,
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          NotResource: site,
          Condition: insecure,
        },
        {
          Sid: 'DenyInsecureSiteKeyChanges',
          Effect: 'Deny',
          Principal: '*',
          NotAction: ['s3:GetObject'],
          Resource: site,
          Condition: insecure,
        },
      ],
    });
    const text = JSON.stringify(bucketPolicy(B).Statement.filter((s) => s.Effect === 'Allow'));
    assert.ok(!text.includes('raw/') && !text.includes('failed/'), 'raw/ and failed/ are never public');
  });

  it('serve role: reads site keys and lists the bucket, never writes', () => {
    const doc = taskRolePolicy(B, S3_ACCESS.serve);
    const actions = doc.Statement.map((st) => st.Action);
    assert.deepEqual(
      actions,
      ['s3:GetObject', 's3:ListBucket'],
      'the always-on service must not hold PutObject',
    );
    assert.deepEqual(doc.Statement[0]?.Resource, [
      `${B}/data/latest.json`,
      `${B}/data/*`,
      `${B}/index.html`,
      `${B}/error.html`,
      `${B}/assets/*`,
    ]);
    assert.equal(doc.Statement[1]?.Resource, B, 'ListBucket is a bucket-level action');
  });

  it('ingest role: PutObject exactly on the keys the contract lists, plus the reads', () => {
    const doc = taskRolePolicy(B, S3_ACCESS.ingest);
    const put = doc.Statement.find((st) => st.Action === 's3:PutObject');
    assert.deepEqual(put?.Resource, [
      `${B}/raw/*`,
      `${B}/failed/*`,
      `${B}/data/*`,
      `${B}/index.html`,
      `${B}/error.html`,
      `${B}/assets/*`,
    ]);
    assert.ok(
      doc.Statement.every((st) => !String(st.Action).includes('*')),
      'no wildcard actions',
    );
  });

  it('registry credentials: GetSecretValue on exactly one secret', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghcr-AbCdEf';
    assert.deepEqual(registryCredentialsPolicy(arn).Statement, [
      {
        Sid: 'ReadRegistryCredentials',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: arn,
      },
    ]);
  });

  it('scheduler: RunTask on the family in the cluster, PassRole of the task roles to ECS, its DLQ only', () => {
    const family = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/exchange-green';
    const cluster = 'arn:aws:ecs:eu-west-1:123456789012:cluster/exchange';
    const roles = ['arn:aws:iam::123456789012:role/ingest', 'arn:aws:iam::123456789012:role/exec'];
    const dlq = 'arn:aws:sqs:eu-west-1:123456789012:exchange-green-ingest-dlq';
    assert.deepEqual(schedulerPolicy(family, cluster, roles, dlq).Statement, [
      {
        Sid: 'RunIngestTask',
        Effect: 'Allow',
        Action: 'ecs:RunTask',
        Resource: `${family}:*`,
        Condition: { ArnEquals: { 'ecs:cluster': cluster } },
      },
      {
        Sid: 'PassTaskRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: roles,
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
      { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: dlq },
    ]);
  });

  it('trust policies: the service principal, limited to the account when given', () => {
    assert.deepEqual(serviceTrustPolicy('scheduler.amazonaws.com', '123456789012').Statement, [
      {
        Sid: 'TrustService',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
    assert.equal(serviceTrustPolicy('ecs-tasks.amazonaws.com').Statement[0]?.Condition, undefined);
  });
});

describe('ExchangeEnvironment container definition', () => {
  const inputs = {
    image: 'ghcr.io/acme/exchange:1.4.2',
    command: serveCommand('bkt', '96h'),
    bucket: 'bkt',
    color: 'blue' as const,
    version: '1.4.2',
    source: 'dse',
    region: 'eu-west-1',
    logGroupName: 'exchange-blue-logs-1234567',
    stopTimeoutSeconds: 30,
    memory: 512,
  };

  it('wires name, port, env, health check, init process and awslogs', () => {
    const c = containerDefinition(inputs);
    assert.equal(c.name, 'exchange');
    assert.deepEqual(c.command, ['serve', '--bucket', 'bkt', '--port', '8080', '--max-age', '96h']);
    assert.deepEqual(c.portMappings, [{ containerPort: 8080, protocol: 'tcp' }]);
    assert.deepEqual(c.environment, [
      { name: 'EXCHANGE_BUCKET', value: 'bkt' },
      { name: 'EXCHANGE_COLOR', value: 'blue' },
      { name: 'EXCHANGE_VERSION', value: '1.4.2' },
      { name: 'EXCHANGE_SOURCE', value: 'dse' },
      { name: 'PORT', value: '8080' },
      { name: 'AWS_REGION', value: 'eu-west-1' },
      { name: 'NODE_OPTIONS', value: '--max-old-space-size=192' },
    ]);
    assert.deepEqual(c.healthCheck, {
      command: HEALTH_CHECK_COMMAND,
      interval: 10,
      timeout: 5,
      retries: 3,
      startPeriod: 10,
    });
    assert.deepEqual(c.linuxParameters, { initProcessEnabled: true });
    assert.equal(c.stopTimeout, 30);
    assert.deepEqual(c.logConfiguration, {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': 'exchange-blue-logs-1234567',
        'awslogs-region': 'eu-west-1',
        'awslogs-stream-prefix': 'blue',
      },
    });
    assert.equal('repositoryCredentials' in c, false);
  });

  it('adds repositoryCredentials only for a private registry', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghcr-AbCdEf';
    assert.deepEqual(
      containerDefinition({ ...inputs, registryCredentialsSecretArn: arn }).repositoryCredentials,
      { credentialsParameter: arn },
    );
  });

  it('ingest override passes source and bucket', () => {
    assert.deepEqual(ingestCommand('dse', 'bkt'), ['ingest', '--source', 'dse', '--bucket', 'bkt']);
  });

  describe('health check command, run with node against a loopback server', () => {
    let server: Server;
    let status = 200;
    let port = 0;
    const exec = promisify(execFile);
    before(async () => {
      server = createServer((req, res) => {
        // Readiness is always failing here: stale or missing data must never fail the container check.
        res.statusCode = req.url === LIVENESS_PATH ? status : req.url === READINESS_PATH ? 503 : 404;
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Runs the exact script ECS runs, only pointed at this server's port. */
    async function probe(targetPort: number, env: NodeJS.ProcessEnv = {}): Promise<number> {
      const [cmd, bin, flag, script] = HEALTH_CHECK_COMMAND;
      assert.equal(cmd, 'CMD');
      assert.ok(
        script?.includes(`http://127.0.0.1:8080${LIVENESS_PATH}`),
        'the container check probes liveness',
      );
      try {
        const { [RUN_KIND_ENV]: _ignored, ...base } = process.env;
        await exec(bin ?? 'node', [flag ?? '-e', (script ?? '').replace(':8080/', `:${targetPort}/`)], {
          env: { ...base, ...env },
        });
        return 0;
      } catch (err) {
        return (err as { code: number }).code;
      }
    }
    it('exits 0 on 200', async () => {
      status = 200;
      assert.equal(await probe(port), 0);
    });
    it('exits 1 on 503', async () => {
      status = 503;
      assert.equal(await probe(port), 1);
    });
    it('exits 1 when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const deadPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      assert.equal(await probe(deadPort), 1);
    });
    it("exits 0 in the scheduled ingest run (no server): serve's check must not judge ingest", async () => {
      const [, , , script] = HEALTH_CHECK_COMMAND;
      assert.ok(script?.includes(RUN_KIND_ENV));
      assert.equal(await probe(1, { [RUN_KIND_ENV]: INGEST_RUN }), 0);
    });
  });
});

describe('ExchangeEnvironment lifecycle rules', () => {
  it('expires raw/ and failed/ and every noncurrent version', () => {
    assert.deepEqual(
      lifecycleRules({ rawRetentionDays: 365, failedRetentionDays: 30, noncurrentVersionRetentionDays: 14 }),
      [
        {
          id: 'expire-raw',
          status: 'Enabled',
          filter: { prefix: 'raw/' },
          expiration: { days: 365 },
          noncurrentVersionExpiration: { noncurrentDays: 14 },
        },
        {
          id: 'expire-failed',
          status: 'Enabled',
          filter: { prefix: 'failed/' },
          expiration: { days: 30 },
          noncurrentVersionExpiration: { noncurrentDays: 14 },
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: 14 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    );
  });
});
