// Deploy check, the pure part: did the release `pulumi up --stack <colour>` just applied really land?
// `up` cannot tell (waitForSteadyState does not see a circuit-breaker rollback: terraform-provider-aws
// #20858), so after `up` the service's PRIMARY deployment must run exactly the task definition the stack
// exported, with rolloutState COMPLETED. The scheduled ingest targets that same exported revision, so a
// failed check also means the schedule now runs a revision ECS rejected: the message says how to fix both.
import type { Deployment, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { COLORS, type Color } from '../contract/index.ts';

/** What the stack exported (`pulumi stack output --json --stack <colour>`): the names deploy-check reads. */
export interface DeployExpectation {
  color: Color;
  clusterArn: string;
  serviceName: string;
  taskDefinitionArn: string;
}

export type DeployCheckResult =
  | { ok: true; summary: string }
  | { ok: false; reason: 'rolled-back' | 'in-progress' | 'failed' | 'missing'; summary: string };

export class DeployOutputsError extends Error {
  override name = 'DeployOutputsError';
}

const ARN_TD = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[\w-]+:\d+$/;
const ARN_CLUSTER = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):\d{12}:cluster\/[\w-]+$/;

/** Reads the stack's outputs JSON; `color` must match the stack the release deployed. */
export function expectationFromOutputs(json: unknown, color: string, source: string): DeployExpectation {
  if (!(COLORS as readonly string[]).includes(color))
    throw new DeployOutputsError(`--color "${color}" is not one of ${COLORS.join(', ')}`);
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const field = (key: string, pattern: RegExp, example: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || !pattern.test(v))
      throw new DeployOutputsError(
        `${source}: output "${key}" = ${JSON.stringify(v) ?? 'missing'}; expected ${example} (pulumi stack output --json --stack ${color})`,
      );
    return v;
  };
  if (o.color !== color)
    throw new DeployOutputsError(
      `${source} is the output of the ${JSON.stringify(o.color) ?? 'unknown'} stack, not ${color}: run pulumi stack output --json --stack ${color}`,
    );
  return {
    color: color as Color,
    clusterArn: field('clusterArn', ARN_CLUSTER, 'an ECS cluster ARN'),
    serviceName: field('serviceName', /^[\w-]{1,255}$/, 'an ECS service name'),
    taskDefinitionArn: field('taskDefinitionArn', ARN_TD, 'a task definition ARN with revision'),
  };
}

/** The region ECS must be called in: the cluster ARN's. */
export function regionOf(clusterArn: string): string {
  return ARN_CLUSTER.exec(clusterArn)?.[1] ?? '';
}

/** `family:revision` of a task definition ARN, for messages. */
export function revisionOf(arn: string | undefined): string {
  return arn?.split('/').pop() ?? 'unknown';
}

const TROUBLE = /fail|unhealthy|rolling back|rolled back|circuit breaker|unable|error|stopped/i;

/** Newest service events that explain a failure (ECS lists events newest first), at most three. */
export function failureEvents(events: ServiceEvent[] | undefined): string[] {
  return (events ?? [])
    .filter((e) => TROUBLE.test(e.message ?? ''))
    .slice(0, 3)
    .map((e) => e.message ?? '');
}

function why(primary: Deployment, events: ServiceEvent[] | undefined): string {
  const reasons = [primary.rolloutStateReason, ...failureEvents(events)].filter((r): r is string => !!r);
  return reasons.length > 0 ? reasons.join(' | ') : 'ECS gave no reason: see the service events';
}

function fix(e: DeployExpectation): string {
  return (
    `the scheduled ingest now targets ${revisionOf(e.taskDefinitionArn)} too: set exchange:image/version back ` +
    `to the last good release and run pulumi up --stack ${e.color}, then deploy-check again`
  );
}

/** The verdict on one DescribeServices answer for the expected service. */
export function evaluateDeployment(e: DeployExpectation, service: Service | undefined): DeployCheckResult {
  const name = `${e.color} (${e.serviceName})`;
  if (!service || service.status === 'INACTIVE')
    return { ok: false, reason: 'missing', summary: `service ${name} not found in ${e.clusterArn}` };
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary) return { ok: false, reason: 'missing', summary: `service ${name} has no PRIMARY deployment` };
  const expected = revisionOf(e.taskDefinitionArn);
  const running = revisionOf(primary.taskDefinition);
  if (primary.taskDefinition !== e.taskDefinitionArn)
    return {
      ok: false,
      reason: 'rolled-back',
      summary:
        `${name} runs ${running}, not the released ${expected} (rolled back): ${why(primary, service.events)}; ` +
        fix(e),
    };
  if (primary.rolloutState === 'COMPLETED')
    return {
      ok: true,
      summary: `${name} runs ${expected}, rollout COMPLETED (${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} tasks)`,
    };
  if (primary.rolloutState === 'IN_PROGRESS')
    return {
      ok: false,
      reason: 'in-progress',
      summary: `${name} is still rolling out ${expected} (${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} running): run deploy-check again in a minute`,
    };
  return {
    ok: false,
    reason: 'failed',
    summary: `${name} rollout of ${expected} is ${primary.rolloutState ?? 'unknown'}: ${why(primary, service.events)}; ${fix(e)}`,
  };
}

/**
 * What a CannotPullContainerError (a stopped task's reason) says is missing. A registry that refuses an
 * anonymous pull (ghcr.io answers 401 for a private package, and a package is private when first
 * published: GitHub Docs, "Configuring a package's access control and visibility") needs the package made
 * public or pull credentials; credentials that are refused need fixing; a timeout is the network.
 */
export function pullFailureHint(reason: string, credentialsArn: string | undefined): string | undefined {
  if (!/CannotPullContainerError/i.test(reason)) return undefined;
  const refused = /401|403|unauthori[sz]ed|forbidden|denied|failed to authorize/i.test(reason);
  if (refused && credentialsArn === undefined)
    return (
      'ECS could not pull the image and the task has no pull credentials: a GHCR package is private until made ' +
      'public; make it public (README "Releasing", first deployment) and set exchange:imagePublic true, or set ' +
      'exchange:registryCredentialsSecretArn to a secret {"username","password"} with a read:packages token'
    );
  if (refused)
    return `the registry refused the pull credentials in ${credentialsArn}: check the token (classic, read:packages) and the secret's {"username","password"} JSON`;
  if (/timeout|dial tcp|deadline exceeded|no route/i.test(reason))
    return "the tasks' subnets cannot reach the registry: check the NAT gateway (private subnets) or the public IP (public subnets)";
  return undefined;
}
