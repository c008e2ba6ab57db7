// The sources registry (data/sources.json): every source of the bucket with its latest day, written by
// each publish that moves a source's pointer, only over the version read (compare-and-swap), so two
// sources publishing at once both keep their entry. With two sources or more it names a landing page
// (publish-addressed, written before the registry names it). `serve` answers / with the landing page
// (or, with one source, that source's page), /<source>/ with the source's latest page, and reports each
// source's freshness from this file.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CACHE_CONTROL,
  LAYOUT,
  landingKey,
  publishId,
  type LatestPointer,
  type SourceEntry,
  type SourcesRegistry,
} from '../../contract/index.ts';
import { createHash } from 'node:crypto';
import type { Quote } from '../../contract/quote.ts';
import { isWriteConflict, writeCondition } from '../../lib/s3Conditional.ts';
import { fxSummary } from '../../site/fx.ts';
import { renderLanding } from '../../site/landing.ts';
import { summarize } from '../../site/summary.ts';
import type { SiteSource } from '../../site/types.ts';
import type { PlannedObject } from './files.ts';

export interface ReadRegistry {
  registry: SourcesRegistry | null;
  /** ETag read with it; null when there was none (the write then only creates it). */
  etag: string | null;
}

function isRegistry(v: unknown): v is SourcesRegistry {
  const r = v as SourcesRegistry;
  return typeof v === 'object' && v !== null && typeof r.sources === 'object' && r.sources !== null;
}

/** The registry and its ETag; absent or not a registry reads as none (the publish then starts one). */
export async function readRegistry(
  s3: S3Client,
  bucket: string,
  signal?: AbortSignal,
): Promise<ReadRegistry> {
  try {
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: LAYOUT.sourcesKey }),
      signal ? { abortSignal: signal } : {},
    );
    const value = JSON.parse((await out.Body?.transformToString()) ?? '') as unknown;
    // An unreadable registry is rebuilt from this publish on: only over its version, never blindly.
    return { registry: isRegistry(value) ? value : null, etag: out.ETag ?? '' };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NoSuchKey' || status === 404) return { registry: null, etag: null };
    throw error;
  }
}

/** A source's registry entry from the day its pointer now names. */
export function entryFor(source: SiteSource, pointer: LatestPointer, quotes: readonly Quote[]): SourceEntry {
  const fx = source.kind === 'fx';
  let move: SourceEntry['move'];
  if (fx) {
    const s = fxSummary(quotes, 1);
    const top = [s.strongest[0], s.weakest[0]]
      .filter((m) => m !== undefined)
      .sort((a, b) => Math.abs(b.percent) - Math.abs(a.percent))[0];
    move = {
      up: s.strengthened,
      down: s.weakened,
      unchanged: s.unchanged,
      ...(top ? { top: { symbol: top.quote.symbol, percent: round(top.percent) } } : {}),
    };
  } else {
    const s = summarize(quotes, 1);
    const top = [s.gainers[0], s.losers[0]]
      .filter((m) => m !== undefined)
      .sort((a, b) => Math.abs(b.percent) - Math.abs(a.percent))[0];
    move = {
      up: s.advancers,
      down: s.decliners,
      unchanged: s.unchanged,
      ...(top ? { top: { symbol: top.quote.symbol, percent: round(top.percent) } } : {}),
    };
  }
  return {
    source: source.id,
    title: source.title,
    ...(fx ? { kind: 'fx' as const, ...(source.currency ? { base: source.currency } : {}) } : {}),
    date: pointer.date,
    generatedAt: pointer.generatedAt,
    publishId: pointer.publishId,
    page: pointer.keys.page,
    quotes: quotes.length,
    move,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The registry with this source's entry, and its landing page when the bucket holds two sources or more. */
export function mergeRegistry(
  read: SourcesRegistry | null,
  entry: SourceEntry,
  generatedAt: string,
): { registry: SourcesRegistry; landing: PlannedObject | null } {
  const sources = { ...read?.sources, [entry.source]: entry };
  const entries = Object.values(sources);
  if (entries.length < 2)
    return { registry: { updatedAt: generatedAt, landing: null, sources }, landing: null };
  const body = renderLanding(entries, generatedAt);
  const key = landingKey(publishId(generatedAt, createHash('sha256').update(body).digest('hex')));
  return {
    registry: { updatedAt: generatedAt, landing: key, sources },
    landing: { key, body, contentType: 'text/html; charset=utf-8', cacheControl: CACHE_CONTROL.dated },
  };
}

export function registryObject(registry: SourcesRegistry, etag: string | null): PlannedObject {
  return {
    key: LAYOUT.sourcesKey,
    body: `${JSON.stringify(registry, null, 1)}\n`,
    contentType: 'application/json',
    cacheControl: CACHE_CONTROL.pointer,
    condition: writeCondition(etag),
  };
}

/** Tries of the registry's compare-and-swap when other sources publish at the same time. */
export const REGISTRY_TRIES = 5;

/**
 * Writes the registry over the version read; when another source's publish won meanwhile, reads it
 * again, merges this entry in (and writes a new landing page first) and tries again.
 */
export async function writeRegistry(
  io: {
    read: () => Promise<ReadRegistry>;
    write: (objects: PlannedObject[]) => Promise<void>;
  },
  first: { planned: { registry: SourcesRegistry; landing: PlannedObject | null }; etag: string | null },
  entry: SourceEntry,
  generatedAt: string,
): Promise<void> {
  let planned = first.planned;
  let etag = first.etag;
  for (let attempt = 1; ; attempt++) {
    try {
      await io.write([registryObject(planned.registry, etag)]);
      return;
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (!isWriteConflict(cause) || attempt >= REGISTRY_TRIES) throw error;
    }
    const again = await io.read();
    etag = again.etag;
    planned = mergeRegistry(again.registry, entry, generatedAt);
    if (planned.landing) await io.write([planned.landing]);
  }
}
