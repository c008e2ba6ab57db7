// Which task `ingest-now` runs, from the shared and the colour's stack outputs.
import type { Color } from '../contract/index.ts';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../contract/stacks.ts';
import { stackOutput } from '../lib/stackOutput.ts';
import type { IngestNowTarget } from './ingestNow.ts';

export function ingestTargetFromOutputs(
  color: Color,
  shared: Record<string, unknown>,
  env: Record<string, unknown>,
): IngestNowTarget {
  return {
    color,
    cluster: stackOutput(shared, SHARED_OUTPUTS.clusterArn, 'shared'),
    taskDefinitionArn: stackOutput(env, ENV_OUTPUTS.taskDefinitionArn, color),
    serviceName: stackOutput(env, ENV_OUTPUTS.serviceName, color),
    ingestRoleArn: stackOutput(env, ENV_OUTPUTS.ingestRoleArn, color),
  };
}
