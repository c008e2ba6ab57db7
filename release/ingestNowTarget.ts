// Which task `ingest-now` runs, from the shared and the colour's stack outputs.
import type { Color } from '../contract/index.ts';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../infra/contract.ts';
import { IngestNowError, type IngestNowTarget } from './ingestNow.ts';

export function ingestTargetFromOutputs(
  color: Color,
  shared: Record<string, unknown>,
  env: Record<string, unknown>,
): IngestNowTarget {
  const need = (o: Record<string, unknown>, key: string, stack: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || v === '')
      throw new IngestNowError(`stack ${stack} has no output "${key}"`, {
        hint: `run "pulumi up --stack ${stack}" first`,
      });
    return v;
  };
  return {
    color,
    cluster: need(shared, SHARED_OUTPUTS.clusterArn, 'shared'),
    taskDefinitionArn: need(env, ENV_OUTPUTS.taskDefinitionArn, color),
    serviceName: need(env, ENV_OUTPUTS.serviceName, color),
  };
}
