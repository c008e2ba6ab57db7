// Policies for changes that pass every type and mock check and then break a running deploy: an ALB idle
// timeout the targets' keep-alive does not outlive, a flexible schedule window without its size, and a
// target-group property whose change replaces the group under the shared listener.
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type ResourceValidationPolicy } from '@pulumi/policy';
import { SERVE_KEEP_ALIVE_TIMEOUT_MS } from '../../contract/index.ts';

/** ELB's default idle timeout, which applies when `idleTimeout` is not set. */
const ELB_DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

export const albIdleTimeoutUnderKeepAlive: ResourceValidationPolicy = {
  name: 'alb-idle-timeout-under-keep-alive',
  description:
    "An application load balancer's idle timeout is shorter than serve's keep-alive timeout (else sporadic 502s).",
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.lb.LoadBalancer, (lb, _args, report) => {
    if ((lb.loadBalancerType ?? 'application') !== 'application') return;
    const idle = lb.idleTimeout ?? ELB_DEFAULT_IDLE_TIMEOUT_SECONDS;
    const keepAlive = SERVE_KEEP_ALIVE_TIMEOUT_MS / 1000;
    // AWS: configure the application's idle timeout larger than the load balancer's; otherwise the
    // target may close a connection the ALB is reusing and the ALB answers 502 (ELB User Guide).
    if (idle >= keepAlive)
      report(
        `idleTimeout ${idle}s is not shorter than serve's keep-alive ${keepAlive}s: targets would close connections ` +
          'the ALB still reuses (502 Bad Gateway); set the ALB from ALB_IDLE_TIMEOUT_SECONDS in contract/index.ts, ' +
          'from which serve derives its keep-alive',
      );
  }),
};

export const scheduleFlexibleWindow: ResourceValidationPolicy = {
  name: 'schedule-flexible-window',
  description:
    'EventBridge Scheduler: flexibleTimeWindow mode is OFF or FLEXIBLE; FLEXIBLE needs maximumWindowInMinutes 1–1440.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.scheduler.Schedule, (s, _args, report) => {
    const w = s.flexibleTimeWindow as { mode?: string; maximumWindowInMinutes?: number } | undefined;
    const mode = w?.mode;
    const max = w?.maximumWindowInMinutes;
    if (mode !== 'OFF' && mode !== 'FLEXIBLE')
      report(`flexibleTimeWindow.mode ${String(mode)} is not OFF or FLEXIBLE (CreateSchedule requires one).`);
    if (mode === 'FLEXIBLE' && max === undefined)
      report(
        'flexibleTimeWindow mode FLEXIBLE without maximumWindowInMinutes: CreateSchedule rejects it; set 1–1440 or use mode OFF.',
      );
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 1440))
      report(`flexibleTimeWindow.maximumWindowInMinutes ${String(max)} is outside 1–1440.`);
  }),
};

/**
 * The identity of the deployed target groups: every property terraform-provider-aws marks ForceNew on
 * aws_lb_target_group (ip_address_type, name, name_prefix, port, protocol, protocol_version, target_type,
 * vpc_id), as the colour stacks declare it today. A change to any of them replaces the group while the
 * shared listener forwards to the old ARN. Change a value here only together with that replacement,
 * carried out as infra/README.md "Hazards" describes. (vpcId comes from the shared stack's output.)
 * Deliberately literal (8080, not SERVICE_PORT): a change of the constant must be caught too.
 */
export const DEPLOYED_TARGET_GROUP: Readonly<Record<string, unknown>> = {
  port: 8080,
  protocol: 'HTTP',
  protocolVersion: 'HTTP1',
  targetType: 'ip',
  ipAddressType: 'ipv4',
  name: undefined,
  namePrefix: undefined,
};
/** What AWS (and the provider's computed value) uses for a property left unset: setting it is no change. */
const TARGET_GROUP_DEFAULTS: Readonly<Record<string, unknown>> = {
  protocolVersion: 'HTTP1',
  ipAddressType: 'ipv4',
};
/** The provider upper-cases these (StateFunc), so `http1` is `HTTP1`. */
const UPPER_CASED = new Set(['protocol', 'protocolVersion']);

function effective(key: string, value: unknown): unknown {
  const v = value ?? TARGET_GROUP_DEFAULTS[key];
  return typeof v === 'string' && UPPER_CASED.has(key) ? v.toUpperCase() : v;
}
/** The logical names; a new one is a new group (the engine's auto-name is derived from it). */
const DEPLOYED_TARGET_GROUP_NAMES = /^exchange-(blue|green)-tg$/;

export const targetGroupReplacement: ResourceValidationPolicy = {
  name: 'target-group-replacement',
  description:
    'Target groups keep the properties that force their replacement (port, protocol, protocolVersion, targetType, ipAddressType, name, namePrefix).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.lb.TargetGroup, (tg, args, report) => {
    const hazards = 'follow infra/README.md "Hazards: target group replacement"';
    const props = tg as unknown as Record<string, unknown>;
    for (const [key, deployed] of Object.entries(DEPLOYED_TARGET_GROUP))
      if (effective(key, props[key]) !== deployed)
        report(
          `${key} ${JSON.stringify(props[key]) ?? 'unset'} differs from the deployed ${JSON.stringify(deployed) ?? 'unset'}: ` +
            `it forces a replacement of the target group while the shared listener forwards to it; ${hazards}, ` +
            'then update DEPLOYED_TARGET_GROUP in infra/policy/hazards.ts',
        );
    if (!DEPLOYED_TARGET_GROUP_NAMES.test(args.name))
      report(
        `logical name "${args.name}" is not a deployed target group's (exchange-<colour>-tg): a new name is a new group; ${hazards}`,
      );
  }),
};
