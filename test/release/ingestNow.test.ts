// ingest-now with a mocked ECS (real response shapes): the exact RunTask the schedule would make (compared
// with the schedule the green stack declares on the mock runtime), waiting for STOPPED, the exit code, and
// each failure as one clear error.
import assert from 'node:assert/strict';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { IngestNowError, ingestNow, type IngestNowTarget } from '../../release/ingestNow.ts';
import { ingestTargetFromOutputs } from '../../release/ingestNowTarget.ts';

const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/exchange';
const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/exchange-green:7';
const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/exchange/0f9e1d2c3b4a';
const INGEST_ROLE = 'arn:aws:iam::123456789012:role/exchange-green-ingest-task-1a2b3c4';
const TARGET: IngestNowTarget = {
  color: 'green',
  cluster: CLUSTER,
  taskDefinitionArn: TD,
  serviceName: 'exchange-green',
  ingestRoleArn: INGEST_ROLE,
};
const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a', 'subnet-0b'],
    securityGroups: ['sg-0123'],
    assignPublicIp: 'DISABLED' as const,
  },
};

describe('ingest-now', () => {
  const client = new ECSClient({ region: 'eu-west-1' });
  const ecs = mockClient(client);
  let t = 0;
  const deps = () => ({
    ecs: client,
    sleep: async (ms: number) => void (t += ms),
    now: () => t,
    pollSeconds: 10,
    timeoutSeconds: 60,
  });

  beforeEach(() => {
    ecs.reset();
    t = 0;
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'exchange-green', networkConfiguration: NETWORK, desiredCount: 2 }],
      failures: [],
    });
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TD,
        containerDefinitions: [
          {
            name: 'exchange',
            environment: [
              { name: 'EXCHANGE_SOURCE', value: 'gpw' },
              { name: 'EXCHANGE_BUCKET', value: 'exchange-green-site' },
            ],
          },
        ],
      },
    });
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'PROVISIONING' }], failures: [] });
  });

  it('runs the schedule’s task (definition, network, command) and returns the exit code once STOPPED', async () => {
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING' }] })
      .resolves({
        tasks: [
          {
            taskArn: TASK,
            lastStatus: 'STOPPED',
            stoppedReason: 'Essential container in task exited',
            containers: [{ name: 'exchange', exitCode: 0 }],
          },
        ],
      });
    const r = await ingestNow(deps(), TARGET);
    assert.deepEqual(r, { taskArn: TASK, exitCode: 0, stoppedReason: 'Essential container in task exited' });
    assert.deepEqual(ecs.commandCalls(RunTaskCommand)[0]?.args[0].input, {
      cluster: CLUSTER,
      taskDefinition: TD,
      launchType: 'FARGATE',
      count: 1,
      networkConfiguration: NETWORK,
      overrides: {
        // The ingest role, not the definition's serve role (which may not write the bucket).
        taskRoleArn: INGEST_ROLE,
        containerOverrides: [
          {
            name: 'exchange',
            command: ['ingest', '--source', 'gpw', '--bucket', 'exchange-green-site'],
            environment: [{ name: 'EXCHANGE_RUN', value: 'ingest' }],
          },
        ],
      },
      startedBy: 'ingest-now-green',
    });
    assert.equal(ecs.commandCalls(DescribeTasksCommand).length, 2, 'polls until STOPPED');
  });

  it('a non-zero exit is returned, not thrown (the CLI maps it to exit 1)', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: TASK, lastStatus: 'STOPPED', containers: [{ name: 'exchange', exitCode: 1 }] }],
    });
    assert.equal((await ingestNow(deps(), TARGET)).exitCode, 1);
  });

  it('failures are one IngestNowError each: RunTask refused, no capacity, stopped without running, timeout', async () => {
    ecs.on(RunTaskCommand).rejects(
      Object.assign(new Error('not authorized to perform: iam:PassRole'), {
        name: 'AccessDeniedException',
      }),
    );
    await assert.rejects(
      ingestNow(deps(), TARGET),
      (e: unknown) =>
        e instanceof IngestNowError && /ecs RunTask failed: AccessDeniedException/.test(e.message),
    );
    ecs
      .on(RunTaskCommand)
      .resolves({ tasks: [], failures: [{ arn: CLUSTER, reason: 'Capacity is unavailable at this time' }] });
    await assert.rejects(ingestNow(deps(), TARGET), /RunTask started nothing: Capacity is unavailable/);
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'PROVISIONING' }], failures: [] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: TASK,
          lastStatus: 'STOPPED',
          stoppedReason: 'CannotPullContainerError',
          containers: [{ name: 'exchange' }],
        },
      ],
    });
    await assert.rejects(ingestNow(deps(), TARGET), /stopped without an exit code: CannotPullContainerError/);
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING' }] });
    await assert.rejects(ingestNow(deps(), TARGET), /still RUNNING after 60s/);
  });

  it('the target comes from the stack outputs; a missing one names the stack', () => {
    assert.deepEqual(
      ingestTargetFromOutputs(
        'green',
        { clusterArn: CLUSTER },
        { taskDefinitionArn: TD, serviceName: 'exchange-green', ingestRoleArn: INGEST_ROLE },
      ),
      TARGET,
    );
    assert.throws(
      () =>
        ingestTargetFromOutputs(
          'green',
          { clusterArn: CLUSTER },
          { taskDefinitionArn: TD, serviceName: 'exchange-green' },
        ),
      /stack green has no output "ingestRoleArn"/,
    );
    assert.throws(
      () => ingestTargetFromOutputs('green', { clusterArn: CLUSTER }, { serviceName: 'x' }),
      /stack green has no output "taskDefinitionArn"/,
    );
  });
});
