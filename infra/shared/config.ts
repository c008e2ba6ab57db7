// Typed configuration of the shared ALB stack, validated once before any resource is registered:
// a bad value fails `pulumi preview` with the key, the value and what is allowed.
import type * as pulumi from '@pulumi/pulumi';
import { COLORS, type Color } from '../../contract/index.ts';
import { SHARED_PROJECT } from '../../contract/stacks.ts';
import { MAX_WEIGHT, weightProblem, type Weights } from '../../contract/weights.ts';
import {
  integer,
  optionalInteger,
  optionalString,
  parseBool,
  parseCidr,
  parseEnum,
  requiredString,
  SHARED_CONFIG_KEYS,
  SharedConfigError,
  structured,
  type RawSharedConfig,
} from './configFields.ts';

export {
  SHARED_CONFIG_KEYS,
  SharedConfigError,
  type RawSharedConfig,
  type SharedConfigKey,
} from './configFields.ts';

export type NatStrategy = 'none' | 'single' | 'one-per-az';
export const NAT_STRATEGIES: readonly NatStrategy[] = ['none', 'single', 'one-per-az'];

export interface GitlabConfig {
  /** Instance URL, https and no trailing slash; it is also the OIDC issuer. */
  url: string;
  /** `group/subgroup/project` whose pipelines may assume the roles. */
  projectPath: string;
  /** Only pipelines on this branch get the deploy role. @default "main" */
  protectedBranch: string;
  /** `aud` of the job's id_token. @default - the GitLab URL (GitLab's documented convention) */
  audience: string;
  /** An account holds one OIDC provider per URL: reuse an existing one instead of creating it. */
  existingProviderArn?: string;
}

export interface SharedConfig {
  /** Listener weight per colour (ALB forward action: 0–MAX_WEIGHT each, not all zero). */
  weights: Weights;
  /** Target-group stickiness on the forward action, seconds (1–604800). @default - no stickiness */
  stickinessSeconds?: number;
  /** @default "single" — one NAT gateway (~$32/month) keeps tasks private; see infra/README.md */
  natStrategy: NatStrategy;
  /** Availability zones for the VPC; an ALB needs at least two. @default 2 */
  azCount: number;
  /** @default "10.0.0.0/16" */
  vpcCidr: string;
  /** ACM certificate: adds HTTPS 443 and turns HTTP 80 into a redirect. @default - HTTP only */
  certificateArn?: string;
  /** Name users reach (a DNS record the operator points at the ALB); only with a certificate. */
  domainName?: string;
  /** Colours whose stacks exist and may be read; empty during bootstrap step 1. @default [] */
  environments: Color[];
  /** Full stack name per colour, e.g. `organization/exchange/blue` (required for listed colours). */
  environmentStacks: Partial<Record<Color, string>>;
  gitlab: GitlabConfig;
  /** Bare bucket name of the DIY Pulumi backend (not `s3://…`): the pipeline roles read/write state there. */
  stateBucket: string;
  /** Key prefix inside stateBucket. @default "" */
  statePrefix: string;
  /** Deletion protection on the ALB: a `destroy` must turn it off first. @default true */
  albDeletionProtection: boolean;
  /** Days ALB access logs are kept. @default 90 */
  albLogRetentionDays: number;
}

const STACK_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const MAX_STICKINESS_SECONDS = 604_800;

