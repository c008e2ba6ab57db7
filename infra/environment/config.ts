// Typed configuration of a blue/green stack, read once from the `exchange:*` keys and validated
// before any resource exists. Errors name the key as written in Pulumi.<stack>.yaml.
import * as pulumi from '@pulumi/pulumi';
import { DEFAULTS, validateArgs } from '../../components/exchangeEnvironment/args.ts';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { COLORS, type Color } from '../../contract/index.ts';
import { ENV_PROJECT } from '../../contract/stacks.ts';
import { pathKeyFix, unknownKeys } from '../engine/unknownKeys.ts';
import {
  AUTO_SCALING_DEFAULTS,
  type ResolvedAutoScaling,
} from '../../components/exchangeEnvironment/scalingArgs.ts';

export interface EnvironmentConfig {
  color: Color;
  image: string;
  version: string;
  /** Durable release state location (same as the shared stack's): where the released image is read at up. */
  stateBucket: string;
  statePrefix: string;
  source: string;
  schedule: string;
  scheduleTimezone: string;
  cpu: number;
  memory: number;
  desiredCount: number;
  /** Application Auto Scaling: min/max tasks, request and CPU targets, cooldowns. */
  autoScaling: ResolvedAutoScaling;
  /** Tasks the colour keeps while idle between releases (0 or ≥ 1, at most maxCapacity). */
  standbyTasks: number;
  logRetentionDays: number;
  maxDataAge: string;
  /** Full name of the shared stack, `<organization>/<project>/<stack>`. */
  sharedStack: string;
  registryCredentialsSecretArn?: string;
  /** The operator made the image's package public (GHCR publishes new packages private). */
  imagePublic: boolean;
  /** Subscribed to the alert topic; '' = nobody (the Pulumi.yaml default). */
  alertEmail: string;
  /** Lift the target group's protection for one planned replacement (infra/README.md "Hazards"). */
  allowTargetGroupReplacement: boolean;
  /** Who may use the header test route: CIDRs and/or a secret X-Exchange-Test-Key value. */
  testRouteSourceCidrs: string[];
  testRouteSecret?: string;
}

/** Every key this project reads; anything else under `exchange:` is a typo and is rejected. */
export const CONFIG_KEYS = [
  'color',
  'image',
  'version',
  'stateBucket',
  'statePrefix',
  'source',
  'schedule',
  'scheduleTimezone',
  'cpu',
  'memory',
  'desiredCount',
  'minCapacity',
  'maxCapacity',
  'requestsPerTaskPerMinute',
  'targetCpuPercent',
  'scaleOutCooldownSeconds',
  'scaleInCooldownSeconds',
  'standbyTasks',
  'logRetentionDays',
  'maxDataAge',
  'sharedStack',
  'registryCredentialsSecretArn',
  'imagePublic',
  'alertEmail',
  'allowTargetGroupReplacement',
  'testRouteSourceCidrs',
  'testRouteSecret',
] as const;
type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Component argument → config key, for errors raised by the component's validators. */
const KEY_OF_ARG: Record<string, ConfigKey> = {
  scheduleExpression: 'schedule',
  'autoScaling.minCapacity': 'minCapacity',
  'autoScaling.maxCapacity': 'maxCapacity',
  'autoScaling.requestsPerTaskPerMinute': 'requestsPerTaskPerMinute',
  'autoScaling.cpuPercent': 'targetCpuPercent',
  'autoScaling.scaleOutCooldownSeconds': 'scaleOutCooldownSeconds',
  'autoScaling.scaleInCooldownSeconds': 'scaleInCooldownSeconds',
};

/** The `autoScaling` argument from its flat config keys, defaults as documented in scalingArgs.ts. */
function autoScalingOf(int: (k: ConfigKey, fallback: number) => number): ResolvedAutoScaling {
  const d = AUTO_SCALING_DEFAULTS;
  return {
    minCapacity: int('minCapacity', d.minCapacity),
    maxCapacity: int('maxCapacity', d.maxCapacity),
    requestsPerTaskPerMinute: int('requestsPerTaskPerMinute', d.requestsPerTaskPerMinute),
    cpuPercent: int('targetCpuPercent', d.cpuPercent),
    scaleOutCooldownSeconds: int('scaleOutCooldownSeconds', d.scaleOutCooldownSeconds),
    scaleInCooldownSeconds: int('scaleInCooldownSeconds', d.scaleInCooldownSeconds),
  };
}

