// Deploy check, the AWS side: one DescribeServices call through a client the caller creates (the CLI uses
// the default credential chain). Retries only while the rollout is still IN_PROGRESS.
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { evaluateDeployment, type DeployCheckResult, type DeployExpectation } from './deployCheck.ts';

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
    if (result.ok || result.reason !== 'in-progress' || attempt >= (opts.retries ?? 0)) return result;
    await sleep(opts.intervalMs ?? 15_000);
  }
}