/** Reads every key once from the stack's config (values stay strings; parseSharedConfig types them). */
export function readRawSharedConfig(cfg: pulumi.Config): RawSharedConfig {
  const raw: RawSharedConfig = {};
  for (const key of SHARED_CONFIG_KEYS) {
    const value = cfg.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return raw;
}

/** Types and validates the whole config; the first bad key throws SharedConfigError. */
export function parseSharedConfig(raw: RawSharedConfig): SharedConfig {
  const environments = parseEnvironments(raw.environments);
  const weights = parseWeights(raw.weights, environments);
  const certificateArn = optionalString(
    raw,
    'certificateArn',
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/,
    'an ACM certificate ARN',
  );
  const domainName = optionalString(
    raw,
    'domainName',
    /^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/,
    'a lower-case DNS name',
  );
  if (domainName !== undefined && certificateArn === undefined) {
    throw new SharedConfigError(
      'domainName',
      domainName,
      'only together with certificateArn (the name is served over HTTPS)',
    );
  }
  return {
    weights,
    ...optionalInteger(raw, 'stickinessSeconds', 1, MAX_STICKINESS_SECONDS),
    natStrategy: parseEnum(raw, 'natStrategy', NAT_STRATEGIES, 'single'),
    azCount: integer(raw, 'azCount', 2, 6, 2),
    vpcCidr: parseCidr(raw.vpcCidr ?? '10.0.0.0/16'),
    ...(certificateArn === undefined ? {} : { certificateArn }),
    ...(domainName === undefined ? {} : { domainName }),
    environments,
    environmentStacks: parseEnvironmentStacks(raw.environmentStacks, environments),
    gitlab: parseGitlab(raw.gitlab),
    stateBucket: requiredString(
      raw,
      'stateBucket',
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name (3–63 of a-z 0-9 . -)',
    ),
    statePrefix:
      optionalString(raw, 'statePrefix', /^[\w./-]*$/, 'a key prefix of letters, digits, _ . / -') ?? '',
    albDeletionProtection: parseBool(raw, 'albDeletionProtection', true),
    albLogRetentionDays: integer(raw, 'albLogRetentionDays', 1, 3650, 90),
  };
}

function parseEnvironments(value: unknown): Color[] {
  const list = value === undefined ? [] : structured('environments', value);
  const allowed = `a list of distinct colours from [${COLORS.join(', ')}] whose stacks exist ([] during bootstrap)`;
  if (
    !Array.isArray(list) ||
    list.some((c) => !COLORS.includes(c as Color)) ||
    new Set(list).size !== list.length
  ) {
    throw new SharedConfigError('environments', list, allowed);
  }
  return COLORS.filter((c) => list.includes(c));
}

function parseWeights(value: unknown, environments: Color[]): Weights {
  const allowed = `{ ${COLORS.map((c) => `${c}: 0–${MAX_WEIGHT}`).join(', ')} } integers, not all zero`;
  const w = structured('weights', value);
  if (typeof w !== 'object' || w === null || Array.isArray(w))
    throw new SharedConfigError('weights', w, allowed);
  const record = w as Record<string, unknown>;
  const unknownKey = Object.keys(record).find((k) => !COLORS.includes(k as Color));
  if (unknownKey !== undefined)
    throw new SharedConfigError(`weights.${unknownKey}`, record[unknownKey], `only ${COLORS.join(', ')}`);
  const weights = {} as Weights;
  for (const color of COLORS) {
    // `pulumi config set --path weights.green 10` may store the number as text.
    const v = record[color] ?? 0;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (weightProblem(n) !== undefined)
      throw new SharedConfigError(`weights.${color}`, record[color], `an integer 0–${MAX_WEIGHT}`);
    weights[color] = n as number;
  }
  if (COLORS.every((c) => weights[c] === 0)) throw new SharedConfigError('weights', w, allowed);
  // During bootstrap (no environments yet) the listener serves a fixed 503 whatever the weights say;
  // once any colour exists, weight on a colour whose stack is not listed can never be honoured.
  const orphan = COLORS.find((c) => weights[c] > 0 && environments.length > 0 && !environments.includes(c));
  if (orphan !== undefined) {
    throw new SharedConfigError(
      `weights.${orphan}`,
      weights[orphan],
      `0 until "${orphan}" is listed in ${SHARED_PROJECT}:environments (deploy its stack first)`,
    );
  }
  return weights;
}

function parseEnvironmentStacks(value: unknown, environments: Color[]): Partial<Record<Color, string>> {
  const parsed = value === undefined ? {} : structured('environmentStacks', value);
  const allowed =
    '{ blue: "organization/exchange/blue", green: "organization/exchange/green" } (org/project/stack)';
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SharedConfigError('environmentStacks', parsed, allowed);
  const record = parsed as Record<string, unknown>;
  const stacks: Partial<Record<Color, string>> = {};
  for (const color of COLORS) {
    const name = record[color];
    if (name === undefined && !environments.includes(color)) continue;
    if (typeof name !== 'string' || !STACK_NAME.test(name))
      throw new SharedConfigError(`environmentStacks.${color}`, name, allowed);
    stacks[color] = name;
  }
  return stacks;
}

function parseGitlab(value: unknown): GitlabConfig {
  const g = structured('gitlab', value);
  if (typeof g !== 'object' || g === null || Array.isArray(g)) {
    throw new SharedConfigError(
      'gitlab',
      g,
      '{ url, projectPath, protectedBranch?, audience?, existingProviderArn? }',
    );
  }
  const r = g as Record<string, unknown>;
  const url = str(
    r,
    'url',
    /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w.-]+)*$/,
    'an https:// URL without trailing slash',
  );
  // `*` and `?` would widen the StringLike/StringEquals trust conditions built from these values.
  const projectPath = str(r, 'projectPath', /^[\w.-]+(\/[\w.-]+)+$/, 'group/project (no wildcards)');
  const protectedBranch = str(r, 'protectedBranch', /^[\w./-]+$/, 'a branch name (no wildcards)', 'main');
  const audience = str(r, 'audience', /^[^*?\s]+$/, 'the id_token aud (no wildcards)', url);
  const providerArn = r.existingProviderArn;
  if (
    providerArn !== undefined &&
    (typeof providerArn !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/.test(providerArn))
  ) {
    throw new SharedConfigError('gitlab.existingProviderArn', providerArn, 'an IAM OIDC provider ARN');
  }
  return {
    url,
    projectPath,
    protectedBranch,
    audience,
    ...(providerArn === undefined ? {} : { existingProviderArn: providerArn }),
  };
}

function str(
  r: Record<string, unknown>,
  key: string,
  pattern: RegExp,
  allowed: string,
  fallback?: string,
): string {
  const v = r[key] ?? fallback;
  if (typeof v !== 'string' || !pattern.test(v))
    throw new SharedConfigError(`gitlab.${key}`, r[key], allowed);
  return v;
}
