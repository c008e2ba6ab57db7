// deploy-check against a mocked ECS client (aws-sdk-client-mock) answering DescribeServices in the real
// response shape: the request it makes, the retry while IN_PROGRESS, and the rollback verdict.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { runDeployCheck } from '../../release/deployCheckEcs.ts';
import {
  CLUSTER,
  completed,
  expectation,
  inProgress,
  PREVIOUS,
  RELEASED,
  rolledBack,
  SERVICE_NAME,
  stackOutputs,
} from './deployCheck.fixtures.ts';

const answer = (service: typeof completed) => ({
  $metadata: { httpStatusCode: 200, requestId: 'a1b2c3d4-0000-4000-8000-000000000000', attempts: 1 },
  services: [service],
  failures: [],
});

describe('deploy-check with an ECS client', () => {
  // Mock this one instance, created and restored inside the suite: a class-wide mock made at load time
  // would leak into every other file's ECS client (mocha loads all files before running any).
  const ecs = new ECSClient({ region: 'eu-west-1' });
  let ecsMock: ReturnType<typeof mockClient>;
  before(() => {
    ecsMock = mockClient(ecs);
  });
  afterEach(() => ecsMock.reset());
  after(() => {
    ecsMock.restore();
    ecs.destroy();
  });

  it('asks DescribeServices for exactly the exported service in the exported cluster', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(answer(completed));
    const r = await runDeployCheck(ecs, expectation);
    assert.ok(r.ok, r.summary);
    assert.deepEqual(ecsMock.commandCalls(DescribeServicesCommand)[0]?.args[0].input, {
      cluster: CLUSTER,
      services: [SERVICE_NAME],
    });
  });

  it('reports the rollback that `pulumi up` called a success', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(answer(rolledBack));
    const r = await runDeployCheck(ecs, expectation, { retries: 3, sleep: async () => {} });
    assert.equal(!r.ok && r.reason, 'rolled-back');
    assert.equal(ecsMock.commandCalls(DescribeServicesCommand).length, 1, 'a rollback is final: no retry');
  });

  it('looks again while the rollout is IN_PROGRESS, then passes', async () => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce(answer(inProgress)).resolves(answer(completed));
    const waits: number[] = [];
    const r = await runDeployCheck(ecs, expectation, {
      retries: 2,
      intervalMs: 5,
      sleep: async (ms) => void waits.push(ms),
    });
    assert.ok(r.ok, r.summary);
    assert.deepEqual(waits, [5]);
  });

  it('a service ECS reports under failures (MISSING) fails the check', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [
        {
          arn: `arn:aws:ecs:eu-west-1:123456789012:service/exchange-cluster-3f1c2ab/${SERVICE_NAME}`,
          reason: 'MISSING',
        },
      ],
    });
    const r = await runDeployCheck(ecs, expectation);
    assert.equal(!r.ok && r.reason, 'missing');
  });

  describe('a release whose image ECS could not pull', () => {
    // The stopped reason as ECS reported it for a private ghcr.io package pulled without credentials
    // (quoted in PrefectHQ/prefect discussion #16964).
    const GHCR_401 =
      'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ' +
      'ghcr.io/acme/exchange@sha256:aa: failed to authorize: failed to fetch anonymous token: unexpected status ' +
      'from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fexchange%3Apull&service=ghcr.io: 401 Unauthorized';
    const TASKS = [
      'arn:aws:ecs:eu-west-1:123456789012:task/exchange-cluster-3f1c2ab/0a1b',
      'arn:aws:ecs:eu-west-1:123456789012:task/exchange-cluster-3f1c2ab/0c2d',
    ];
    const stopped = () => {
      ecsMock.on(DescribeServicesCommand).resolves(answer(rolledBack));
      ecsMock.on(ListTasksCommand).resolves({ taskArns: TASKS });
      ecsMock.on(DescribeTasksCommand).resolves({
        tasks: [
          // An older revision's task stopped for another reason: not the release's.
          {
            taskArn: TASKS[0],
            taskDefinitionArn: PREVIOUS,
            lastStatus: 'STOPPED',
            stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
          },
          {
            taskArn: TASKS[1],
            taskDefinitionArn: RELEASED,
            lastStatus: 'STOPPED',
            stopCode: 'TaskFailedToStart',
            stoppedReason: GHCR_401,
            containers: [{ name: 'exchange', lastStatus: 'STOPPED', reason: GHCR_401 }],
          },
        ],
      });
    };

    it('names the missing piece: make the package public or set pull credentials', async () => {
      stopped();
      ecsMock.on(DescribeTaskDefinitionCommand).resolves({
        taskDefinition: {
          taskDefinitionArn: RELEASED,
          containerDefinitions: [{ name: 'exchange', image: 'ghcr.io/acme/exchange@sha256:aa' }],
        },
      });
      const r = await runDeployCheck(ecs, expectation);
      assert.equal(!r.ok && r.reason, 'rolled-back');
      assert.match(r.summary, /stopped task: CannotPullContainerError: .*401 Unauthorized/);
      assert.match(r.summary, /no pull credentials: a GHCR package is private until made public/);
      assert.match(r.summary, /set exchange:imagePublic true, or set exchange:registryCredentialsSecretArn/);
      assert.deepEqual(ecsMock.commandCalls(ListTasksCommand)[0]?.args[0].input, {
        cluster: CLUSTER,
        serviceName: SERVICE_NAME,
        desiredStatus: 'STOPPED',
      });
      assert.deepEqual(ecsMock.commandCalls(DescribeTasksCommand)[0]?.args[0].input, {
        cluster: CLUSTER,
        tasks: TASKS,
      });
      assert.deepEqual(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0]?.args[0].input, {
        taskDefinition: RELEASED,
      });
    });

    it('with credentials in the task definition, says they were refused', async () => {
      stopped();
      const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghcr-pull-AbCdEf';
      ecsMock.on(DescribeTaskDefinitionCommand).resolves({
        taskDefinition: {
          containerDefinitions: [{ name: 'exchange', repositoryCredentials: { credentialsParameter: arn } }],
        },
      });
      const r = await runDeployCheck(ecs, expectation);
      assert.match(r.summary, new RegExp(`refused the pull credentials in ${arn}`));
    });

    it('the verdict stands when the stopped tasks cannot be read', async () => {
      ecsMock.on(DescribeServicesCommand).resolves(answer(rolledBack));
      ecsMock.on(ListTasksCommand).rejects(
        Object.assign(new Error('not authorized to perform: ecs:ListTasks'), {
          name: 'AccessDeniedException',
        }),
      );
      const r = await runDeployCheck(ecs, expectation);
      assert.equal(!r.ok && r.reason, 'rolled-back');
      assert.match(r.summary, /\(stopped tasks not readable: AccessDeniedException: not authorized/);
    });

    it('a passing release reads no tasks', async () => {
      ecsMock.on(DescribeServicesCommand).resolves(answer(completed));
      assert.ok((await runDeployCheck(ecs, expectation)).ok);
      assert.equal(ecsMock.commandCalls(ListTasksCommand).length, 0);
    });
  });

  it('CLI: outputs of the wrong colour exit 2 before any AWS call', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
    try {
      writeFileSync(join(dir, 'o.json'), JSON.stringify(stackOutputs));
      const r = spawnSync(
        process.execPath,
        ['bin/exchange.js', 'deploy-check', '--color', 'green', '--outputs', join(dir, 'o.json')],
        {
          encoding: 'utf8',
          env: { ...process.env, LOG_LEVEL: 'error', AWS_ACCESS_KEY_ID: '', AWS_PROFILE: 'none' },
        },
      );
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /output of the "blue" stack, not green/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
