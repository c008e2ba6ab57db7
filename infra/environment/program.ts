// The blue/green stack program: one ExchangeEnvironment wired to the shared stack's outputs.
// Importable without side effects, so tests and `synth` run it under mocks with any config.
import * as pulumi from '@pulumi/pulumi';
import { ExchangeEnvironment } from '../../components/exchangeEnvironment.ts';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../../contract/stacks.ts';
import type { EnvironmentConfig } from './config.ts';
import { serviceNetwork } from './network.ts';
import { boundsFor, type CapacityMode, type ScalingConfig } from '../../release/state/capacity.ts';

export type EnvironmentOutputs = Record<
  Exclude<(typeof ENV_OUTPUTS)[keyof typeof ENV_OUTPUTS], typeof ENV_OUTPUTS.scaling>,
  pulumi.Output<string>
> & { [ENV_OUTPUTS.scaling]: pulumi.Output<ScalingConfig> };

export interface EnvironmentStack {
  environment: ExchangeEnvironment;
  shared: pulumi.StackReference;
  /** Stack exports, keyed by the names the shared stack reads (ENV_OUTPUTS). */
  outputs: EnvironmentOutputs;
}

/**
 * @param capacity the release's recorded decision for this colour (a floor or standby), which sets the
 *   scalable target's bounds instead of the configured min/max; undefined = serving (mocks, synth).
 */
export function environmentProgram(cfg: EnvironmentConfig, capacity?: CapacityMode): EnvironmentStack {
  const scaling: ScalingConfig = {
    minCapacity: cfg.autoScaling.minCapacity,
    maxCapacity: cfg.autoScaling.maxCapacity,
    standbyTasks: cfg.standbyTasks,
  };
  const shared = new pulumi.StackReference(cfg.sharedStack);
  const read = (name: string) => shared.requireOutput(name);
  const network = pulumi
    .all([
      read(SHARED_OUTPUTS.servicesNeedPublicIp),
      read(SHARED_OUTPUTS.publicSubnetIds),
      read(SHARED_OUTPUTS.privateSubnetIds),
    ])
    .apply(([needPublicIp, publicIds, privateIds]) => serviceNetwork(needPublicIp, publicIds, privateIds));

  // With the protection lifted, the target group's vpcId waits for the guard: a still-forwarded colour
  // fails the preview on the very resource that would be replaced.
  const vpcId = cfg.allowTargetGroupReplacement
    ? pulumi
        .all([
          read(SHARED_OUTPUTS.vpcId),
          refuseWhileForwarded(read(SHARED_OUTPUTS.forwardedColors), cfg.color),
        ])
        .apply(([id]) => id as string)
    : read(SHARED_OUTPUTS.vpcId);
  const environment = new ExchangeEnvironment(`exchange-${cfg.color}`, {
    color: cfg.color,
    image: cfg.image,
    version: cfg.version,
    source: cfg.source,
    vpcId,
    subnetIds: network.subnetIds,
    assignPublicIp: network.assignPublicIp,
    clusterArn: read(SHARED_OUTPUTS.clusterArn),
    albSecurityGroupId: read(SHARED_OUTPUTS.albSecurityGroupId),
    listenerArn: read(SHARED_OUTPUTS.listenerArn),
    scheduleExpression: cfg.schedule,
    scheduleTimezone: cfg.scheduleTimezone,
    cpu: cfg.cpu,
    memory: cfg.memory,
    desiredCount: cfg.desiredCount,
    autoScaling: cfg.autoScaling,
    ...(capacity === undefined || capacity.mode === 'serving'
      ? {}
      : { scalingBounds: boundsFor(scaling, capacity) }),
    logRetentionDays: cfg.logRetentionDays,
    maxDataAge: cfg.maxDataAge,
    alertEmail: cfg.alertEmail,
    protectTargetGroup: !cfg.allowTargetGroupReplacement,
    permissionsBoundary: read(SHARED_OUTPUTS.workloadBoundaryArn) as pulumi.Output<string>,
    testRouteSourceCidrs: cfg.testRouteSourceCidrs,
    ...(cfg.testRouteSecret ? { testRouteSecret: pulumi.secret(cfg.testRouteSecret) } : {}),
    ...(cfg.registryCredentialsSecretArn
      ? { registryCredentialsSecretArn: cfg.registryCredentialsSecretArn }
      : {}),
  });

  const outputs: EnvironmentOutputs = {
    [ENV_OUTPUTS.color]: pulumi.output(environment.color),
    [ENV_OUTPUTS.bucketName]: environment.bucketName,
    [ENV_OUTPUTS.websiteEndpoint]: environment.websiteEndpoint,
    [ENV_OUTPUTS.targetGroupArn]: environment.targetGroupArn,
    [ENV_OUTPUTS.serviceName]: environment.serviceName,
    [ENV_OUTPUTS.taskDefinitionArn]: environment.taskDefinitionArn,
    [ENV_OUTPUTS.clusterArn]: read(SHARED_OUTPUTS.clusterArn) as pulumi.Output<string>,
    [ENV_OUTPUTS.testRouteHeader]: environment.testRouteHeader,
    [ENV_OUTPUTS.ingestRoleArn]: environment.ingestRoleArn,
    [ENV_OUTPUTS.scaling]: pulumi.output(scaling),
  };
  return { environment, shared, outputs };
}

export class TargetGroupInUseError extends Error {
  override name = 'TargetGroupInUseError';
}

/**
 * A replacement may only happen while the shared listener no longer forwards to this colour: otherwise
 * users get 503s and the old group's delete fails. Fails the preview (an Output error) when it still does.
 */
export function refuseWhileForwarded(forwarded: pulumi.Output<unknown>, color: string): pulumi.Output<true> {
  return forwarded.apply((list) => assertNotForwarded(list, color));
}

/** @throws TargetGroupInUseError when `forwardedColors` (the shared stack's export) lists `color`. */
export function assertNotForwarded(forwardedColors: unknown, color: string): true {
  if (!Array.isArray(forwardedColors) || forwardedColors.includes(color))
    throw new TargetGroupInUseError(
      `exchange:allowTargetGroupReplacement is true but the shared listener still forwards to ${color}: ` +
        `set its weight to 0, remove it from exchange-shared:environments and pulumi up --stack shared first`,
    );
  return true;
}
