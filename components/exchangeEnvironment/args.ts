// The component's public arguments, their documented defaults, and the single place they are
// validated and resolved — before any child resource exists.
import type * as pulumi from '@pulumi/pulumi';
import { COLORS, type Color } from '../../contract/index.ts';
import { EnvironmentArgError } from './errors.ts';
import {
  checkFargateSize,
  checkImage,
  checkIntRange,
  checkLogRetention,
  checkScheduleExpression,
  checkTimezone,
} from './limits.ts';
import {
  resolveAutoScaling,
  validateAutoScaling,
  type AutoScalingArgs,
  type ResolvedAutoScaling,
} from './scalingArgs.ts';

export interface ExchangeEnvironmentArgs {
  /** Which colour this environment is; drives names, the task family and the test-route priority. Plain, since it branches. */
  color: Color;
  /**
   * Container image, pinned: `<registry>/<repo>@sha256:<64 hex>` or `<registry>/<repo>:<x.y.z release tag>`.
   * Anything else (untagged, `latest`, `main`, `1.4`, `sha-…`) is rejected so a rollback redeploys the same bytes.
   * The image's ENTRYPOINT is the exchange CLI (`node bin/exchange.js`); `command` below only picks the subcommand.
   */
  image: string;
  /** App version shown by `/healthz` and the site (EXCHANGE_VERSION), e.g. `1.4.2`. */
  version: string;
  /** Source adapter id the scheduled ingest runs (`ingest --source <id>`) and EXCHANGE_SOURCE, e.g. `dse`. `[a-z][a-z0-9-]{0,31}`. */
  source: string;
  /** VPC of the shared stack; the target group and the service security group live in it. */
  vpcId: pulumi.Input<string>;
  /** Subnets the service and the scheduled task run in (private with NAT, or public without). At least two AZs. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Give tasks a public IP: true only when the subnets are public (no NAT), else image pulls fail. */
  assignPublicIp: pulumi.Input<boolean>;
  /** ARN of the shared ECS cluster (the schedule targets it; the scheduler role's RunTask is conditioned on it). */
  clusterArn: pulumi.Input<string>;
  /** Security group of the shared ALB: the only source admitted on the container port. */
  albSecurityGroupId: pulumi.Input<string>;
  /** ARN of the shared listener the colour's header test route is attached to. */
  listenerArn: pulumi.Input<string>;
  /** EventBridge Scheduler expression for the ingest run: `cron(6 fields)` or `rate(n unit)`. */
  scheduleExpression: string;
  /** IANA time zone the cron expression is evaluated in. @default "UTC" */
  scheduleTimezone?: string;
  /**
   * Further sources ingested into the same bucket, each on its own schedule (one EventBridge schedule
   * per source, beside the `source` one, sharing its role and dead-letter queue). The site then lists
   * every source on its landing page, each under /<source>/. Each `source` distinct (and not `source`),
   * `scheduleExpression` as above; `scheduleTimezone` @default the environment's `scheduleTimezone`.
   * @default [] - one source, as before
   */
  moreSources?: SourceSchedule[];
  /** Fargate task cpu units: 256, 512, 1024, 2048, 4096, 8192, 16384. @default 256 */
  cpu?: number;
  /** Fargate task memory in MiB; must pair with `cpu` (256 → 512/1024/2048, 512 → 1024–4096, …). @default 512 */
  memory?: number;
  /**
   * Tasks the service starts with, within autoScaling's min–max. Afterwards Application Auto Scaling owns
   * the count (`up` ignores it, or it would undo a scale-out). The container and target-group checks probe
   * liveness (`/livez`), which passes before the first ingest, so a brand-new environment deploys at full size.
   * @default 2
   */
  desiredCount?: number;
  /** Application Auto Scaling of the service: bounds, request and CPU targets, cooldowns. @default AUTO_SCALING_DEFAULTS */
  autoScaling?: AutoScalingArgs;
  /**
   * Scalable-target bounds declared instead of autoScaling's min/max while the release holds a decision
   * (a floor before a shift, standby between releases; infra/environment reads it from the release state).
   * @default - autoScaling.minCapacity/maxCapacity
   */
  scalingBounds?: { min: number; max: number };
  /** Log retention in days; one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, …, 3653). @default 30 */
  logRetentionDays?: number;
  /**
   * Secrets Manager ARN of `{"username","password"}` for a private registry (GHCR). When set, the execution role
   * may read exactly this secret and the container gets `repositoryCredentials`.
   * @default - the image is public; no secret access is granted
   */
  registryCredentialsSecretArn?: pulumi.Input<string>;
  /**
   * Oldest data `/healthz` still calls healthy (`serve --max-age`), as `<n>[smhd]`. Longer than the longest gap
   * between scheduled ingests (a Thursday → Sunday weekend plus a holiday), or every task turns unhealthy and is
   * replaced while nothing is wrong. @default "96h"
   */
  maxDataAge?: string;
  /** Container command, i.e. the CLI subcommand and flags after the ENTRYPOINT. @default - ["serve","--bucket",<bucket>,"--port","8080","--max-age",maxDataAge] */
  command?: pulumi.Input<string>[];
  /**
   * Seconds the target group waits before removing a draining target, 0–3600 and less than stopTimeoutSeconds
   * (AWS default 300 slows shifts). @default 20
   */
  deregistrationDelaySeconds?: number;
  /** Seconds ECS ignores failing ALB health checks after a task starts, 0–2147483647. @default 30 */
  healthCheckGracePeriodSeconds?: number;
  /** Seconds between SIGTERM and SIGKILL, 2–120 on Fargate; `serve` drains well inside it. @default 30 */
  stopTimeoutSeconds?: number;
  /** Days raw fetched pages are kept under `raw/`, ≥ 1. @default 365 */
  rawRetentionDays?: number;
  /** Days rejected pages are kept under `failed/`, ≥ 1. @default 30 */
  failedRetentionDays?: number;
  /** Days superseded object versions are kept (versioning is on), ≥ 1. @default 30 */
  noncurrentVersionRetentionDays?: number;
  /** Delete the bucket even when it holds objects (for throwaway environments). @default false */
  forceDestroyBucket?: boolean;
  /**
   * E-mail address subscribed to the colour's alert topic (ingest task failed, schedule dead letters). AWS
   * sends a confirmation mail first. @default "" - the topic exists, nobody is subscribed
   */
  alertEmail?: string;
  /**
   * Protect the target group (Pulumi refuses at preview to replace or delete it). Replacing it while the
   * shared listener forwards to it would 503 users and the delete would fail. Set false only for a planned
   * replacement after the shared stack stopped forwarding to this colour (infra/README.md). @default true
   */
  protectTargetGroup?: boolean;
  /**
   * Managed policy ARN set as the permissions boundary of every role the component creates (the shared
   * stack's `workloadBoundaryArn`; the deploy role may create no role without it). @default - none
   */
  permissionsBoundary?: pulumi.Input<string>;
  /**
   * Who may use the header test route (it reaches a colour before it has weight, so it must not be open to
   * anyone who sends the header): source CIDRs (at most 3, ALB condition limit) and/or a secret value the
   * request must carry in `X-Exchange-Test-Key`. At least one is required.
   */
  testRouteSourceCidrs?: string[];
  /** Secret value of the `X-Exchange-Test-Key` header on the test route (pass a pulumi secret). */
  testRouteSecret?: pulumi.Input<string>;
  /** Extra tags on every taggable child; `exchange:color` is always added. @default {} */
  tags?: Record<string, string>;
}

