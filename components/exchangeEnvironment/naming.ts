// Logical and physical names of an environment's children. Blue and green share one account, so
// every physical name must carry the colour, and AWS counts the engine's 8-char suffix.
import { COLOR_HEADER, type Color } from '../../contract/index.ts';
import { TEST_ROUTE_PRIORITY, type TestRouteKind } from '../../contract/stacks.ts';
import { EnvironmentArgError } from './errors.ts';

/** TG names are ≤ 32 chars and the engine appends "-" + 7 chars (pulumi-aws#1317). */
export const MAX_TG_LOGICAL_NAME = 24;
const NAME = /^[a-z][a-z0-9-]*$/;

export interface EnvironmentNames {
  bucket: string;
  taskRole: string;
  ingestRole: string;
  executionRole: string;
  schedulerRole: string;
  logGroup: string;
  taskDefinition: string;
  /** ECS task family: required and not auto-named, so it is explicit and carries the colour. */
  family: string;
  targetGroup: string;
  /** The source-CIDR test route (it kept the original name, so CIDR-only stacks see no change). */
  testRoute: string;
  /** The secret-header test route. */
  testRouteKey: string;
  securityGroup: string;
  service: string;
  schedule: string;
  deadLetterQueue: string;
  alertTopic: string;
  ingestFailedRule: string;
}

/** EventBridge Scheduler names are 1–64 of [0-9a-zA-Z-_.] (CreateSchedule Name); the engine appends 8. */
export const MAX_SCHEDULE_LOGICAL_NAME = 64 - 8;

/** The schedule of a further source (moreSources): beside the environment's own, named after it. */
export function sourceScheduleName(n: EnvironmentNames, source: string): string {
  const name = `${n.schedule}-${source}`;
  if (name.length > MAX_SCHEDULE_LOGICAL_NAME) {
    throw new EnvironmentArgError(
      'moreSources',
      source,
      `a source id of at most ${MAX_SCHEDULE_LOGICAL_NAME - n.schedule.length - 1} characters here (schedule "${name}" + 8-char suffix must fit 64)`,
    );
  }
  return name;
}

/** Child names derived from the component name; throws if the name cannot yield valid AWS names. */
export function environmentNames(name: string, color: Color): EnvironmentNames {
  // '_' survives the auto-namer but is invalid in bucket and TG names; upper case is invalid in buckets.
  if (!NAME.test(name))
    throw new EnvironmentArgError('name', name, 'lower-case letters, digits and "-", starting with a letter');
  if (!name.includes(color)) {
    throw new EnvironmentArgError(
      'name',
      name,
      `a name containing the colour "${color}", e.g. exchange-${color}`,
      'blue and green share one account',
    );
  }
  const targetGroup = `${name}-tg`;
  if (targetGroup.length > MAX_TG_LOGICAL_NAME) {
    throw new EnvironmentArgError(
      'name',
      name,
      `at most ${MAX_TG_LOGICAL_NAME - 3} characters (target group "${targetGroup}" + 8-char suffix must fit 32)`,
    );
  }
  return {
    bucket: `${name}-site`,
    taskRole: `${name}-task`,
    ingestRole: `${name}-ingest-task`,
    executionRole: `${name}-exec`,
    schedulerRole: `${name}-sched`,
    logGroup: `${name}-logs`,
    taskDefinition: `${name}-taskdef`,
    family: `exchange-${color}`,
    targetGroup,
    testRoute: `${name}-test-route`,
    testRouteKey: `${name}-test-route-key`,
    securityGroup: `${name}-svc-sg`,
    service: `${name}-svc`,
    schedule: `${name}-ingest`,
    deadLetterQueue: `${name}-ingest-dlq`,
    alertTopic: `${name}-alerts`,
    ingestFailedRule: `${name}-ingest-failed`,
  };
}

/** The header a tester sends to reach this colour through the shared listener. */
export function testRouteHeader(color: Color): string {
  return `${COLOR_HEADER}: ${color}`;
}

/** Fixed per colour and kind (contract/stacks.ts) so no two rules collide on the shared listener. */
export function testRoutePriority(color: Color, kind: TestRouteKind): number {
  return TEST_ROUTE_PRIORITY[color][kind];
}
