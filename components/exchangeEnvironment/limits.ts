// AWS limits that type-check and pass mocks but fail only at deploy time, as pure validators.
// Each throws EnvironmentArgError naming the argument, the bad value and the allowed values.
import { EnvironmentArgError } from './errors.ts';

/** Fargate memory (MiB) allowed for each cpu (units): [min, max, step] or an explicit list. */
export const FARGATE_MEMORY: Record<number, readonly number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** CloudWatch Logs accepts only these retention values (0 = never expire is excluded on purpose). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A full semantic version (optionally v-prefixed): release tags are never re-pushed, unlike main/stable/1.4. */
const SEMVER_TAG = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Why an image reference is not immutable, or undefined: only a digest or a full semantic-version tag is
 * accepted (an allow-list: a deny-list of moving names always misses the next one). The policy pack uses it too.
 */
export function immutableImageProblem(image: string): string | undefined {
  const at = image.indexOf('@');
  if (at >= 0)
    return DIGEST.test(image.slice(at + 1)) ? undefined : 'has a malformed digest (sha256:<64 hex>)';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash) return 'has no tag (implicitly "latest")';
  const tag = image.slice(colon + 1);
  return SEMVER_TAG.test(tag)
    ? undefined
    : `uses tag "${tag}", which can move (not a digest or a full x.y.z version)`;
}

function range(min: number, max: number, step: number): number[] {
  return Array.from({ length: (max - min) / step + 1 }, (_, i) => min + i * step);
}

export function checkFargateSize(
  cpu: number,
  memory: number,
  names = { cpu: 'cpu', memory: 'memory' },
): void {
  const allowed = FARGATE_MEMORY[cpu];
  if (!allowed) {
    throw new EnvironmentArgError(
      names.cpu,
      cpu,
      Object.keys(FARGATE_MEMORY).join(', '),
      'Fargate cpu units',
    );
  }
  if (!allowed.includes(memory)) {
    throw new EnvironmentArgError(
      names.memory,
      memory,
      `for cpu ${cpu}: ${describeList(allowed)}`,
      'Fargate cpu/memory pairs (MiB)',
    );
  }
}

function describeList(values: readonly number[]): string {
  if (values.length <= 4) return values.join(', ');
  const step = (values[1] ?? 0) - (values[0] ?? 0);
  return `${values[0]}–${values[values.length - 1]} in steps of ${step}`;
}

export function checkLogRetention(days: number, arg = 'logRetentionDays'): void {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new EnvironmentArgError(
      arg,
      days,
      LOG_RETENTION_DAYS.join(', '),
      'CloudWatch Logs retention values',
    );
  }
}

export function checkIntRange(arg: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EnvironmentArgError(arg, value, `an integer from ${min} to ${max}`);
  }
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/;

/** An image must be pinned by digest or by a tag that does not move, so a deploy is reproducible. */
export function checkImage(image: string, arg = 'image'): void {
  const allowed = '<registry>/<repository>@sha256:<64 hex> or <registry>/<repository>:<x.y.z release tag>';
  const at = image.indexOf('@');
  const [ref, digest] = at >= 0 ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const [repo, tag] = colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, undefined];
  const wellFormed =
    REPOSITORY.test(repo) &&
    (tag === undefined || TAG.test(tag)) &&
    (digest === undefined || DIGEST.test(digest));
  if (!wellFormed) throw new EnvironmentArgError(arg, image, allowed, 'e.g. ghcr.io/acme/exchange@sha256:…');
  const problem = immutableImageProblem(image);
  if (problem !== undefined)
    throw new EnvironmentArgError(
      arg,
      image,
      `${allowed}; this one ${problem}`,
      'pin it so rollbacks redeploy the same bytes',
    );
}

const CRON_FIELD = [
  /^[0-9,*/-]+$/, // minutes
  /^[0-9,*/-]+$/, // hours
  /^(\?|[0-9,*/LW-]+)$/, // day of month
  /^[0-9A-Za-z,*/-]+$/, // month
  /^(\?|[0-9A-Za-z,*/L#-]+)$/, // day of week
  /^[0-9,*/-]+$/, // year
];
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/** EventBridge Scheduler recurring expressions: `cron(6 fields)` or `rate(n unit)`. */
export function checkScheduleExpression(expression: string, arg = 'scheduleExpression'): void {
  const allowed =
    'cron(min hour day-of-month month day-of-week year) with "?" in one day field, or rate(<n> minute(s)|hour(s)|day(s))';
  const rate = RATE.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const plural = (rate[2] ?? '').endsWith('s');
    if (n >= 1 && plural === n > 1) return;
    throw new EnvironmentArgError(
      arg,
      expression,
      allowed,
      'rate needs n ≥ 1 with a singular unit for 1 and plural otherwise',
    );
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  const fields = cron?.[1]?.trim().split(/\s+/) ?? [];
  const valid =
    fields.length === 6 &&
    fields.every((f, i) => CRON_FIELD[i]?.test(f)) &&
    (fields[2] === '?') !== (fields[4] === '?');
  if (!valid) throw new EnvironmentArgError(arg, expression, allowed, 'e.g. cron(30 15 ? * SUN-THU *)');
}

/** IANA time zone names, as EventBridge Scheduler expects (`UTC`, `Europe/Warsaw`). */
export function checkTimezone(timezone: string, arg = 'scheduleTimezone'): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    if (timezone.length > 0) return;
  } catch {
    // fall through to the typed error below: the RangeError has no arg name or fix
  }
  throw new EnvironmentArgError(
    arg,
    timezone,
    'an IANA time zone name such as UTC, Europe/Warsaw or Asia/Dhaka',
  );
}