/** One more source the environment ingests on its own schedule. */
export interface SourceSchedule {
  source: string;
  scheduleExpression: string;
  scheduleTimezone?: string;
}

/** Args with every default applied and every plain value validated. */
type OptionalArgs =
  'registryCredentialsSecretArn' | 'command' | 'permissionsBoundary' | 'testRouteSecret' | 'scalingBounds';
export type ResolvedArgs = Required<Omit<ExchangeEnvironmentArgs, OptionalArgs | 'autoScaling'>> &
  Pick<ExchangeEnvironmentArgs, OptionalArgs> & { autoScaling: ResolvedAutoScaling };

export const DEFAULTS = {
  scheduleTimezone: 'UTC',
  cpu: 256,
  memory: 512,
  desiredCount: 2,
  logRetentionDays: 30,
  maxDataAge: '96h',
  deregistrationDelaySeconds: 20,
  healthCheckGracePeriodSeconds: 30,
  stopTimeoutSeconds: 30,
  rawRetentionDays: 365,
  failedRetentionDays: 30,
  noncurrentVersionRetentionDays: 30,
  forceDestroyBucket: false,
  alertEmail: '',
  protectTargetGroup: true,
} as const;

const SOURCE_ID = /^[a-z][a-z0-9-]{0,31}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const DURATION = /^[1-9][0-9]*[smhd]?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Applies defaults (with `??`, so 0 and false survive) and validates; throws EnvironmentArgError. */
export function resolveArgs(args: ExchangeEnvironmentArgs): ResolvedArgs {
  const r: ResolvedArgs = {
    ...args,
    scheduleTimezone: args.scheduleTimezone ?? DEFAULTS.scheduleTimezone,
    cpu: args.cpu ?? DEFAULTS.cpu,
    memory: args.memory ?? DEFAULTS.memory,
    desiredCount: args.desiredCount ?? DEFAULTS.desiredCount,
    autoScaling: resolveAutoScaling(args.autoScaling),
    logRetentionDays: args.logRetentionDays ?? DEFAULTS.logRetentionDays,
    maxDataAge: args.maxDataAge ?? DEFAULTS.maxDataAge,
    deregistrationDelaySeconds: args.deregistrationDelaySeconds ?? DEFAULTS.deregistrationDelaySeconds,
    healthCheckGracePeriodSeconds:
      args.healthCheckGracePeriodSeconds ?? DEFAULTS.healthCheckGracePeriodSeconds,
    stopTimeoutSeconds: args.stopTimeoutSeconds ?? DEFAULTS.stopTimeoutSeconds,
    rawRetentionDays: args.rawRetentionDays ?? DEFAULTS.rawRetentionDays,
    failedRetentionDays: args.failedRetentionDays ?? DEFAULTS.failedRetentionDays,
    noncurrentVersionRetentionDays:
      args.noncurrentVersionRetentionDays ?? DEFAULTS.noncurrentVersionRetentionDays,
    forceDestroyBucket: args.forceDestroyBucket ?? DEFAULTS.forceDestroyBucket,
    alertEmail: args.alertEmail ?? DEFAULTS.alertEmail,
    protectTargetGroup: args.protectTargetGroup ?? DEFAULTS.protectTargetGroup,
    testRouteSourceCidrs: args.testRouteSourceCidrs ?? [],
    moreSources: args.moreSources ?? [],
    tags: args.tags ?? {},
  };
  validateArgs(r);
  checkMoreSources(r.source, r.moreSources);
  checkTestRouteAccess(r.testRouteSourceCidrs, r.testRouteSecret !== undefined);
  if (r.scalingBounds !== undefined) checkBounds(r.scalingBounds);
  return r;
}

