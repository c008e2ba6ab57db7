// Field readers for the shared stack's config: Pulumi hands every value over as text (structured
// values as JSON); each reader types one key or throws SharedConfigError naming it.
import { SHARED_PROJECT } from '../../contract/stacks.ts';
import { pathKeyFix, unknownKeys } from '../engine/unknownKeys.ts';

/** Every key this project reads (also described in Pulumi.yaml). */
export const SHARED_CONFIG_KEYS = [
  'weights',
  'stickinessSeconds',
  'natStrategy',
  'azCount',
  'vpcCidr',
  'certificateArn',
  'domainName',
  'environments',
  'environmentStacks',
  'gitlab',
  'stateBucket',
  'statePrefix',
  'albDeletionProtection',
  'albLogRetentionDays',
] as const;
export type SharedConfigKey = (typeof SHARED_CONFIG_KEYS)[number];

/** Raw config as Pulumi hands it over: every value a string (structured values as JSON), or already parsed. */
export type RawSharedConfig = Partial<Record<SharedConfigKey, unknown>>;

export class SharedConfigError extends Error {
  override name = 'SharedConfigError';
  constructor(
    readonly key: string,
    value: unknown,
    readonly allowed: string,
  ) {
    super(
      `${SHARED_PROJECT}:${key} = ${JSON.stringify(value) ?? 'undefined'} is invalid; allowed: ${allowed}`,
    );
  }
}

/** Refuses an `exchange-shared:` key the program never reads (the engine passes such keys through). */
export function rejectUnknownSharedKeys(all: Record<string, unknown>): void {
  const key = unknownKeys(all, SHARED_PROJECT, SHARED_CONFIG_KEYS)[0];
  if (key === undefined) return;
  const fix = pathKeyFix(key, SHARED_CONFIG_KEYS);
  throw new SharedConfigError(
    key,
    all[`${SHARED_PROJECT}:${key}`],
    fix === undefined
      ? `no such key (typo?); the keys are ${SHARED_CONFIG_KEYS.join(', ')}`
      : `only keys this project reads; ${fix}`,
  );
}

/** Pulumi passes structured config as JSON text; tests and synth may pass parsed values. */
export function structured(key: SharedConfigKey, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new SharedConfigError(key, value, 'a YAML map/list in Pulumi.<stack>.yaml (or JSON text)');
  }
}

export function parseCidr(value: unknown): string {
  const m =
    typeof value === 'string' ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value) : null;
  const octetsOk = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255);
  const prefix = m ? Number(m[5]) : NaN;
  // /16–/20 leaves room for a public and a private subnet per AZ in up to 6 AZs.
  if (!octetsOk || prefix < 16 || prefix > 20)
    throw new SharedConfigError('vpcCidr', value, 'an IPv4 CIDR from /16 to /20, e.g. 10.0.0.0/16');
  return value as string;
}

export function parseEnum<T extends string>(
  raw: RawSharedConfig,
  key: SharedConfigKey,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = raw[key] ?? fallback;
  if (!allowed.includes(v as T)) throw new SharedConfigError(key, raw[key], allowed.join(' | '));
  return v as T;
}

export function integer(
  raw: RawSharedConfig,
  key: SharedConfigKey,
  min: number,
  max: number,
  fallback: number,
): number {
  const v = raw[key] ?? fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max)
    throw new SharedConfigError(key, raw[key], `an integer ${min}–${max}`);
  return n;
}

export function optionalInteger(
  raw: RawSharedConfig,
  key: 'stickinessSeconds',
  min: number,
  max: number,
): { stickinessSeconds?: number } {
  // 0 is the project default (Pulumi.yaml): the engine requires every typed key to have one or a value.
  const v = raw[key];
  return v === undefined || v === 0 || v === '0' ? {} : { [key]: integer(raw, key, min, max, min) };
}

export function optionalString(
  raw: RawSharedConfig,
  key: SharedConfigKey,
  pattern: RegExp,
  allowed: string,
): string | undefined {
  const v = raw[key];
  // '' is the project default of an optional text key (Pulumi has no optional typed keys: pulumi#21797).
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !pattern.test(v)) throw new SharedConfigError(key, v, allowed);
  return v;
}

export function requiredString(
  raw: RawSharedConfig,
  key: SharedConfigKey,
  pattern: RegExp,
  allowed: string,
): string {
  const v = optionalString(raw, key, pattern, allowed);
  if (v === undefined) throw new SharedConfigError(key, v, allowed);
  return v;
}

/** A boolean as Pulumi passes it ("true"/"false") or as tests pass it. */
export function parseBool(raw: RawSharedConfig, key: SharedConfigKey, fallback: boolean): boolean {
  const v = raw[key] ?? fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new SharedConfigError(key, raw[key], 'true or false');
}
