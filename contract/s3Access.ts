// The S3 calls each part of the app makes and the keys it makes them on: the app's tests check every key
// it builds against this list, and the IAM task roles are derived from it (components/…/policies.ts), so a
// new key the app writes cannot silently lack permission.
import { LAYOUT } from './index.ts';

export type S3ObjectAction = 's3:GetObject' | 's3:PutObject';

export interface S3Grant {
  /** GetObject also covers HeadObject (S3 authorizes HEAD as GetObject). */
  action: S3ObjectAction;
  /** Key patterns relative to the bucket; `*` matches any characters including `/` (IAM semantics). */
  keys: readonly string[];
}

export interface S3Access {
  objects: readonly S3Grant[];
  /**
   * s3:ListBucket on the bucket itself. Without it S3 answers 403 instead of 404 for a missing key, so the
   * app could not tell "no data yet" from "no access" (liveness needs that distinction).
   */
  listBucket: boolean;
}

const SITE_READ = [
  LAYOUT.latestKey,
  `${LAYOUT.dataPrefix}*`,
  LAYOUT.indexKey,
  LAYOUT.errorKey,
  `${LAYOUT.assetsPrefix}*`,
];

/** Per app role: `serve` (the always-on service) and `ingest` (the scheduled run). */
export const S3_ACCESS: { serve: S3Access; ingest: S3Access } = {
  // serve only reads: the pointer (HeadObject + GetObject), the data it names, the page and assets.
  serve: { objects: [{ action: 's3:GetObject', keys: SITE_READ }], listBucket: true },
  ingest: {
    objects: [
      // data/* includes each source's dates.json and the sources registry data/sources.json, written with
      // If-Match / If-None-Match (compare-and-swap, ingest/publish/datesIndex.ts, registry.ts): S3
      // authorizes conditional writes as plain s3:PutObject. It also covers the series files, the year
      // and chart pages and the landing pages (contract/index.ts seriesKey, yearPageKey, symbolsPageKey,
      // landingKey). `exchange prune` deletes with an operator's credentials: no task role may delete.
      {
        action: 's3:PutObject',
        keys: [
          `${LAYOUT.rawPrefix}*`,
          `${LAYOUT.failedPrefix}*`,
          `${LAYOUT.dataPrefix}*`,
          LAYOUT.indexKey,
          LAYOUT.errorKey,
          `${LAYOUT.assetsPrefix}*`,
        ],
      },
      // The previous pointer, the live assets, the page (or landing page) index.html is copied from
      // (CopyObject), the registry, and the series files a rewrite extends.
      { action: 's3:GetObject', keys: SITE_READ },
    ],
    listBucket: true,
  },
};

/** IAM-style match of one key against one pattern (`*` only, as the grants above use). */
export function keyMatches(pattern: string, key: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(key);
}

/** Whether `role` may perform `action` on `key` according to the list. */
export function s3Allows(role: keyof typeof S3_ACCESS, action: S3ObjectAction, key: string): boolean {
  return S3_ACCESS[role].objects.some((g) => g.action === action && g.keys.some((p) => keyMatches(p, key)));
}