/** Standby between releases: 0 (cheapest) or up to maxCapacity; more could never be placed. */
function checkStandby(cfg: EnvironmentConfig, project: string): void {
  const max = cfg.autoScaling.maxCapacity;
  if (!Number.isInteger(cfg.standbyTasks) || cfg.standbyTasks < 0 || cfg.standbyTasks > max)
    throw new EnvironmentArgError(
      `${project}:standbyTasks`,
      cfg.standbyTasks,
      `an integer from 0 to maxCapacity (${max})`,
      '0 is cheapest (a rollback first scales up); ≥ 1 keeps an instant rollback',
    );
}

const STACK_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/** Config values as Pulumi stores them (strings) or as a YAML stack file holds them (numbers too). */
export type RawConfig = Record<string, string | number | boolean | undefined>;

/**
 * Parses and validates the `<project>:*` keys of `raw` for `stack`; other namespaces (aws:region) are ignored.
 * @throws EnvironmentArgError naming `exchange:<key>`, the bad value and the allowed values.
 */
export function parseEnvironmentConfig(
  raw: RawConfig,
  stack: string,
  project: string = ENV_PROJECT,
): EnvironmentConfig {
  const key = (k: ConfigKey) => `${project}:${k}`;
  rejectUnknownKeys(raw, project);
  const get = (k: ConfigKey): string | undefined =>
    raw[key(k)] === undefined ? undefined : String(raw[key(k)]).trim();
  const required = (k: ConfigKey, allowed: string): string => {
    const v = get(k);
    if (v === undefined || v === '')
      throw new EnvironmentArgError(
        key(k),
        v ?? null,
        allowed,
        `set it: pulumi config set ${k} <value> --stack ${stack}`,
      );
    return v;
  };
  const int = (k: ConfigKey, fallback: number): number => {
    const v = get(k);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v)) throw new EnvironmentArgError(key(k), v, 'a whole number');
    return Number(v);
  };

  const bool = (k: ConfigKey, fallback: boolean): boolean => {
    const v = get(k);
    if (v === undefined) return fallback;
    if (v !== 'true' && v !== 'false') throw new EnvironmentArgError(key(k), v, 'true or false');
    return v === 'true';
  };

  const stringList = (k: ConfigKey): string[] => {
    const v = get(k);
    if (v === undefined || v === '') return [];
    let list: unknown;
    try {
      list = JSON.parse(v);
    } catch {
      list = undefined;
    }
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))
      throw new EnvironmentArgError(key(k), v, 'a YAML list of strings in the stack file');
    return list as string[];
  };
  const testRouteSecret = get('testRouteSecret');

  const color = required('color', COLORS.join(', ')) as Color;
  if (!(COLORS as readonly string[]).includes(color))
    throw new EnvironmentArgError(key('color'), color, COLORS.join(', '));
  if (color !== stack) {
    throw new EnvironmentArgError(
      key('color'),
      color,
      `"${stack}" (the stack name)`,
      'each colour is deployed by the stack of the same name',
    );
  }
  const sharedStack = required(
    'sharedStack',
    '<organization>/<project>/<stack>, e.g. organization/exchange-shared/shared',
  );
  if (!STACK_NAME.test(sharedStack))
    throw new EnvironmentArgError(key('sharedStack'), sharedStack, '<organization>/<project>/<stack>');
  // Pulumi.yaml must give optional keys a default (keys declared without one are required), so '' means unset.
  const secretValue = get('registryCredentialsSecretArn');
  const secret = secretValue === '' ? undefined : secretValue;
  if (secret !== undefined && !SECRET_ARN.test(secret))
    throw new EnvironmentArgError(
      key('registryCredentialsSecretArn'),
      secret,
      'a Secrets Manager secret ARN',
    );

  const cfg: EnvironmentConfig = {
    color,
    image: required('image', '<registry>/<repository>@sha256:<64 hex> or :<x.y.z release tag>'),
    version: required('version', 'the app version, e.g. 1.4.2'),
    stateBucket: required('stateBucket', 'the Pulumi state bucket, as exchange-shared:stateBucket'),
    statePrefix: get('statePrefix') ?? '',
    source: required('source', 'a source id, e.g. dse'),
    schedule: required('schedule', 'cron(min hour day-of-month month day-of-week year) or rate(n unit)'),
    scheduleTimezone: get('scheduleTimezone') ?? DEFAULTS.scheduleTimezone,
    cpu: int('cpu', DEFAULTS.cpu),
    memory: int('memory', DEFAULTS.memory),
    desiredCount: int('desiredCount', DEFAULTS.desiredCount),
    autoScaling: autoScalingOf(int),
    standbyTasks: int('standbyTasks', 0),
    logRetentionDays: int('logRetentionDays', DEFAULTS.logRetentionDays),
    maxDataAge: get('maxDataAge') ?? DEFAULTS.maxDataAge,
    sharedStack,
    alertEmail: get('alertEmail') ?? DEFAULTS.alertEmail,
    allowTargetGroupReplacement: bool('allowTargetGroupReplacement', false),
    imagePublic: bool('imagePublic', false),
    testRouteSourceCidrs: stringList('testRouteSourceCidrs'),
    ...(testRouteSecret ? { testRouteSecret } : {}),
    ...(secret !== undefined ? { registryCredentialsSecretArn: secret } : {}),
  };
  validateAsConfig(cfg, project);
  checkImagePull(cfg, project);
  checkStandby(cfg, project);
  return cfg;
}

