// Application Auto Scaling of the colour's service: one scalable target (the service's desired count,
// within min/max) and two target-tracking policies, requests per task and CPU. Target tracking scales
// out when either policy asks and in only when both allow (Application Auto Scaling user guide,
// "Multiple target tracking scaling policies"), so the request target leads and CPU is the backstop.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ECS_SCALING, clusterNameFromArn, ecsServiceResourceId } from '../../contract/scaling.ts';
import { EnvironmentArgError } from './errors.ts';
import type { ResolvedArgs } from './args.ts';
import type { EnvironmentNames } from './naming.ts';

export interface Scaling {
  scalableTarget: aws.appautoscaling.Target;
  requestsPolicy: aws.appautoscaling.Policy;
  cpuPolicy: aws.appautoscaling.Policy;
}

const LISTENER_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/(app\/[^/]+\/[0-9a-f]+)\/[0-9a-f]+$/;

/**
 * ResourceLabel of ALBRequestCountPerTarget: `app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id>`, the
 * final portions of the load balancer's and the target group's ARNs (Application Auto Scaling API
 * reference, PredefinedMetricSpecification). The load balancer's part is read from the shared
 * listener's ARN, `…:listener/app/<lb name>/<lb id>/<listener id>` (Service Authorization Reference,
 * Elastic Load Balancing V2 resource types), so no new shared-stack output is needed.
 */
export function albResourceLabel(listenerArn: string, targetGroupArnSuffix: string): string {
  const lb = LISTENER_ARN.exec(listenerArn)?.[1];
  if (lb === undefined)
    throw new EnvironmentArgError('listenerArn', listenerArn, 'an Application Load Balancer listener ARN');
  if (!/^targetgroup\/[^/]+\/[0-9a-f]+$/.test(targetGroupArnSuffix))
    throw new EnvironmentArgError('targetGroupArnSuffix', targetGroupArnSuffix, 'targetgroup/<name>/<id>');
  return `${lb}/${targetGroupArnSuffix}`;
}

function resourceIdOf(clusterArn: string, serviceName: string): string {
  const cluster = clusterNameFromArn(clusterArn);
  if (cluster === undefined)
    throw new EnvironmentArgError('clusterArn', clusterArn, 'arn:aws:ecs:<region>:<account>:cluster/<name>');
  return ecsServiceResourceId(cluster, serviceName);
}

export function createScaling(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: { service: aws.ecs.Service; targetGroup: aws.lb.TargetGroup; tags: Record<string, string> },
): Scaling {
  const opts = { parent };
  const a = r.autoScaling;
  const bounds = r.scalingBounds ?? { min: a.minCapacity, max: a.maxCapacity };
  const scalableTarget = new aws.appautoscaling.Target(
    `${n.service}-scaling`,
    {
      serviceNamespace: ECS_SCALING.serviceNamespace,
      scalableDimension: ECS_SCALING.scalableDimension,
      resourceId: pulumi.all([r.clusterArn, deps.service.name]).apply(([c, s]) => resourceIdOf(c, s)),
      minCapacity: bounds.min,
      maxCapacity: bounds.max,
      tags: deps.tags,
    },
    opts,
  );
  const policy = (
    suffix: string,
    metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    targetValue: number,
  ) =>
    new aws.appautoscaling.Policy(
      `${n.service}-${suffix}`,
      {
        policyType: 'TargetTrackingScaling',
        serviceNamespace: scalableTarget.serviceNamespace,
        scalableDimension: scalableTarget.scalableDimension,
        resourceId: scalableTarget.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          predefinedMetricSpecification: metric,
          scaleOutCooldown: a.scaleOutCooldownSeconds,
          scaleInCooldown: a.scaleInCooldownSeconds,
        },
      },
      opts,
    );
  const requestsPolicy = policy(
    'requests',
    {
      predefinedMetricType: 'ALBRequestCountPerTarget',
      resourceLabel: pulumi
        .all([r.listenerArn, deps.targetGroup.arnSuffix])
        .apply(([l, tg]) => albResourceLabel(l, tg)),
    },
    a.requestsPerTaskPerMinute,
  );
  const cpuPolicy = policy('cpu', { predefinedMetricType: 'ECSServiceAverageCPUUtilization' }, a.cpuPercent);
  return { scalableTarget, requestsPolicy, cpuPolicy };
}
