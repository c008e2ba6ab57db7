// Which site files the bucket already holds, so a publish writes only those whose bytes changed.
// The stylesheet, the script and error.html change only with the app version, yet were rewritten on
// every run; index.html changes every run and is always written, so it is never recorded here.
//
// The record is a small object of its own, not a field of data/latest.json, because it must be
// invalidated *before* a changed file is written: a publish that dies after writing new assets
// leaves the pointer untouched (by contract), so a record kept in the pointer would still vouch for
// the old bytes, and the next run (a rollback to the old version, say) would wrongly skip them.
// Protocol, per publish:
//   1. read the record (one GET, started before the page is fetched);
//   2. a file is skipped only when the record holds its digest (key, content type, cache control
//      and bytes);
//   3. before writing any recorded file with new bytes, or when the record could not be read, the
//      record is emptied; after every site file is written, the new record is stored.
// So the record only ever vouches for bytes a finished write left in the bucket.
import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CACHE_CONTROL, LAYOUT } from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import type { PlannedObject } from './files.ts';

/** Under assets/, which the task role may read and write (see components policies). */
export const SITE_MANIFEST_KEY = `${LAYOUT.assetsPrefix}manifest.json`;

/** What the bucket is known to hold: key → digest of the stored object. */
export type SiteDigests = Record<string, string>;

export type PreviousSite =
  /** No record: nothing to invalidate, every site file is written. */
  | { state: 'absent' }
  /** The record could not be read or understood: it is emptied first, every site file is written. */
  | { state: 'unknown' }
  | { state: 'known'; files: SiteDigests };

export interface SiteWrites {
  /** Site files to write (the others already hold these exact bytes). */
  write: PlannedObject[];
  /** Written before any site file, when the current record may vouch for bytes about to change. */
  invalidate?: PlannedObject;
  /** Written after every site file, when the record changes. */
  record?: PlannedObject;
}

/** True for the files recorded: all site files but the page that changes on every publish. */
export function isRecorded(key: string): boolean {
  return key !== LAYOUT.indexKey;
}

export function digest(object: PlannedObject): string {
  return createHash('sha256')
    .update(`${object.key}\n${object.contentType}\n${object.cacheControl}\n`)
    .update(object.body)
    .digest('hex');
}

export function manifestObject(files: SiteDigests): PlannedObject {
  return {
    key: SITE_MANIFEST_KEY,
    body: `${JSON.stringify({ files }, null, 2)}\n`,
    contentType: 'application/json',
    cacheControl: CACHE_CONTROL.pointer,
  };
}

/** Decides which site files to write and whether the record is emptied first and rewritten after. */
export function planSiteWrites(site: PlannedObject[], previous: PreviousSite): SiteWrites {
  const known = previous.state === 'known' ? previous.files : {};
  const next: SiteDigests = {};
  const write: PlannedObject[] = [];
  let recordedChange = false;
  for (const object of site) {
    if (!isRecorded(object.key)) {
      write.push(object);
      continue;
    }
    const hash = digest(object);
    next[object.key] = hash;
    if (known[object.key] === hash) continue;
    write.push(object);
    if (object.key in known) recordedChange = true;
  }
  const unchanged = previous.state === 'known' && sameDigests(previous.files, next);
  return {
    write,
    ...(previous.state === 'unknown' || recordedChange ? { invalidate: manifestObject({}) } : {}),
    ...(unchanged ? {} : { record: manifestObject(next) }),
  };
}

function sameDigests(a: SiteDigests, b: SiteDigests): boolean {
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === b[k]);
}

/** Parses a stored record; anything but { files: { key: hex } } is not trusted. */
export function parseManifest(text: string): PreviousSite {
  try {
    const value = JSON.parse(text) as { files?: unknown };
    const files = value.files;
    if (typeof files !== 'object' || files === null || Array.isArray(files)) return { state: 'unknown' };
    const entries = Object.entries(files);
    if (!entries.every(([, v]) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v))) {
      return { state: 'unknown' };
    }
    return { state: 'known', files: Object.fromEntries(entries) as SiteDigests };
  } catch {
    return { state: 'unknown' };
  }
}

/**
 * Reads the record; never rejects. A missing record is "absent"; any other failure (AccessDenied,
 * which S3 also answers for a missing key when the role lacks ListBucket; retries exhausted; a
 * corrupt body) is "unknown", which costs a full rewrite of the site files, never a wrong skip.
 */
export async function readSiteManifest(s3: S3Client, bucket: string, log: Logger): Promise<PreviousSite> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: SITE_MANIFEST_KEY }));
    return parseManifest((await out.Body?.transformToString()) ?? '');
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NoSuchKey' || status === 404) return { state: 'absent' };
    log.warn('could not read the site manifest; writing every site file', {
      bucket,
      key: SITE_MANIFEST_KEY,
      error,
    });
    return { state: 'unknown' };
  }
}
