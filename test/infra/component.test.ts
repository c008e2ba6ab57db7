// ExchangeEnvironment on Pulumi's mock runtime, storage and task side: every registered child, the
// bucket and its policy, the IAM roles, logs and the task definition; overrides and error paths.
import assert from 'node:assert/strict';
import type { ExchangeEnvironmentArgs } from '../../components/exchangeEnvironment/args.ts';
import {
  bucketPolicy,
  serviceTrustPolicy,
  taskRolePolicy,
} from '../../components/exchangeEnvironment/policies.ts';
import { S3_ACCESS } from '../../contract/s3Access.ts';
import { promiseOf, settle } from '../../infra/testing/mocks.ts';
import {
  baseArgs,
  DIGEST_IMAGE,
  SECRET,
  useComponentFixture,
  type Environment,
} from './component.helpers.ts';

describe('ExchangeEnvironment component: storage, roles, task (mocks)', () => {
  const f = useComponentFixture();

  describe('with defaults', () => {
    let env: Environment;
    beforeEach(async () => {
      env = await f.build();
    });
    it('registers every child once, parented to the component', async () => {
      const component = f.h.one('exchange:index:ExchangeEnvironment');
      assert.equal(component.urn, await promiseOf(env.urn));
      const children = f.h.resources.filter((r) => r !== component);
      assert.deepEqual(children.map((r) => r.type).sort(), [
        'aws:appautoscaling/policy:Policy',
        'aws:appautoscaling/policy:Policy',
        'aws:appautoscaling/target:Target',
        'aws:cloudwatch/eventRule:EventRule',
        'aws:cloudwatch/eventTarget:EventTarget',
        'aws:cloudwatch/logGroup:LogGroup',
        'aws:cloudwatch/metricAlarm:MetricAlarm',
        'aws:ec2/securityGroup:SecurityGroup',
        'aws:ecs/service:Service',
        'aws:ecs/taskDefinition:TaskDefinition',
        'aws:iam/role:Role',
        'aws:iam/role:Role',
        'aws:iam/role:Role',
        'aws:iam/role:Role',
        'aws:iam/rolePolicy:RolePolicy',
        'aws:iam/rolePolicy:RolePolicy',
        'aws:iam/rolePolicy:RolePolicy',
        'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
        'aws:lb/listenerRule:ListenerRule',
        'aws:lb/targetGroup:TargetGroup',
        'aws:s3/bucket:Bucket',
        'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
        'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
        'aws:s3/bucketPolicy:BucketPolicy',
        'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
        'aws:s3/bucketVersioning:BucketVersioning',
        'aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration',
        'aws:scheduler/schedule:Schedule',
        'aws:sns/topic:Topic',
        'aws:sns/topicPolicy:TopicPolicy',
        'aws:sqs/queue:Queue',
        'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
        'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
      ]);
      for (const child of children) {
        assert.equal(child.parent, component.urn, `${child.name} parent`);
        assert.ok(child.name.startsWith('exchange-green-'), `${child.name} carries the colour`);
        assert.ok(child.urn.includes('exchange:index:ExchangeEnvironment$'), child.urn);
      }
      assert.deepEqual(component.inputs, { color: 'green', source: 'dse', version: '1.4.2' });
    });

    it('configures the bucket for a public website with versioning, AES256 and no ACLs', async () => {
      const bucket = f.h.one('aws:s3/bucket:Bucket');
      const bucketId = await promiseOf(env.resources.bucket.id);
      assert.equal(bucket.inputs.forceDestroy, false);
      assert.deepEqual(bucket.inputs.tags, { 'exchange:color': 'green' });
      for (const t of [
        'WebsiteConfiguration',
        'OwnershipControls',
        'PublicAccessBlock',
        'ServerSideEncryptionConfiguration',
        'Versioning',
        'LifecycleConfiguration',
        'Policy',
      ]) {
        assert.equal(f.h.ofType(`aws:s3/bucket${t}:Bucket${t}`)[0]?.inputs.bucket, bucketId, t);
      }
      const website = f.h.one('aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration');
      assert.deepEqual(
        [website.inputs.indexDocument, website.inputs.errorDocument],
        [{ suffix: 'index.html' }, { key: 'error.html' }],
      );
      assert.deepEqual(f.h.one('aws:s3/bucketOwnershipControls:BucketOwnershipControls').inputs.rule, {
        objectOwnership: 'BucketOwnerEnforced',
      });
      const pab = f.h.one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs;
      assert.deepEqual(
        [pab.blockPublicAcls, pab.ignorePublicAcls, pab.blockPublicPolicy, pab.restrictPublicBuckets],
        [true, true, false, false],
      );
      const sse = f.h.one(
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      ).inputs;
      assert.equal(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, 'AES256');
      assert.deepEqual(f.h.one('aws:s3/bucketVersioning:BucketVersioning').inputs.versioningConfiguration, {
        status: 'Enabled',
      });
      const rules = f.h.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs
        .rules as { id: string; expiration?: { days: number } }[];
      assert.deepEqual(
        rules.map((r) => [r.id, r.expiration?.days]),
        [
          ['expire-raw', 365],
          ['expire-failed', 30],
          ['expire-noncurrent-versions', undefined],
        ],
      );
    });

    it('bucket policy is the exact document for this bucket, applied after the public access block', async () => {
      const policy = f.h.one('aws:s3/bucketPolicy:BucketPolicy');
      const arn = await f.arnOf(env.resources.bucket);
      assert.match(arn, /^arn:aws:s3:::exchange-green-site-[0-9a-f]{7}$/);
      assert.deepEqual(JSON.parse(policy.inputs.policy), bucketPolicy(arn));
      assert.ok(
        policy.dependencies.includes(f.h.one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').urn),
      );
      const lifecycle = f.h.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
      assert.ok(lifecycle.dependencies.includes(f.h.one('aws:s3/bucketVersioning:BucketVersioning').urn));
    });

    it('task role: trusted by ECS tasks of this account, S3 policy on its own bucket only', async () => {
      const role = f.h.one('aws:iam/role:Role', 'exchange-green-task');
      assert.deepEqual(
        JSON.parse(role.inputs.assumeRolePolicy),
        serviceTrustPolicy('ecs-tasks.amazonaws.com', '123456789012'),
      );
      const policy = f.h.one('aws:iam/rolePolicy:RolePolicy', 'exchange-green-task-s3');
      assert.equal(policy.inputs.role, await promiseOf(env.resources.taskRole.name));
      assert.deepEqual(
        JSON.parse(policy.inputs.policy),
        taskRolePolicy(await f.arnOf(env.resources.bucket), S3_ACCESS.serve),
      );
    });

    it('ingest role: its own role with the write grants; the service role cannot write', async () => {
      const bucket = await f.arnOf(env.resources.bucket);
      const ingest = f.h.one('aws:iam/rolePolicy:RolePolicy', 'exchange-green-ingest-task-s3');
      assert.equal(ingest.inputs.role, await promiseOf(env.resources.ingestRole.name));
      assert.deepEqual(JSON.parse(ingest.inputs.policy), taskRolePolicy(bucket, S3_ACCESS.ingest));
      const serve = f.h.one('aws:iam/rolePolicy:RolePolicy', 'exchange-green-task-s3').inputs.policy;
      assert.ok(!serve.includes('s3:PutObject'), 'the always-on service role must not hold PutObject');
    });

    it('task definition waits for the execution role attachment and the task role policy (IAM propagation)', () => {
      const td = f.h.one('aws:ecs/taskDefinition:TaskDefinition');
      for (const dep of [
        f.h.one('aws:iam/rolePolicyAttachment:RolePolicyAttachment'),
        f.h.one('aws:iam/rolePolicy:RolePolicy', 'exchange-green-task-s3'),
      ])
        assert.ok(td.dependencies.includes(dep.urn), `task definition dependsOn ${dep.name}`);
    });

    it('execution role: the managed ECS policy, and no secret access for a public image', async () => {
      const role = f.h.one('aws:iam/role:Role', 'exchange-green-exec');
      assert.deepEqual(
        JSON.parse(role.inputs.assumeRolePolicy),
        serviceTrustPolicy('ecs-tasks.amazonaws.com'),
      );
      const attachment = f.h.one('aws:iam/rolePolicyAttachment:RolePolicyAttachment');
      assert.equal(
        attachment.inputs.policyArn,
        'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      );
      assert.equal(attachment.inputs.role, await promiseOf(env.resources.executionRole.name));
      assert.equal(env.resources.registryCredentialsPolicy, undefined);
      assert.equal(
        f.h.ofType('aws:iam/rolePolicy:RolePolicy').filter((p) => p.name.includes('registry')).length,
        0,
      );
      assert.equal('repositoryCredentials' in (f.containers()[0] ?? {}), false);
    });

    it('log group keeps 30 days and is the awslogs target', async () => {
      const logGroup = f.h.one('aws:cloudwatch/logGroup:LogGroup');
      assert.equal(logGroup.inputs.retentionInDays, 30);
      const [c] = f.containers();
      assert.equal(
        c?.logConfiguration.options['awslogs-group'],
        await promiseOf(env.resources.logGroup.name),
      );
      assert.equal(c?.logConfiguration.options['awslogs-region'], 'eu-west-1');
    });

    it('task definition: Fargate family per colour, valid size, both roles, serve command', async () => {
      const td = f.h.one('aws:ecs/taskDefinition:TaskDefinition').inputs;
      assert.equal(td.family, 'exchange-green');
      assert.deepEqual(
        [td.cpu, td.memory, td.networkMode, td.requiresCompatibilities],
        ['256', '512', 'awsvpc', ['FARGATE']],
      );
      assert.deepEqual(td.runtimePlatform, { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' });
      assert.equal(td.taskRoleArn, await f.arnOf(env.resources.taskRole));
      assert.equal(td.executionRoleArn, await f.arnOf(env.resources.executionRole));
      const list = f.containers();
      assert.equal(list.length, 1);
      const bucket = await promiseOf(env.bucketName);
      assert.equal(list[0]?.image, DIGEST_IMAGE);
      assert.deepEqual(list[0]?.command, ['serve', '--bucket', bucket, '--port', '8080', '--max-age', '96h']);
      assert.deepEqual(
        list[0]?.environment.find((e: { name: string }) => e.name === 'EXCHANGE_BUCKET'),
        { name: 'EXCHANGE_BUCKET', value: bucket },
      );
      assert.deepEqual(list[0]?.linuxParameters, { initProcessEnabled: true });
      assert.equal(list[0]?.stopTimeout, 30);
    });
  });

  it('private registry: execution role reads exactly that secret and the container uses it', async () => {
    const env = await f.build({ registryCredentialsSecretArn: SECRET });
    const policy = f.h.one('aws:iam/rolePolicy:RolePolicy', 'exchange-green-exec-registry');
    assert.equal(policy.inputs.role, await promiseOf(env.resources.executionRole.name));
    assert.deepEqual(JSON.parse(policy.inputs.policy).Statement, [
      {
        Sid: 'ReadRegistryCredentials',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: SECRET,
      },
    ]);
    assert.deepEqual(f.containers()[0]?.repositoryCredentials, { credentialsParameter: SECRET });
  });

  it('honours overrides: size, count, public IP, retention, timezone, command, delays', async () => {
    await f.build({
      cpu: 1024,
      memory: 3072,
      desiredCount: 1,
      autoScaling: { minCapacity: 1 },
      assignPublicIp: true,
      logRetentionDays: 7,
      scheduleTimezone: 'Asia/Dhaka',
      command: ['serve', '--bucket', 'x'],
      deregistrationDelaySeconds: 5,
      healthCheckGracePeriodSeconds: 60,
      stopTimeoutSeconds: 20,
      tags: { team: 'markets' },
    });
    const td = f.h.one('aws:ecs/taskDefinition:TaskDefinition').inputs;
    assert.deepEqual([td.cpu, td.memory], ['1024', '3072']);
    assert.deepEqual(f.containers()[0]?.command, ['serve', '--bucket', 'x']);
    assert.equal(f.containers()[0]?.stopTimeout, 20);
    const svc = f.h.one('aws:ecs/service:Service').inputs;
    assert.deepEqual(
      [svc.desiredCount, svc.networkConfiguration.assignPublicIp, svc.healthCheckGracePeriodSeconds],
      [1, true, 60],
    );
    assert.equal(
      f.h.one('aws:scheduler/schedule:Schedule').inputs.target.ecsParameters.networkConfiguration
        .assignPublicIp,
      true,
    );
    assert.equal(f.h.one('aws:scheduler/schedule:Schedule').inputs.scheduleExpressionTimezone, 'Asia/Dhaka');
    assert.equal(f.h.one('aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays, 7);
    assert.equal(f.h.one('aws:lb/targetGroup:TargetGroup').inputs.deregistrationDelay, 5);
    assert.deepEqual(f.h.one('aws:ecs/service:Service').inputs.tags, {
      team: 'markets',
      'exchange:color': 'green',
    });
  });

  it("schedules one ingest per source: the environment's own keeps its name, each further one sits beside it", async () => {
    await f.build({
      moreSources: [
        {
          source: 'ecb-hist',
          scheduleExpression: 'cron(30 15 ? * MON-FRI *)',
          scheduleTimezone: 'Europe/Berlin',
        },
        { source: 'gpw-quotations', scheduleExpression: 'cron(0 17 ? * MON-FRI *)' },
      ],
    });
    const schedules = f.h.ofType('aws:scheduler/schedule:Schedule');
    assert.deepEqual(
      schedules.map((s) => s.name),
      ['exchange-green-ingest', 'exchange-green-ingest-ecb-hist', 'exchange-green-ingest-gpw-quotations'],
    );
    const command = (s: (typeof schedules)[number]): string[] =>
      (JSON.parse(s.inputs.target.input) as { containerOverrides: { command: string[] }[] })
        .containerOverrides[0]!.command;
    assert.deepEqual(
      schedules.map((s) => command(s).slice(0, 3)),
      [
        ['ingest', '--source', baseArgs().source],
        ['ingest', '--source', 'ecb-hist'],
        ['ingest', '--source', 'gpw-quotations'],
      ],
    );
    assert.deepEqual(
      schedules.map((s) => s.inputs.scheduleExpressionTimezone),
      ['UTC', 'Europe/Berlin', 'UTC'],
      "a further source's time zone defaults to the environment's",
    );
    // One role and one dead-letter queue for all of them.
    assert.equal(new Set(schedules.map((s) => s.inputs.target.roleArn)).size, 1);
    assert.equal(new Set(schedules.map((s) => s.inputs.target.deadLetterConfig.arn)).size, 1);
    assert.equal(f.h.ofType('aws:sqs/queue:Queue').length, 1);
  });

  it('a single-source environment keeps exactly its one schedule', async () => {
    await f.build({});
    assert.deepEqual(
      f.h.ofType('aws:scheduler/schedule:Schedule').map((s) => s.name),
      ['exchange-green-ingest'],
    );
  });

  for (const [more, fragment, name] of [
    [
      [{ source: baseArgs().source, scheduleExpression: 'rate(1 day)' }],
      'a source not scheduled already',
      undefined,
    ],
    [[{ source: 'Bad_Id', scheduleExpression: 'rate(1 day)' }], 'a source id matching', undefined],
    [[{ source: 'ecb-hist', scheduleExpression: 'cron(1 2 3)' }], 'cron(', undefined],
    // A 21-character component name leaves a 28-character schedule name: a 32-character source is too long.
    [[{ source: 'x'.repeat(32), scheduleExpression: 'rate(1 day)' }], 'must fit 64', 'exchange-green-prod-a'],
  ] as const) {
    it(`rejects moreSources ${JSON.stringify(more[0].source).slice(0, 20)}… (${fragment}) before registering anything`, async () => {
      assert.throws(
        () =>
          new f.mod.ExchangeEnvironment(name ?? 'exchange-green', { ...baseArgs(), moreSources: [...more] }),
        (err: unknown) => err instanceof f.mod.EnvironmentArgError && err.message.includes(fragment),
      );
      await settle();
      assert.deepEqual(f.h.resources, []);
    });
  }

  const invalid: [Partial<ExchangeEnvironmentArgs>, string, string][] = [
    [{ cpu: 256, memory: 4096 }, 'memory', '512, 1024, 2048'],
    [{ image: 'ghcr.io/acme/exchange:latest' }, 'image', 'sha256'],
    [{ scheduleExpression: 'cron(0 18 * * MON-FRI *)' }, 'scheduleExpression', 'rate('],
    [{ logRetentionDays: 10 }, 'logRetentionDays', '14'],
  ];
  for (const [override, arg, allowed] of invalid) {
    it(`rejects ${arg}=${JSON.stringify(Object.values(override).at(-1))} before registering anything`, async () => {
      assert.throws(
        () => new f.mod.ExchangeEnvironment('exchange-green', { ...baseArgs(), ...override }),
        (err: unknown) => {
          assert.ok(err instanceof f.mod.EnvironmentArgError);
          assert.equal(err.arg, arg);
          assert.ok(err.message.includes(allowed), err.message);
          return true;
        },
      );
      await settle();
      assert.deepEqual(f.h.resources, []);
    });
  }
  it('rejects a name without the colour before registering anything', async () => {
    assert.throws(
      () => new f.mod.ExchangeEnvironment('exchange-blue', baseArgs('green')),
      /name: "exchange-blue" is not allowed/,
    );
    await settle();
    assert.deepEqual(f.h.resources, []);
  });
});
