// /healthz: healthy when data/latest.json is readable, names files that exist, and is younger than
// --max-age. `evaluateHealth` decides (pure); `HealthProbe` gathers the facts from S3 and caches the
// answer briefly, because the ALB and every shift gate call it every few seconds.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LAYOUT, type LatestPointer } from '../contract/index.ts';

export interface HealthFacts {
  /** Parsed pointer, or null when it could not be read (see pointerError). */
  pointer: unknown;
  pointerError?: string;
  /** Keys named by the pointer that S3 does not have. */
  missingKeys: string[];
  nowMs: number;
  maxAgeSeconds: number;
}

export interface HealthVerdict {
  healthy: boolean;
  reason?: string;
  source?: string;
  dataDate?: string;
  generatedAt?: string;
  ageSeconds?: number;
}

/** The pointer keys a healthy site needs. raw/ is left out: the service's role may not read it. */
export const CHECKED_POINTER_KEYS = ['json', 'csv', 'index'] as const;

/** Why `value` is not a usable pointer, or undefined when it is one. */
export function pointerProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not a JSON object';
  const p = value as Partial<LatestPointer>;
  if (typeof p.date !== 'string') return 'has no "date"';
  if (typeof p.generatedAt !== 'string' || Number.isNaN(Date.parse(p.generatedAt)))
    return 'has no valid "generatedAt"';
  for (const k of CHECKED_POINTER_KEYS) {
    if (typeof p.keys?.[k] !== 'string' || p.keys[k] === '') return `has no "keys.${k}"`;
  }
  return undefined;
}

export function evaluateHealth(f: HealthFacts): HealthVerdict {
  if (f.pointer === null)
    return { healthy: false, reason: f.pointerError ?? `${LAYOUT.latestKey} is missing` };
  const problem = pointerProblem(f.pointer);
  if (problem) return { healthy: false, reason: `${LAYOUT.latestKey} ${problem}` };
  const p = f.pointer as LatestPointer;
  // A clock slightly behind the publisher's must not yield a negative age.
  const ageSeconds = Math.max(0, Math.floor((f.nowMs - Date.parse(p.generatedAt)) / 1000));
  const facts = { source: p.source, dataDate: p.date, generatedAt: p.generatedAt, ageSeconds };
  if (f.missingKeys.length) {
    return {
      healthy: false,
      reason: `${LAYOUT.latestKey} names missing objects: ${f.missingKeys.join(', ')}`,
      ...facts,
    };
  }
  if (ageSeconds > f.maxAgeSeconds) {
    return {
      healthy: false,
      reason: `data is ${ageSeconds} s old, older than --max-age ${f.maxAgeSeconds} s`,
      ...facts,
    };
  }
  return { healthy: true, ...facts };
}

export interface HealthProbeOptions {
  s3: S3Client;
  bucket: string;
  maxAgeSeconds: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** How long one answer is reused. @default 1500 */
  cacheMs?: number;
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : String(err);
}

export class HealthProbe {
  private cached: { at: number; verdict: HealthVerdict } | undefined;
  private pending: Promise<HealthVerdict> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: HealthProbeOptions) {
    this.now = o.now ?? Date.now;
  }

  check(): Promise<HealthVerdict> {
    const cacheMs = this.o.cacheMs ?? 1500;
    if (this.cached && this.now() - this.cached.at < cacheMs) return Promise.resolve(this.cached.verdict);
    this.pending ??= this.gather()
      .then((facts) => evaluateHealth(facts))
      .catch((err: unknown): HealthVerdict => ({
        healthy: false,
        reason: `cannot check the bucket: ${describe(err)}`,
      }))
      .then((verdict) => {
        this.cached = { at: this.now(), verdict };
        return verdict;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async gather(): Promise<HealthFacts> {
    const base = { missingKeys: [] as string[], nowMs: this.now(), maxAgeSeconds: this.o.maxAgeSeconds };
    let pointer: unknown;
    try {
      const res = await this.o.s3.send(
        new GetObjectCommand({ Bucket: this.o.bucket, Key: LAYOUT.latestKey }),
      );
      pointer = JSON.parse(await res.Body!.transformToString());
    } catch (err) {
      const reason =
        statusOf(err) === 404
          ? `${LAYOUT.latestKey} is missing (nothing published yet)`
          : err instanceof SyntaxError
            ? `${LAYOUT.latestKey} is not valid JSON`
            : `cannot read ${LAYOUT.latestKey}: ${describe(err)}`;
      return { ...base, pointer: null, pointerError: reason };
    }
    if (pointerProblem(pointer)) return { ...base, pointer };
    const keys = (pointer as LatestPointer).keys;
    const missing = await Promise.all(CHECKED_POINTER_KEYS.map((k) => this.missing(keys[k])));
    return {
      ...base,
      pointer,
      missingKeys: CHECKED_POINTER_KEYS.map((k) => keys[k]).filter((_, i) => missing[i]),
    };
  }

  /** True when S3 says the key does not exist; other failures propagate as unhealthy via the caller. */
  private async missing(key: string): Promise<boolean> {
    try {
      await this.o.s3.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: key }));
      return false;
    } catch (err) {
      if (statusOf(err) === 404 || statusOf(err) === 403) return true;
      throw err;
    }
  }
}