/** Registries ECS pulls from without registry credentials: ECR (the execution role) and ECR Public. */
const AWS_REGISTRY = /^(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|public\.ecr\.aws)\//;

/**
 * Any other registry answers an anonymous pull only for a public image, and ghcr.io makes a package
 * private when it is first published (GitHub Docs, "Configuring a package's access control and
 * visibility"): the first deploy would stop with CannotPullContainerError. So the stack says which way
 * the image is pulled — the package made public, or credentials — and neither is refused.
 */
function checkImagePull(cfg: EnvironmentConfig, project: string): void {
  if (AWS_REGISTRY.test(cfg.image) || cfg.imagePublic || cfg.registryCredentialsSecretArn !== undefined)
    return;
  throw new EnvironmentArgError(
    `${project}:image`,
    cfg.image,
    `an image ECS can pull: set ${project}:imagePublic true once the package is public, or ${project}:registryCredentialsSecretArn`,
    'a GHCR package is private when first published: make it public (README "Releasing", first deployment) or store a read:packages token as {"username","password"} in Secrets Manager',
  );
}

function rejectUnknownKeys(raw: RawConfig, project: string): void {
  const k = unknownKeys(raw, project, CONFIG_KEYS)[0];
  if (k !== undefined)
    throw new EnvironmentArgError(
      `${project}:${k}`,
      raw[`${project}:${k}`],
      CONFIG_KEYS.map((c) => `${project}:${c}`).join(', '),
      pathKeyFix(k, CONFIG_KEYS) ?? 'unknown key (typo?)',
    );
}

/** Runs the component's own validators, so config and component can never disagree, renaming args to keys. */
function validateAsConfig(cfg: EnvironmentConfig, project: string): void {
  try {
    validateArgs({ ...DEFAULTS, ...cfg, scheduleExpression: cfg.schedule, command: undefined });
  } catch (err) {
    if (!(err instanceof EnvironmentArgError)) throw err;
    const arg = err.arg;
    const key = KEY_OF_ARG[arg] ?? arg;
    // An argument no config key sets (a default in code) stays unrenamed: synth reports it as a code error.
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) throw err;
    throw err.renamed(`${project}:${key}`);
  }
}

/** The current stack's config, read once from the Pulumi runtime. */
export function readEnvironmentConfig(): EnvironmentConfig {
  return parseEnvironmentConfig(pulumi.runtime.allConfig(), pulumi.getStack(), pulumi.getProject());
}
