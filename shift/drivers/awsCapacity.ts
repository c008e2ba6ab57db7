// ECS and Application Auto Scaling calls of the AWS driver: each colour's running/desired/pending tasks
// (DescribeServices), its scalable target's bounds and suspended state (DescribeScalableTargets), new
// bounds (RegisterScalableTarget with MinCapacity/MaxCapacity: "it changes the resource's current
// capacity to a value that is inside of this range") and scale-in suspension (RegisterScalableTarget
// with SuspendedState only: "any parameters that you don't specify are not changed by this update").
// DescribeScalableTargets answers ScalableTargets[] with MinCapacity, MaxCapacity and SuspendedState per
// ResourceId (an empty list when the service has none). DynamicScalingInSuspended stops scale-in "by a
// target tracking scaling policy or a step scaling policy": what must not shrink a colour mid-shift. The
// shift only raises bounds while it is set (the floor) and lowers them after resuming it (scale-down).
// Sources: Application Auto Scaling API reference (RegisterScalableTarget, DescribeScalableTargets,
// SuspendedState) and user guide ("Suspend and resume scaling").
import {
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  type RegisterScalableTargetCommandInput,
  type ApplicationAutoScalingClient,
  type ScalableTarget,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { TARGET_HEALTH, type Color } from '../../contract/index.ts';
import { ECS_SCALING, ecsServiceResourceId } from '../../contract/scaling.ts';
import {
  boundsFor,
  recordCapacity,
  type CapacityMode,
  type ScalingConfig,
} from '../../release/state/capacity.ts';
import type { DocumentStore } from '../../release/state/store.ts';
import { DriverError } from '../errors.ts';
import type { ColorCapacity, ScaleUpTiming } from '../port.ts';
import type { AwsTargets } from './awsElb.ts';

/**
 * A Fargate task from a raised desired count to RUNNING (placement, ENI, image pull from GHCR through
 * NAT, start): AWS states no bound; 120 s is our budget for a ~100 MB image. Then the target group's own
 * checks: healthy threshold × interval.
 */
export const AWS_SCALE_UP: ScaleUpTiming = {
  taskStartSeconds: 120,
  healthySeconds: TARGET_HEALTH.healthyThreshold * TARGET_HEALTH.intervalSeconds,
};

export interface AwsCapacityDeps {
  ecs: ECSClient;
  autoscaling: ApplicationAutoScalingClient;
  targets: AwsTargets;
  store: DocumentStore;
  now: () => Date;
}

function fail(call: string, err: unknown, known: string): DriverError {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new DriverError(`${call} failed: ${msg.split('\n')[0]}; ${known}`, {
    hint: 'check the credentials allow ecs:DescribeServices and application-autoscaling:*ScalableTarget*',
    cause: err,
  });
}

const resourceId = (d: AwsCapacityDeps, color: Color): string =>
  ecsServiceResourceId(d.targets.cluster, d.targets.serviceNames[color]);

async function scalableTarget(d: AwsCapacityDeps, color: Color): Promise<ScalableTarget | undefined> {
  try {
    const out = await d.autoscaling.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: ECS_SCALING.serviceNamespace,
        ScalableDimension: ECS_SCALING.scalableDimension,
        ResourceIds: [resourceId(d, color)],
      }),
    );
    return out.ScalableTargets?.find((t) => t.ResourceId === resourceId(d, color));
  } catch (err) {
    throw fail(
      'application-autoscaling DescribeScalableTargets',
      err,
      `${color}'s scaling bounds are unknown`,
    );
  }
}

export async function readAwsCapacity(d: AwsCapacityDeps, color: Color): Promise<ColorCapacity> {
  let out;
  try {
    out = await d.ecs.send(
      new DescribeServicesCommand({ cluster: d.targets.cluster, services: [d.targets.serviceNames[color]] }),
    );
  } catch (err) {
    throw fail('ecs DescribeServices', err, `${color}'s task counts are unknown`);
  }
  const service = out.services?.[0];
  if (service === undefined)
    throw new DriverError(
      `ecs service ${d.targets.serviceNames[color]} is not in cluster ${d.targets.cluster} (${out.failures?.[0]?.reason ?? 'not found'})`,
      { hint: `deploy the ${color} stack: pulumi up --stack ${color}` },
    );
  const target = await scalableTarget(d, color);
  return {
    running: service.runningCount ?? 0,
    desired: service.desiredCount ?? 0,
    pending: service.pendingCount ?? 0,
    minCapacity: target?.MinCapacity ?? null,
    maxCapacity: target?.MaxCapacity ?? null,
    scaleInSuspended: target === undefined ? null : target.SuspendedState?.DynamicScalingInSuspended === true,
    config: d.targets.scaling?.[color] ?? null,
  };
}

function configOf(d: AwsCapacityDeps, color: Color): ScalingConfig {
  const config = d.targets.scaling?.[color];
  if (config === undefined || config === null)
    throw new DriverError(`the ${color} stack exports no scaling configuration`, {
      hint: `pulumi up --stack ${color} with this version first (it exports "scaling")`,
    });
  return config;
}

/** Durable first (the next `up` declares the same bounds), then the scalable target itself. */
export async function setAwsCapacity(
  d: AwsCapacityDeps,
  color: Color,
  mode: CapacityMode,
  writer: string,
): Promise<void> {
  const bounds = boundsFor(configOf(d, color), mode);
  try {
    await recordCapacity(d.store, color, mode, writer, d.now());
  } catch (err) {
    throw new DriverError(`recording ${color}'s capacity (${mode.mode}) failed: ${(err as Error).message}`, {
      hint: 'nothing was changed on AWS; check the state bucket and run again',
      cause: err,
    });
  }
  await registerTarget(
    d,
    color,
    { MinCapacity: bounds.min, MaxCapacity: bounds.max },
    `${color}'s capacity is recorded as ${mode.mode} (${bounds.min}–${bounds.max}) but its scalable target is unchanged`,
  );
}

/**
 * RegisterScalableTarget on a colour's service with only the given fields: on an existing target the
 * parameters left out are not changed (Application Auto Scaling API reference, RegisterScalableTarget).
 */
async function registerTarget(
  d: AwsCapacityDeps,
  color: Color,
  fields: Pick<RegisterScalableTargetCommandInput, 'MinCapacity' | 'MaxCapacity' | 'SuspendedState'>,
  unchanged: string,
): Promise<void> {
  try {
    await d.autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: ECS_SCALING.serviceNamespace,
        ScalableDimension: ECS_SCALING.scalableDimension,
        ResourceId: resourceId(d, color),
        ...fields,
      }),
    );
  } catch (err) {
    throw fail('application-autoscaling RegisterScalableTarget', err, unchanged);
  }
}

export async function setAwsScaleInSuspended(
  d: AwsCapacityDeps,
  color: Color,
  suspended: boolean,
): Promise<void> {
  await registerTarget(
    d,
    color,
    { SuspendedState: { DynamicScalingInSuspended: suspended } },
    `${color}'s scale-in is still ${suspended ? 'active' : 'suspended'}`,
  );
}
