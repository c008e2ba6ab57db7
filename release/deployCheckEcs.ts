// Deploy check, the AWS side: one DescribeServices call through a client the caller creates (the CLI uses
// the default credential chain). Retries only while the rollout is still IN_PROGRESS. When the release
// did not land, the service's stopped tasks of the released revision say why an image could not be pulled
// (ListTasks, DescribeTasks, DescribeTaskDefinition), and the verdict names what is missing.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  evaluateDeployment,
  pullFailureHint,
  type DeployCheckResult,
  type DeployExpectation,
} from './deployCheck.ts';

export interface DeployCheckOptions {
  /** How many times to look again while the rollout is IN_PROGRESS. @default 0 */
  retries?: number;
  /** Wait between looks, ms. @default 15000 */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The one service's description (deploy-check's verdict, ingest-now's network configuration). */
export async function describeService(ecs: ECSClient, cluster: string, serviceName: string) {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
  return out.services?.find((s) => s.serviceName === serviceName);
}

export async function runDeployCheck(
  ecs: ECSClient,
  e: DeployExpectation,
  opts: DeployCheckOptions = {},
): Promise<DeployCheckResult> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    const result = evaluateDeployment(e, await describeService(ecs, e.clusterArn, e.serviceName));
    if (result.ok || result.reason !== 'in-progress' || attempt >= (opts.retries ?? 0))
      return result.ok || result.reason === 'missing' ? result : withPullDiagnosis(ecs, e, result);
    await sleep(opts.intervalMs ?? 15_000);
  }
}

/** Appends what a stopped task of the released revision says about its image pull, if anything. */
async function withPullDiagnosis(
  ecs: ECSClient,
  e: DeployExpectation,
  result: DeployCheckResult,
): Promise<DeployCheckResult> {
  try {
    const hint = await pullDiagnosis(ecs, e);
    return hint === undefined ? result : { ...result, summary: `${result.summary}; ${hint}` };
  } catch (err) {
    // The verdict stands without the diagnosis (e.g. the caller may not ListTasks).
    const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { ...result, summary: `${result.summary} (stopped tasks not readable: ${why.split('\n')[0]})` };
  }
}

async function pullDiagnosis(ecs: ECSClient, e: DeployExpectation): Promise<string | undefined> {
  const cluster = e.clusterArn;
  const listed = await ecs.send(
    new ListTasksCommand({ cluster, serviceName: e.serviceName, desiredStatus: 'STOPPED' }),
  );
  const arns = (listed?.taskArns ?? []).slice(0, 100); // DescribeTasks takes at most 100
  if (arns.length === 0) return undefined;
  const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }));
  const reason = (described?.tasks ?? [])
    .filter((t) => t.taskDefinitionArn === e.taskDefinitionArn)
    .flatMap((t) => [t.stoppedReason, ...(t.containers ?? []).map((c) => c.reason)])
    .find((r): r is string => typeof r === 'string' && /CannotPullContainerError/i.test(r));
  if (reason === undefined) return undefined;
  const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: e.taskDefinitionArn }));
  const credentials = td?.taskDefinition?.containerDefinitions?.find((c) => c.repositoryCredentials)
    ?.repositoryCredentials?.credentialsParameter;
  const hint = pullFailureHint(reason, credentials);
  return `stopped task: ${reason.slice(0, 500)}${hint === undefined ? '' : ` — ${hint}`}`;
}