/** The plain (non-Output) fields, which can be checked before anything is registered. */
export type PlainArgs = Pick<
  ResolvedArgs,
  | 'color'
  | 'image'
  | 'version'
  | 'source'
  | 'maxDataAge'
  | 'scheduleExpression'
  | 'scheduleTimezone'
  | 'cpu'
  | 'memory'
  | 'desiredCount'
  | 'autoScaling'
  | 'logRetentionDays'
  | 'deregistrationDelaySeconds'
  | 'healthCheckGracePeriodSeconds'
  | 'stopTimeoutSeconds'
  | 'rawRetentionDays'
  | 'failedRetentionDays'
  | 'noncurrentVersionRetentionDays'
  | 'command'
  | 'alertEmail'
>;

/** Throws EnvironmentArgError (arg = the field name) for the first invalid plain field. */
export function validateArgs(r: PlainArgs): void {
  if (!(COLORS as readonly string[]).includes(r.color))
    throw new EnvironmentArgError('color', r.color, COLORS.join(', '));
  checkImage(r.image);
  checkPattern('version', r.version, VERSION, 'letters, digits and . _ + - (≤ 128), e.g. 1.4.2');
  checkPattern('source', r.source, SOURCE_ID, 'a source id matching [a-z][a-z0-9-]{0,31}, e.g. dse');
  checkPattern('maxDataAge', r.maxDataAge, DURATION, '<n>[s|m|h|d], e.g. 96h');
  checkScheduleExpression(r.scheduleExpression);
  checkTimezone(r.scheduleTimezone);
  checkFargateSize(r.cpu, r.memory);
  checkIntRange('desiredCount', r.desiredCount, 0, 5000);
  validateAutoScaling(r.autoScaling, r.desiredCount);
  checkLogRetention(r.logRetentionDays);
  checkIntRange('deregistrationDelaySeconds', r.deregistrationDelaySeconds, 0, 3600);
  checkIntRange('healthCheckGracePeriodSeconds', r.healthCheckGracePeriodSeconds, 0, 2147483647);
  checkIntRange('stopTimeoutSeconds', r.stopTimeoutSeconds, 2, 120);
  // A draining target's requests must finish while its container still runs.
  if (r.deregistrationDelaySeconds >= r.stopTimeoutSeconds)
    throw new EnvironmentArgError(
      'deregistrationDelaySeconds',
      r.deregistrationDelaySeconds,
      `less than stopTimeoutSeconds (${r.stopTimeoutSeconds})`,
    );
  checkIntRange('rawRetentionDays', r.rawRetentionDays, 1, 36500);
  checkIntRange('failedRetentionDays', r.failedRetentionDays, 1, 36500);
  checkIntRange('noncurrentVersionRetentionDays', r.noncurrentVersionRetentionDays, 1, 36500);
  if (r.alertEmail !== '')
    checkPattern('alertEmail', r.alertEmail, EMAIL, 'an e-mail address, or "" for none');
  if (r.command !== undefined && r.command.length === 0)
    throw new EnvironmentArgError('command', r.command, 'a non-empty list');
}

