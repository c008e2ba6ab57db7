// ExchangeEnvironment on Pulumi's mock runtime, traffic and schedule side: target group ↔ container ↔
// health path, the header test route, security group rules, the service, the schedule and outputs.
import assert from 'node:assert/strict';
import { schedulerPolicy, serviceTrustPolicy } from '../../components/exchangeEnvironment/policies.ts';
import { LIVENESS_PATH, TARGET_HEALTH } from '../../contract/index.ts';
import { promiseOf, settle } from '../../infra/testing/mocks.ts';
import { baseArgs, CLUSTER, LISTENER, useComponentFixture, type Environment } from './component.helpers.ts';

describe('ExchangeEnvironment component: traffic, schedule, outputs (mocks)', () => {
  const f = useComponentFixture();

  describe('with defaults', () => {
    let env: Environment;
    beforeEach(async () => {
      env = await f.build();
    });
    it('target group, container and health check agree on port 8080 and probe liveness (/livez)', async () => {
      const tg = f.h.one('aws:lb/targetGroup:TargetGroup');
      assert.deepEqual(
        [tg.inputs.targetType, tg.inputs.port, tg.inputs.protocol, tg.inputs.vpcId],
        ['ip', 8080, 'HTTP', 'vpc-0a1b2c3d4e5f60718'],
      );
      assert.equal(tg.inputs.deregistrationDelay, 20, 'shorter than the 30 s stopTimeout');
      // The contract's numbers are the single source (the local router reuses them).
      assert.deepEqual(tg.inputs.healthCheck, {
        enabled: true,
        path: LIVENESS_PATH,
        port: 'traffic-port',
        protocol: 'HTTP',
        matcher: TARGET_HEALTH.matcher,
        interval: TARGET_HEALTH.intervalSeconds,
        timeout: TARGET_HEALTH.timeoutSeconds,
        healthyThreshold: TARGET_HEALTH.healthyThreshold,
        unhealthyThreshold: TARGET_HEALTH.unhealthyThreshold,
      });
      assert.ok(tg.inputs.healthCheck.timeout < tg.inputs.healthCheck.interval);
      const tgName = await promiseOf(env.resources.targetGroup.name);
      assert.ok(tgName.length <= 32, `${tgName} fits the 32-char TG limit`);
      const [c] = f.containers();
      const lb = f.h.one('aws:ecs/service:Service').inputs.loadBalancers;
      assert.deepEqual(lb, [
        {
          targetGroupArn: await promiseOf(env.targetGroupArn),
          containerName: c?.name,
          containerPort: c?.portMappings[0]?.containerPort,
        },
      ]);
      assert.equal(c?.name, 'exchange');
      assert.equal(lb[0]?.containerPort, tg.inputs.port);
      assert.ok(
        (c?.healthCheck.command as string[])
          .join(' ')
          .includes(`:${tg.inputs.port}${tg.inputs.healthCheck.path}`),
      );
    });

    it('test route: header rule on the shared listener at the colour priority, only from the allowed CIDRs', async () => {
      const rule = f.h.one('aws:lb/listenerRule:ListenerRule');
      assert.equal(rule.inputs.listenerArn, LISTENER);
      assert.equal(rule.inputs.priority, 200);
      assert.deepEqual(rule.inputs.conditions, [
        { httpHeader: { httpHeaderName: 'X-Exchange-Color', values: ['green'] } },
        { sourceIp: { values: ['198.51.100.0/24'] } },
      ]);
      assert.deepEqual(rule.inputs.actions, [
        { type: 'forward', targetGroupArn: await promiseOf(env.targetGroupArn) },
      ]);
    });

    it('security group admits only the ALB security group on 8080 and allows all egress', async () => {
      const sgId = await promiseOf(env.resources.securityGroup.id);
      assert.equal(f.h.one('aws:ec2/securityGroup:SecurityGroup').inputs.vpcId, 'vpc-0a1b2c3d4e5f60718');
      const ingress = f.h
        .ofType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
        .map((r) => r.inputs);
      assert.deepEqual(
        ingress.map(({ description: _d, ...rule }) => rule),
        [
          {
            securityGroupId: sgId,
            referencedSecurityGroupId: 'sg-0123456789abcdef0',
            ipProtocol: 'tcp',
            fromPort: 8080,
            toPort: 8080,
          },
        ],
      );
      const egress = f.h.one('aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule').inputs;
      assert.deepEqual(
        [egress.securityGroupId, egress.ipProtocol, egress.cidrIpv4],
        [sgId, '-1', '0.0.0.0/0'],
      );
    });

    it('service: Fargate in the given subnets, circuit breaker, steady state, after the test route', async () => {
      const svc = f.h.one('aws:ecs/service:Service');
      const i = svc.inputs;
      assert.equal(i.cluster, CLUSTER);
      assert.equal(i.taskDefinition, await promiseOf(env.taskDefinitionArn));
      assert.deepEqual([i.desiredCount, i.launchType], [2, 'FARGATE']);
      assert.deepEqual(i.networkConfiguration, {
        subnets: ['subnet-0cc3333333333333c', 'subnet-0dd4444444444444d'],
        securityGroups: [await promiseOf(env.resources.securityGroup.id)],
        assignPublicIp: false,
      });
      assert.deepEqual(i.deploymentCircuitBreaker, { enable: true, rollback: true });
      assert.deepEqual([i.waitForSteadyState, i.healthCheckGracePeriodSeconds], [true, 30]);
      assert.deepEqual([i.deploymentMinimumHealthyPercent, i.deploymentMaximumPercent], [100, 200]);
      assert.deepEqual([i.propagateTags, i.enableExecuteCommand], ['SERVICE', false]);
      assert.equal(i.iamRole, undefined);
      assert.ok(
        svc.dependencies.includes(f.h.one('aws:lb/listenerRule:ListenerRule').urn),
        'service waits for the TG association',
      );
    });

    it('schedule: runs the same task definition with the ingest command, the ingest role and a DLQ', async () => {
      const s = f.h.one('aws:scheduler/schedule:Schedule').inputs;
      assert.deepEqual(
        [s.scheduleExpression, s.scheduleExpressionTimezone, s.flexibleTimeWindow, s.state],
        ['cron(30 15 ? * SUN-THU *)', 'UTC', { mode: 'OFF' }, 'ENABLED'],
      );
      assert.equal(s.target.arn, CLUSTER);
      assert.equal(s.target.roleArn, await f.arnOf(env.resources.schedulerRole));
      assert.deepEqual(s.target.ecsParameters, {
        taskDefinitionArn: await promiseOf(env.taskDefinitionArn),
        launchType: 'FARGATE',
        taskCount: 1,
        networkConfiguration: f.h.one('aws:ecs/service:Service').inputs.networkConfiguration,
      });
      assert.deepEqual(JSON.parse(s.target.input), {
        taskRoleArn: await f.arnOf(env.resources.ingestRole),
        containerOverrides: [
          {
            name: 'exchange',
            command: ['ingest', '--source', 'dse', '--bucket', await promiseOf(env.bucketName)],
            environment: [{ name: 'EXCHANGE_RUN', value: 'ingest' }],
          },
        ],
      });
      assert.equal(s.target.deadLetterConfig.arn, await f.arnOf(env.resources.deadLetterQueue));
      const sched = f.h.one('aws:scheduler/schedule:Schedule');
      assert.ok(
        sched.dependencies.includes(f.h.one('aws:ecs/service:Service').urn),
        'the schedule moves to a new revision only after the service rollout returned',
      );
    });

    it('scheduler role: trusts the scheduler, runs only this family on the cluster, passes ingest, exec and serve roles', async () => {
      const role = f.h.one('aws:iam/role:Role', 'exchange-green-sched');
      assert.deepEqual(
        JSON.parse(role.inputs.assumeRolePolicy),
        serviceTrustPolicy('scheduler.amazonaws.com', '123456789012'),
      );
      const policy = JSON.parse(
        f.h.one('aws:iam/rolePolicy:RolePolicy', 'exchange-green-sched-run-task').inputs.policy,
      );
      const family = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/exchange-green';
      // The definition names the serve role; RunTask may check PassRole for it too (issue 16).
      const roles = [
        await f.arnOf(env.resources.ingestRole),
        await f.arnOf(env.resources.executionRole),
        await f.arnOf(env.resources.taskRole),
      ];
      const dlq = await f.arnOf(env.resources.deadLetterQueue);
      assert.deepEqual(policy, schedulerPolicy(family, CLUSTER, roles, dlq));
      assert.equal(policy.Statement[0]?.Resource, `${family}:*`);
    });

    it('exposes the outputs the stacks export', async () => {
      const bucket = await promiseOf(env.bucketName);
      assert.match(bucket, /^exchange-green-site-[0-9a-f]{7}$/);
      assert.equal(await promiseOf(env.websiteEndpoint), `${bucket}.s3-website-eu-west-1.amazonaws.com`);
      assert.match(
        await promiseOf(env.targetGroupArn),
        /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup\/exchange-green-tg-[0-9a-f]{7}\/[0-9a-f]{16}$/,
      );
      assert.match(await promiseOf(env.serviceName), /^exchange-green-svc-[0-9a-f]{7}$/);
      assert.equal(
        await promiseOf(env.taskDefinitionArn),
        'arn:aws:ecs:eu-west-1:123456789012:task-definition/exchange-green:1',
      );
      assert.equal(await promiseOf(env.testRouteHeader), 'X-Exchange-Color: green');
    });
  });

  it('blue gets its own priority, family, names and header', async () => {
    const env = new f.mod.ExchangeEnvironment('exchange-blue', baseArgs('blue'));
    await settle();
    assert.equal(f.h.one('aws:lb/listenerRule:ListenerRule').inputs.priority, 100);
    assert.deepEqual(f.h.one('aws:lb/listenerRule:ListenerRule').inputs.conditions[0].httpHeader.values, [
      'blue',
    ]);
    assert.equal(f.h.one('aws:ecs/taskDefinition:TaskDefinition').inputs.family, 'exchange-blue');
    assert.ok(f.h.resources.filter((r) => r.custom).every((r) => r.name.startsWith('exchange-blue-')));
    assert.equal(await promiseOf(env.testRouteHeader), 'X-Exchange-Color: blue');
  });
});
