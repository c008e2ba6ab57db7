// The service's Application Auto Scaling arguments, their documented defaults and their validation:
// target tracking on requests per task (the target group's ALBRequestCountPerTarget) and on CPU.
import { EnvironmentArgError } from './errors.ts';
import { checkIntRange } from './limits.ts';

export interface AutoScalingArgs {
  /**
   * Fewest tasks while the colour serves, 1–5000. Not 0: target tracking on requests per target has no
   * target to count on at zero tasks, so it could never scale out again. @default 2 (one per AZ)
   */
  minCapacity?: number;
  /** Most tasks autoscaling may run, minCapacity–5000 (ECS: 5,000 tasks per service). @default 10 */
  maxCapacity?: number;
  /**
   * Target of the ALBRequestCountPerTarget policy: requests one task takes per minute (the metric is
   * ELB's RequestCountPerTarget, reported per 60 s), 1–1,000,000. Derived from the benchmark's
   * serveRpsPerTask with a margin (README "Capacity"). @default 40000
   */
  requestsPerTaskPerMinute?: number;
  /** Target of the ECSServiceAverageCPUUtilization policy, percent 10–90: the backstop. @default 60 */
  cpuPercent?: number;
  /**
   * Seconds after a scale-out before the next scale-out, 0–3600. While it runs, the capacity just added
   * counts toward the next decision, so a short one only stops double-counting (Application Auto Scaling
   * user guide, "How target tracking scaling works", Define cooldown periods). @default 60
   */
  scaleOutCooldownSeconds?: number;
  /**
   * Seconds after a scale-in before the next scale-in, 0–3600; a scale-out during it is not delayed (same
   * section). 300 is Application Auto Scaling's default for ECS services (AWS CDK BaseTargetTrackingProps).
   * @default 300
   */
  scaleInCooldownSeconds?: number;
}

export type ResolvedAutoScaling = Required<AutoScalingArgs>;

export const AUTO_SCALING_DEFAULTS: ResolvedAutoScaling = {
  minCapacity: 2,
  maxCapacity: 10,
  requestsPerTaskPerMinute: 40_000,
  cpuPercent: 60,
  scaleOutCooldownSeconds: 60,
  scaleInCooldownSeconds: 300,
};

/** Most tasks one ECS service may run (ECS service quota "Tasks per service"). */
export const MAX_SERVICE_TASKS = 5000;
/** Our range for cooldowns: AWS takes any non-negative integer; beyond an hour a policy no longer reacts. */
export const MAX_COOLDOWN_SECONDS = 3600;

export function resolveAutoScaling(a: AutoScalingArgs | undefined): ResolvedAutoScaling {
  return {
    ...AUTO_SCALING_DEFAULTS,
    ...Object.fromEntries(Object.entries(a ?? {}).filter(([, v]) => v !== undefined)),
  };
}

/** Throws EnvironmentArgError naming `autoScaling.<field>` (or desiredCount) for the first bad value. */
export function validateAutoScaling(a: ResolvedAutoScaling, desiredCount: number): void {
  const f = (k: keyof AutoScalingArgs): string => `autoScaling.${k}`;
  checkIntRange(f('minCapacity'), a.minCapacity, 1, MAX_SERVICE_TASKS);
  checkIntRange(f('maxCapacity'), a.maxCapacity, a.minCapacity, MAX_SERVICE_TASKS);
  checkIntRange(f('requestsPerTaskPerMinute'), a.requestsPerTaskPerMinute, 1, 1_000_000);
  checkIntRange(f('cpuPercent'), a.cpuPercent, 10, 90);
  checkIntRange(f('scaleOutCooldownSeconds'), a.scaleOutCooldownSeconds, 0, MAX_COOLDOWN_SECONDS);
  checkIntRange(f('scaleInCooldownSeconds'), a.scaleInCooldownSeconds, 0, MAX_COOLDOWN_SECONDS);
  if (desiredCount < a.minCapacity || desiredCount > a.maxCapacity)
    throw new EnvironmentArgError(
      'desiredCount',
      desiredCount,
      `from autoScaling.minCapacity ${a.minCapacity} to maxCapacity ${a.maxCapacity}`,
      'it is the task count at creation; autoscaling owns it afterwards',
    );
}