/** Bounds the release decided (a floor or standby): 0–5000 each, min ≤ max. */
function checkBounds(b: { min: number; max: number }): void {
  checkIntRange('scalingBounds.min', b.min, 0, 5000);
  checkIntRange('scalingBounds.max', b.max, b.min, 5000);
}

/** Each further source: a valid id, schedule and time zone, and no source scheduled twice. */
export function checkMoreSources(primary: string, more: readonly SourceSchedule[]): void {
  const seen = new Set([primary]);
  more.forEach((s, i) => {
    const arg = `moreSources[${i}]`;
    checkPattern(
      `${arg}.source`,
      s.source,
      SOURCE_ID,
      'a source id matching [a-z][a-z0-9-]{0,31}, e.g. ecb-hist',
    );
    if (seen.has(s.source))
      throw new EnvironmentArgError(
        `${arg}.source`,
        s.source,
        `a source not scheduled already (${[...seen].join(', ')})`,
      );
    seen.add(s.source);
    checkScheduleExpression(s.scheduleExpression);
    if (s.scheduleTimezone !== undefined) checkTimezone(s.scheduleTimezone);
  });
}

function checkPattern(arg: string, value: string, pattern: RegExp, allowed: string): void {
  if (typeof value !== 'string' || !pattern.test(value)) throw new EnvironmentArgError(arg, value, allowed);
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/;

/** The test route must be closed to the public: CIDRs (valid, ≤ 3) and/or a secret header. */
export function checkTestRouteAccess(cidrs: string[], hasSecret: boolean): void {
  if (cidrs.length === 0 && !hasSecret)
    throw new EnvironmentArgError(
      'testRouteSourceCidrs',
      cidrs,
      'at least one CIDR, or a testRouteSecret',
      'the header test route must not be open to anyone who sends the header',
    );
  const bad = cidrs.find(
    (c) =>
      !CIDR.test(c) ||
      c
        .split(/[./]/)
        .slice(0, 4)
        .some((o) => Number(o) > 255),
  );
  if (bad !== undefined || cidrs.length > 3)
    throw new EnvironmentArgError(
      'testRouteSourceCidrs',
      cidrs,
      'at most 3 IPv4 CIDRs, e.g. 198.51.100.0/24',
    );
}
