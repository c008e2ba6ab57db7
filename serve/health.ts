// Liveness (/livez) and readiness (/healthz), decided from the last background check (watch.ts).
// Pure: the answers come from memory, never from a request to S3, so a stalled S3 can never hold
// a probe. Public reasons come from a fixed vocabulary; error details go to the log only.
import type { LatestPointer, SourcesRegistry } from '../contract/index.ts';

/** What the last background check found. */
export interface WatchState {
  /** When the last check finished (ms), or null before the first. */
  checkedAt: number | null;
  /** When a check last found the bucket (an answer from S3 for it, object or not), or null. */
  reachedAt: number | null;
  /** The last check's view of the bucket. */
  bucket: 'ok' | 'missing' | 'unreachable' | 'unknown';
  /** The last readable, well-formed pointer (kept while S3 is unreachable). */
  pointer: LatestPointer | null;
  /** Why the pointer is not usable, when it is not (public vocabulary). */
  pointerProblem?: PublicReason;
  /** Keys the pointer names that S3 does not have. */
  missingKeys: string[];
  /** The sources registry (several sources in one bucket), or null before one was written. */
  registry: SourcesRegistry | null;
  /** Pages the registry names that S3 does not have. */
  registryMissing: string[];
}

export type PublicReason =
  | 'nothing published yet'
  | 'bucket does not exist (NoSuchBucket)'
  | 'bucket unreachable'
  | 'pointer unreadable'
  | 'pointer names missing objects'
  | 'data older than max age'
  | 'check overdue'
  | 'starting'
  | 'a source is not ready';

/** One source's freshness, from the sources registry. */
export interface SourceVerdict {
  source: string;
  ok: boolean;
  dataDate: string;
  generatedAt: string;
  ageSeconds: number;
  reason?: 'data older than max age' | 'page missing';
}

export interface HealthLimits {
  nowMs: number;
  /** Data older than this is not ready. */
  maxAgeSeconds: number;
  /** A check older than this (a stalled check) makes readiness fail. */
  staleAfterMs: number;
  /** Liveness fails once the bucket has not been found (missing or unreachable) for this long. */
  livenessToleranceMs: number;
  /** When the process started, for the tolerance before any check reached the bucket. */
  startedAt: number;
}

export interface Verdict {
  ok: boolean;
  reason?: PublicReason;
  source?: string;
  dataDate?: string;
  generatedAt?: string;
  ageSeconds?: number;
  /** Each source's freshness (a bucket with a sources registry). */
  sources?: SourceVerdict[];
}

const isKey = (k: unknown): k is string => typeof k === 'string' && k !== '';

/**
 * The pointer fields a reader needs; anything else is "pointer unreadable". A pointer written
 * before publishes were addressed (no keys.page / keys.assets, the page at keys.index) is still
 * read, so a new `serve` on a bucket the previous version filled is ready until the next ingest.
 */
export function isPointer(value: unknown): value is LatestPointer {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Partial<LatestPointer>;
  const keys = p.keys as Partial<LatestPointer['keys']> | undefined;
  return (
    typeof p.date === 'string' &&
    typeof p.source === 'string' &&
    typeof p.generatedAt === 'string' &&
    !Number.isNaN(Date.parse(p.generatedAt)) &&
    typeof keys === 'object' &&
    keys !== null &&
    isKey(keys.json) &&
    isKey(keys.csv) &&
    (isKey(keys.page) || isKey(keys.index)) &&
    (keys.assets === undefined || (Array.isArray(keys.assets) && keys.assets.every(isKey)))
  );
}

/** The page `/` serves for this pointer (the publish's own page; index.html for an older pointer). */
export function pageKey(p: LatestPointer): string {
  return isKey(p.keys.page) ? p.keys.page : p.keys.index;
}

/** The keys a complete publish must have in the bucket (raw/ is left out: serve may not read it). */
export function namedKeys(p: LatestPointer): string[] {
  return [p.keys.json, p.keys.csv, pageKey(p), ...(p.keys.assets ?? [])];
}

