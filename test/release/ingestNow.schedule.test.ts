// ingest-now runs exactly what the daily schedule runs: the green stack's program on the mock runtime
// declares the schedule, the service and the task definition; ECS answers from those declarations; and
// ingest-now's RunTask input must equal the schedule target's (cluster, revision, launch type, count,
// network, and the overrides — command, run marker and the ingest task role).
import assert from 'node:assert/strict';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RunTaskCommand,
  type NetworkConfiguration,
} from '@aws-sdk/client-ecs';
import * as pulumi from '@pulumi/pulumi';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../../contract/stacks.ts';
import { parseEnvironmentConfig } from '../../infra/environment/config.ts';
import { createMocks, installMocks, promiseOf, settle, type MockHarness } from '../../infra/testing/mocks.ts';
import { sharedStackOutputs } from '../../infra/testing/stackOutputs.ts';
import { ingestNow } from '../../release/ingestNow.ts';
import { ingestTargetFromOutputs } from '../../release/ingestNowTarget.ts';
import { stackFileConfig } from '../infra/environment.helpers.ts';

const SHARED = 'organization/exchange-shared/shared';

interface PulumiNetwork {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

/** The ECS API's form of the awsvpc settings a Pulumi service or schedule declares. */
const apiNetwork = (n: PulumiNetwork): NetworkConfiguration => ({
  awsvpcConfiguration: {
    subnets: n.subnets,
    securityGroups: n.securityGroups,
    assignPublicIp: n.assignPublicIp ? 'ENABLED' : 'DISABLED',
  },
});

describe('ingest-now = the schedule (green stack on the mock runtime)', function () {
  this.timeout(20_000);
  let h: MockHarness;
  let outputs: Record<string, unknown>;

  before(async () => {
    h = createMocks({ stackOutputs: { [SHARED]: sharedStackOutputs() } });
    await installMocks(h, { project: 'exchange', stack: 'green' });
    const { environmentProgram } = await import('../../infra/environment/program.ts');
    const stack = environmentProgram(parseEnvironmentConfig(stackFileConfig('green'), 'green'));
    outputs = Object.fromEntries(
      await Promise.all(
        Object.entries(stack.outputs).map(async ([k, v]) => [k, await promiseOf<unknown>(v)]),
      ),
    );
    await settle();
  });
  after(() => pulumi.runtime.setAllConfig({}));

  it('sends the schedule target’s RunTask: same revision, network and overrides (taskRoleArn = ingest role)', async () => {
    const schedule = h.one('aws:scheduler/schedule:Schedule').inputs.target as {
      arn: string;
      input: string;
      ecsParameters: { taskDefinitionArn: string; launchType: string; taskCount: number } & {
        networkConfiguration: PulumiNetwork;
      };
    };
    const service = h.one('aws:ecs/service:Service').inputs as { networkConfiguration: PulumiNetwork };
    const td = h.one('aws:ecs/taskDefinition:TaskDefinition').inputs as { containerDefinitions: string };

    const client = new ECSClient({ region: 'eu-west-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: String(outputs[ENV_OUTPUTS.serviceName]),
          networkConfiguration: apiNetwork(service.networkConfiguration),
        },
      ],
    });
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { containerDefinitions: JSON.parse(td.containerDefinitions) as never },
    });
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: 'arn:aws:ecs:eu-west-1:1:task/x/1' }] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ lastStatus: 'STOPPED', containers: [{ name: 'exchange', exitCode: 0 }] }],
    });

    const target = ingestTargetFromOutputs(
      'green',
      { [SHARED_OUTPUTS.clusterArn]: sharedStackOutputs()[SHARED_OUTPUTS.clusterArn] },
      outputs,
    );
    await ingestNow({ ecs: client, sleep: async () => {}, now: () => 0 }, target);
    const sent = ecs.commandCalls(RunTaskCommand)[0]?.args[0].input;
    assert.ok(sent, 'RunTask was called');
    const p = schedule.ecsParameters;
    assert.deepEqual(
      {
        cluster: sent.cluster,
        taskDefinition: sent.taskDefinition,
        launchType: sent.launchType,
        count: sent.count,
        networkConfiguration: sent.networkConfiguration,
        overrides: sent.overrides,
      },
      {
        cluster: schedule.arn,
        taskDefinition: p.taskDefinitionArn,
        launchType: p.launchType,
        count: p.taskCount,
        networkConfiguration: apiNetwork(p.networkConfiguration),
        overrides: JSON.parse(schedule.input) as unknown,
      },
      'ingest-now must run what the schedule runs; a difference here is a seed that behaves unlike the daily run',
    );
    assert.equal(
      (sent.overrides as { taskRoleArn?: string }).taskRoleArn,
      outputs[ENV_OUTPUTS.ingestRoleArn],
      'the task runs as the ingest role the stack exports',
    );
  });
});
