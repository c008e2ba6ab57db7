// Builds the AWS driver from the repository's stacks: the shared stack's committed config (state
// bucket, environment stack names, region), the stacks' outputs (listener, URL, target groups,
// services) and SDK clients on the default credential chain.
import { join } from 'node:path';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { COLORS, type Color } from '../../contract/index.ts';
import { SHARED_PROJECT, SHARED_STACK } from '../../contract/stacks.ts';
import { loadStackConfig } from '../../infra/synth/stackConfig.ts';
import { s3DocumentStore, type StoreLocation } from '../../release/state/store.ts';
import { DriverError } from '../errors.ts';
import type { ShiftDriver } from '../port.ts';
import { createAwsDriver, targetsFromOutputs } from './aws.ts';
import { probeClient } from './http.ts';
import { listenerOnly, selectStack, type StackOps } from './pulumiStack.ts';

export interface AwsWiringOptions {
  /** Repository root (holds Pulumi.yaml of blue/green and infra/shared). */
  repoRoot: string;
  /** @default "shared" */
  sharedStack?: string;
  /** Pulumi CLI install folder (`<root>/bin/pulumi`). @default - `pulumi` from PATH */
  pulumiRoot?: string;
  /** The test route's secret for the probes (from EXCHANGE_TEST_KEY). */
  testKey?: string;
  onOutput?: (text: string) => void;
}

export interface SharedStackFacts {
  region: string | undefined;
  store: StoreLocation;
  environmentStacks: Record<Color, string>;
}

/** The committed Pulumi.shared.yaml: only bootstrap facts are read from it (never the weights). */
export function readSharedStackFacts(repoRoot: string, stack = SHARED_STACK): SharedStackFacts {
  const file = join(repoRoot, 'infra', 'shared', `Pulumi.${stack}.yaml`);
  const cfg = loadStackConfig(file);
  const key = (k: string): unknown => cfg[`${SHARED_PROJECT}:${k}`];
  const stacks = (key('environmentStacks') ?? {}) as Partial<Record<Color, string>>;
  const missing = COLORS.find((c) => typeof stacks[c] !== 'string');
  if (typeof key('stateBucket') !== 'string' || missing !== undefined)
    throw new DriverError(
      `${file} lacks ${missing === undefined ? 'stateBucket' : `environmentStacks.${missing}`}`,
      {
        hint: 'a shift needs both colours deployed and the state bucket configured',
      },
    );
  return {
    region: typeof cfg['aws:region'] === 'string' ? cfg['aws:region'] : undefined,
    store: {
      bucket: key('stateBucket') as string,
      prefix: typeof key('statePrefix') === 'string' ? (key('statePrefix') as string) : '',
    },
    environmentStacks: stacks as Record<Color, string>,
  };
}

export async function openAwsDriver(o: AwsWiringOptions): Promise<ShiftDriver> {
  const facts = readSharedStackFacts(o.repoRoot, o.sharedStack);
  const common = {
    ...(o.pulumiRoot === undefined ? {} : { pulumiRoot: o.pulumiRoot }),
    ...(o.onOutput === undefined ? {} : { onOutput: o.onOutput }),
  };
  const shared: StackOps = await selectStack({
    workDir: join(o.repoRoot, 'infra', 'shared'),
    stackName: o.sharedStack ?? SHARED_STACK,
    ...common,
  });
  const envOutputs = {} as Record<Color, Record<string, unknown>>;
  for (const c of COLORS)
    envOutputs[c] = await (
      await selectStack({ workDir: o.repoRoot, stackName: facts.environmentStacks[c], ...common })
    ).outputs();
  const region = facts.region === undefined ? {} : { region: facts.region };
  const sharedOutputs = await shared.outputs();
  return createAwsDriver({
    elb: new ElasticLoadBalancingV2Client(region),
    ecs: new ECSClient(region),
    cloudwatch: new CloudWatchClient(region),
    autoscaling: new ApplicationAutoScalingClient(region),
    targets: targetsFromOutputs(sharedOutputs, envOutputs),
    store: s3DocumentStore(new S3Client(region), facts.store),
    sharedStack: listenerOnly(shared, sharedOutputs),
    http: probeClient(),
    ...(o.testKey ? { testKey: o.testKey } : {}),
    now: () => new Date(),
  });
}