export function isRegistry(value: unknown): value is SourcesRegistry {
  const r = value as Partial<SourcesRegistry> | null;
  if (typeof value !== 'object' || value === null || typeof r?.sources !== 'object' || r.sources === null)
    return false;
  return Object.values(r.sources).every(
    (e) =>
      typeof e?.source === 'string' &&
      isKey(e.page) &&
      typeof e.date === 'string' &&
      !Number.isNaN(Date.parse(e.generatedAt)),
  );
}

/** The pages the registry names: each source's latest page and the landing page. */
export function registryKeys(r: SourcesRegistry): string[] {
  return [...Object.values(r.sources).map((e) => e.page), ...(r.landing ? [r.landing] : [])];
}

/** Each registered source: fresh (younger than the max age) and its page present. */
export function sourceVerdicts(s: WatchState, l: HealthLimits): SourceVerdict[] {
  const missing = new Set(s.registryMissing);
  return Object.values(s.registry?.sources ?? {})
    .sort((a, b) => a.source.localeCompare(b.source))
    .map((e) => {
      const ageSeconds = Math.max(0, Math.floor((l.nowMs - Date.parse(e.generatedAt)) / 1000));
      const reason = missing.has(e.page)
        ? 'page missing'
        : ageSeconds > l.maxAgeSeconds
          ? 'data older than max age'
          : undefined;
      return {
        source: e.source,
        ok: reason === undefined,
        dataDate: e.date,
        generatedAt: e.generatedAt,
        ageSeconds,
        ...(reason ? { reason } : {}),
      };
    });
}

/** Ready when the pointer's publish is complete and fresh and so is every registered source's. */
export function readiness(s: WatchState, l: HealthLimits): Verdict {
  const verdict = pointerReadiness(s, l);
  if (!s.registry) return verdict;
  const sources = sourceVerdicts(s, l);
  if (verdict.ok && sources.some((v) => !v.ok))
    return { ...verdict, ok: false, reason: 'a source is not ready', sources };
  return { ...verdict, sources };
}

function pointerReadiness(s: WatchState, l: HealthLimits): Verdict {
  if (s.checkedAt === null) return { ok: false, reason: 'starting' };
  if (l.nowMs - s.checkedAt > l.staleAfterMs) return { ok: false, reason: 'check overdue', ...facts(s, l) };
  if (s.bucket === 'missing') return { ok: false, reason: 'bucket does not exist (NoSuchBucket)' };
  if (s.bucket !== 'ok') return { ok: false, reason: 'bucket unreachable', ...facts(s, l) };
  if (s.pointerProblem) return { ok: false, reason: s.pointerProblem };
  if (!s.pointer) return { ok: false, reason: 'nothing published yet' };
  const f = facts(s, l);
  if (s.missingKeys.length) return { ok: false, reason: 'pointer names missing objects', ...f };
  if ((f.ageSeconds ?? 0) > l.maxAgeSeconds) return { ok: false, reason: 'data older than max age', ...f };
  return { ok: true, ...f };
}

/** Fails once the bucket has not been found for longer than the tolerance (missing or unreachable). */
export function liveness(s: WatchState, l: HealthLimits): Verdict {
  const since = s.reachedAt ?? l.startedAt;
  if (l.nowMs - since <= l.livenessToleranceMs) return { ok: true };
  return {
    ok: false,
    reason: s.bucket === 'missing' ? 'bucket does not exist (NoSuchBucket)' : 'bucket unreachable',
  };
}

function facts(s: WatchState, l: HealthLimits): Omit<Verdict, 'ok'> {
  const p = s.pointer;
  if (!p) return {};
  // A clock slightly behind the publisher's must not yield a negative age.
  const ageSeconds = Math.max(0, Math.floor((l.nowMs - Date.parse(p.generatedAt)) / 1000));
  return { source: p.source, dataDate: p.date, generatedAt: p.generatedAt, ageSeconds };
}
