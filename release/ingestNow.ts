// `ingest-now`: run a colour's ingest once — the same task definition, network and overrides (command,
// run marker, ingest task role) the daily schedule uses — and wait for its exit code. A release seeds a
// fresh colour with it. Without the role override the task would run as the serve role, which may not
// write the bucket: the overrides come from contract/ingestTask.ts, as the schedule's do.
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RunTaskCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { CONTAINER_NAME, ENV, type Color } from '../contract/index.ts';
import { ingestOverrides } from '../contract/ingestTask.ts';
import { ExchangeError } from '../lib/errors.ts';
import { describeService } from './deployCheckEcs.ts';

export interface IngestNowTarget {
  color: Color;
  /** Shared stack output clusterArn (or name). */
  cluster: string;
  /** Environment stack output taskDefinitionArn: the revision the schedule runs. */
  taskDefinitionArn: string;
  /** Environment stack output serviceName: its network configuration is the schedule's. */
  serviceName: string;
  /** Environment stack output ingestRoleArn: the task role the schedule's overrides name. */
  ingestRoleArn: string;
}

export interface IngestNowDeps {
  ecs: ECSClient;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** @default 10 */
  pollSeconds?: number;
  /** Give up waiting (the task keeps running) after this long. @default 1800 */
  timeoutSeconds?: number;
  onStatus?: (status: string) => void;
}

export interface IngestNowResult {
  taskArn: string;
  exitCode: number;
  stoppedReason: string;
}

export class IngestNowError extends ExchangeError {
  override name = 'IngestNowError';
}

const fail = (what: string, err: unknown): IngestNowError =>
  new IngestNowError(
    `ecs ${what} failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    {
      hint: 'check the credentials allow ecs:RunTask/Describe* and iam:PassRole for the task roles',
      cause: err,
    },
  );

async function taskInputs(ecs: ECSClient, t: IngestNowTarget) {
  let svc;
  let td;
  try {
    [svc, td] = await Promise.all([
      describeService(ecs, t.cluster, t.serviceName),
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t.taskDefinitionArn })),
    ]);
  } catch (err) {
    throw fail('DescribeServices/DescribeTaskDefinition', err);
  }
  const network = svc?.networkConfiguration;
  const env =
    td.taskDefinition?.containerDefinitions?.find((c) => c.name === CONTAINER_NAME)?.environment ?? [];
  const get = (name: string) => env.find((e) => e.name === name)?.value;
  const source = get(ENV.source);
  const bucket = get(ENV.bucket);
  if (network === undefined || source === undefined || bucket === undefined)
    throw new IngestNowError(
      `${t.color}: service ${t.serviceName} or task definition ${t.taskDefinitionArn} lacks network configuration, ${ENV.source} or ${ENV.bucket}`,
      {
        hint: `deploy the ${t.color} stack ("pulumi up --stack ${t.color}")`,
      },
    );
  return { network, overrides: ingestOverrides(source, bucket, t.ingestRoleArn) };
}

export async function ingestNow(deps: IngestNowDeps, t: IngestNowTarget): Promise<IngestNowResult> {
  const { network, overrides } = await taskInputs(deps.ecs, t);
  let run;
  try {
    run = await deps.ecs.send(
      new RunTaskCommand({
        cluster: t.cluster,
        taskDefinition: t.taskDefinitionArn,
        launchType: 'FARGATE',
        count: 1,
        networkConfiguration: network,
        overrides,
        startedBy: `ingest-now-${t.color}`,
      }),
    );
  } catch (err) {
    throw fail('RunTask', err);
  }
  const taskArn = run.tasks?.[0]?.taskArn;
  if (taskArn === undefined) {
    const f = run.failures?.[0];
    throw new IngestNowError(
      `ecs RunTask started nothing: ${f?.reason ?? 'no reason'} ${f?.detail ?? ''}`.trim(),
      {
        hint: 'check the cluster has Fargate capacity and the subnets have free addresses',
      },
    );
  }
  return waitForStop(deps, t, taskArn);
}

async function waitForStop(
  deps: IngestNowDeps,
  t: IngestNowTarget,
  taskArn: string,
): Promise<IngestNowResult> {
  const deadline = deps.now() + (deps.timeoutSeconds ?? 1800) * 1000;
  for (;;) {
    let out;
    try {
      out = await deps.ecs.send(new DescribeTasksCommand({ cluster: t.cluster, tasks: [taskArn] }));
    } catch (err) {
      throw fail('DescribeTasks', err);
    }
    const task = out.tasks?.[0];
    deps.onStatus?.(task?.lastStatus ?? 'UNKNOWN');
    if (task?.lastStatus === 'STOPPED') {
      const exitCode = task.containers?.find((c) => c.name === CONTAINER_NAME)?.exitCode;
      const stoppedReason = task.stoppedReason ?? '';
      if (exitCode === undefined)
        throw new IngestNowError(`task ${taskArn} stopped without an exit code: ${stoppedReason}`, {
          hint: 'the container never ran: check the image pull and the task role in the ECS console',
        });
      return { taskArn, exitCode, stoppedReason };
    }
    if (deps.now() >= deadline)
      throw new IngestNowError(
        `task ${taskArn} still ${task?.lastStatus ?? 'unknown'} after ${deps.timeoutSeconds ?? 1800}s`,
        {
          hint: 'it keeps running; follow it in the ECS console or its log group',
        },
      );
    await deps.sleep((deps.pollSeconds ?? 10) * 1000);
  }
}
