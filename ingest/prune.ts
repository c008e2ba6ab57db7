// `exchange prune`: removes a source's publish-addressed objects that nothing names any more — what a
// killed or failed chunk left before its dates index was written, and what later publishes superseded
// (a republished date's old files, earlier history windows, series files and pages). Named means: by
// the source's dates index (every date's files, the history window, the series files), by the
// pointer, or by the sources registry. Only keys of the shapes a publish writes are candidates (never
// raw/, failed/ — those expire by lifecycle rules — assets/, or an entry point), and only objects
// older than the grace period, so the objects of a publish still in flight are never touched.
// Ingest never deletes (its task role may not); prune runs with an operator's credentials.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LAYOUT, datesKey, isPublishAddressed } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { namedByIndex } from './history/named.ts';
import type { DatesIndex } from './history/types.ts';

export interface PruneOptions {
  bucket: string;
  /** Only this source's objects. @default every source with a dates index */
  source?: string;
  /** Objects younger than this are kept whatever names them, ms. @default 3600000 (1 h) */
  graceMs?: number;
  /** List what would be removed, remove nothing. */
  dryRun?: boolean;
  now?: () => number;
}

export interface PruneResult {
  sources: string[];
  /** Candidate objects looked at (publish-addressed keys of those sources). */
  examined: number;
  named: number;
  /** Unnamed but younger than the grace period: kept. */
  young: number;
  removed: { key: string; bytes: number }[];
  dryRun: boolean;
}

/** A source's dates index is missing or unreadable: without it nothing can be told named. */
export class PruneRefused extends ExchangeError {
  override name = 'PruneRefused';
}

export const DEFAULT_PRUNE_GRACE_MS = 60 * 60 * 1000;

interface Listed {
  key: string;
  bytes: number;
  modifiedMs: number;
}

async function list(s3: S3Client, bucket: string, prefix: string): Promise<Listed[]> {
  const out: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      out.push({ key: o.Key ?? '', bytes: o.Size ?? 0, modifiedMs: o.LastModified?.getTime() ?? 0 });
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString()) ?? '') as unknown;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NoSuchKey' || status === 404) return null;
    throw error;
  }
}

/** Keys the bucket's pointer and registry name (the pages readers are sent to). */
async function namedByEntryPoints(s3: S3Client, bucket: string): Promise<Set<string>> {
  const named = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === 'string') named.add(v);
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object') Object.values(v).forEach(add);
  };
  add((await readJson(s3, bucket, LAYOUT.latestKey)) as unknown);
  add((await readJson(s3, bucket, LAYOUT.sourcesKey)) as unknown);
  return named;
}

/** The sources with a dates index (a folder data/<source>/ holding dates.json). */
async function sourcesIn(s3: S3Client, bucket: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: LAYOUT.dataPrefix,
        Delimiter: '/',
        ContinuationToken: token,
      }),
    );
    for (const p of page.CommonPrefixes ?? []) {
      const source = (p.Prefix ?? '').slice(LAYOUT.dataPrefix.length, -1);
      if (/^[a-z0-9-]+$/.test(source)) out.push(source);
    }
    token = page.NextContinuationToken;
  } while (token);
  return out.sort();
}

export async function prune(s3: S3Client, log: Logger, opts: PruneOptions): Promise<PruneResult> {
  const now = (opts.now ?? Date.now)();
  const grace = opts.graceMs ?? DEFAULT_PRUNE_GRACE_MS;
  const sources = opts.source ? [opts.source] : await sourcesIn(s3, opts.bucket);
  const fromEntryPoints = await namedByEntryPoints(s3, opts.bucket);
  const result: PruneResult = {
    sources,
    examined: 0,
    named: 0,
    young: 0,
    removed: [],
    dryRun: opts.dryRun === true,
  };
  for (const source of sources) {
    const index = (await readJson(s3, opts.bucket, datesKey(source))) as DatesIndex | null;
    if (!index || !Array.isArray(index.dates)) {
      throw new PruneRefused(
        `prune: ${datesKey(source)} is missing or not a dates index; nothing of ${source} can be told named`,
        {
          hint: 'publish the source once (or restore its dates index) before pruning it',
        },
      );
    }
    const named = namedByIndex(index);
    for (const o of await list(s3, opts.bucket, `${LAYOUT.dataPrefix}${source}/`)) {
      if (!isPublishAddressed(o.key)) continue;
      result.examined++;
      if (named.has(o.key) || fromEntryPoints.has(o.key)) result.named++;
      else if (now - o.modifiedMs < grace) result.young++;
      else result.removed.push({ key: o.key, bytes: o.bytes });
    }
  }
  // Landing pages: the registry names the current one.
  if (!opts.source) {
    for (const o of await list(s3, opts.bucket, LAYOUT.landingPrefix)) {
      if (!isPublishAddressed(o.key)) continue;
      result.examined++;
      if (fromEntryPoints.has(o.key)) result.named++;
      else if (now - o.modifiedMs < grace) result.young++;
      else result.removed.push({ key: o.key, bytes: o.bytes });
    }
  }
  if (!result.dryRun)
    await remove(
      s3,
      opts.bucket,
      result.removed.map((r) => r.key),
    );
  log.info(result.dryRun ? 'prune (dry run): would remove' : 'pruned', {
    bucket: opts.bucket,
    sources,
    examined: result.examined,
    removed: result.removed.length,
    bytes: result.removed.reduce((n, r) => n + r.bytes, 0),
    young: result.young,
  });
  return result;
}

/** One DELETE per key, 16 at a time (DeleteObjects needs a Content-MD5 some S3-compatible servers check differently). */
async function remove(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  const queue = [...keys];
  await Promise.all(
    Array.from({ length: Math.min(16, queue.length) }, async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }
    }),
  );
}
