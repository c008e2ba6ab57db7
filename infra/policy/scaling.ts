// Policies for Application Auto Scaling: ranges AWS refuses only at deploy time, and ranges outside which
// our services' scaling stops making sense. Each message names the value and the fix.
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type ResourceValidationPolicy } from '@pulumi/policy';

/** ECS service quota "Tasks per service". */
const MAX_TASKS = 5000;
/** Ours: beyond an hour a tracking policy no longer follows the load (AWS takes any integer ≥ 0). */
const MAX_COOLDOWN = 3600;
/**
 * ALBRequestCountPerTarget's ResourceLabel: the final portions of the load balancer's and the target
 * group's ARNs, `app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id>`, 1–1023 characters (Application
 * Auto Scaling API reference, PredefinedMetricSpecification).
 */
export const ALB_RESOURCE_LABEL =
  /^app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+\/targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const scalableTargetBounds: ResourceValidationPolicy = {
  name: 'scalable-target-bounds',
  description:
    'Scalable targets of ECS services: min and max capacity integers 0–5000 with min ≤ max, dimension ecs:service:DesiredCount on service/<cluster>/<service>.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.appautoscaling.Target, (t, _a, report) => {
    const { minCapacity: min, maxCapacity: max } = t;
    for (const [k, v] of [
      ['minCapacity', min],
      ['maxCapacity', max],
    ] as const)
      if (!isInt(v) || v < 0 || v > MAX_TASKS) report(`${k} ${String(v)} is not an integer 0–${MAX_TASKS}.`);
    if (isInt(min) && isInt(max) && min > max)
      report(`minCapacity ${min} exceeds maxCapacity ${max}: RegisterScalableTarget refuses it.`);
    if (t.serviceNamespace !== 'ecs') return;
    if (t.scalableDimension !== 'ecs:service:DesiredCount')
      report(
        `scalableDimension "${t.scalableDimension}" of an ECS service must be ecs:service:DesiredCount.`,
      );
    if (typeof t.resourceId === 'string' && !/^service\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/.test(t.resourceId))
      report(`resourceId "${t.resourceId}" is not service/<cluster name>/<service name>.`);
  }),
};

export const targetTrackingRanges: ResourceValidationPolicy = {
  name: 'target-tracking-ranges',
  description:
    'Target-tracking policies: a positive target (CPU 10–90 %), cooldowns 0–3600 s, and ALBRequestCountPerTarget with a well-formed ResourceLabel.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.appautoscaling.Policy, (p, _a, report) => {
    const c = p.targetTrackingScalingPolicyConfiguration;
    if (p.policyType !== 'TargetTrackingScaling' || c === undefined) return;
    const metric = c.predefinedMetricSpecification;
    const target = c.targetValue;
    if (typeof target !== 'number' || !(target > 0)) report(`targetValue ${String(target)} must be above 0.`);
    else if (/CPUUtilization$/.test(metric?.predefinedMetricType ?? '') && (target < 10 || target > 90))
      report(`CPU targetValue ${target} % is outside 10–90: no room to absorb a burst, or idle tasks.`);
    for (const k of ['scaleInCooldown', 'scaleOutCooldown'] as const) {
      const v = c[k];
      if (v !== undefined && (!isInt(v) || v < 0 || v > MAX_COOLDOWN))
        report(`${k} ${String(v)} s is not an integer 0–${MAX_COOLDOWN}.`);
    }
    if (metric?.predefinedMetricType !== 'ALBRequestCountPerTarget') return;
    const label = metric.resourceLabel;
    if (label === undefined)
      report('ALBRequestCountPerTarget needs a resourceLabel naming the target group.');
    else if (typeof label === 'string' && (label.length > 1023 || !ALB_RESOURCE_LABEL.test(label)))
      report(
        `resourceLabel "${label}" is not app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id> (the ARN suffixes of the load balancer and the target group).`,
      );
  }),
};
