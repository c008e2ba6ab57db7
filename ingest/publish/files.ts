// What a publish writes, as data: the ordered objects and the pointer. Pure, so the order, keys,
// content types and serialised bodies are tested without S3.
//
// data/<source>/<date>.json is an object, not a bare array, so a downloaded file says where it
// came from: { source, date, generatedAt, fetchedAt, sourceUrl, version, quotes: Quote[] }, each
// quote carrying every QUOTE_FIELDS key in that order with null for a missing value. The CSV has
// the QUOTE_FIELDS header and an empty cell for null.
import {
  CACHE_CONTROL,
  LAYOUT,
  dataKeys,
  failedKey,
  rawKey,
  type LatestPointer,
} from '../../contract/index.ts';
import { QUOTE_FIELDS, type Quote } from '../quote.ts';
import { renderSite } from '../../site/render.ts';
import type { SiteSource } from '../../site/types.ts';
import { planSiteWrites, type PreviousSite } from './siteManifest.ts';

export interface RawPage {
  /** The fetched bytes, unchanged. */
  body: Buffer;
  /** Content-Type the server sent, kept on the raw copy. */
  contentType?: string;
  ext: 'html' | 'xml';
}

export interface PublishInput {
  bucket: string;
  source: SiteSource;
  /** Trading date published, YYYY-MM-DD. */
  date: string;
  /** Quotes of that date, already through the gate. */
  quotes: Quote[];
  /** Rows of the page the parser rejected. */
  rejectedCount: number;
  raw: RawPage;
  /** Page URL the data came from. */
  sourceUrl: string;
  fetchedAt: string;
  generatedAt: string;
  version: string;
  /** Environment colour for the site badge. */
  color?: string;
}

export interface PlannedObject {
  key: string;
  body: string | Buffer;
  contentType: string;
  cacheControl: string;
}

export type PhaseName = 'raw' | 'data' | 'invalidate' | 'assets' | 'pages' | 'record';

export interface PublishPhase {
  name: PhaseName;
  /**
   * The phase's objects, built on demand so the writer can build one phase while the previous one
   * is in flight. Built at most once; an empty phase writes nothing. Site phases wait for what
   * the bucket holds of the site, so the raw and data writes never wait for that read.
   */
  build(): PlannedObject[] | Promise<PlannedObject[]>;
}

export interface PublishPlan {
  /** Written in this order, phase by phase; the pointer comes after all of them. */
  phases: PublishPhase[];
  pointer: LatestPointer;
  pointerObject: PlannedObject;
}

/** data/<source>/<date>.json */
export interface DataFile {
  source: string;
  date: string;
  generatedAt: string;
  fetchedAt: string;
  sourceUrl: string;
  version: string;
  quotes: Record<(typeof QUOTE_FIELDS)[number], string | number | null>[];
}

const TYPE_BY_EXT = { html: 'text/html', xml: 'application/xml' } as const;

export function rawContentType(raw: RawPage): string {
  return raw.contentType ?? TYPE_BY_EXT[raw.ext];
}

/** Every field present, in contract order, missing as null (never 0, never absent). */
export function fullQuote(q: Quote): DataFile['quotes'][number] {
  const out = {} as DataFile['quotes'][number];
  for (const f of QUOTE_FIELDS) out[f] = q[f] ?? null;
  return out;
}

/**
 * RFC 4180 as csv-stringify writes it with its defaults (the test holds the two byte-identical): a
 * field is quoted only when it holds a comma, a quote or a line break, quotes are doubled, numbers
 * are written as JavaScript prints them, null is an empty cell, every record ends with \n. Written
 * by hand because the generic stringifier cost more than everything else in the data phase.
 */
export function quotesCsv(quotes: Quote[]): string {
  let out = `${QUOTE_FIELDS.join(',')}\n`;
  for (const q of quotes) {
    let line = '';
    for (let i = 0; i < QUOTE_FIELDS.length; i++) {
      const value = q[QUOTE_FIELDS[i] as (typeof QUOTE_FIELDS)[number]];
      line += i === 0 ? csvField(value) : `,${csvField(value)}`;
    }
    out += `${line}\n`;
  }
  return out;
}

const NEEDS_QUOTES = /[",\n\r]/;

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function pointerFor(input: PublishInput): LatestPointer {
  const data = dataKeys(input.source.id, input.date);
  return {
    source: input.source.id,
    date: input.date,
    fetchedAt: input.fetchedAt,
    generatedAt: input.generatedAt,
    version: input.version,
    sourceUrl: input.sourceUrl,
    counts: { quotes: input.quotes.length, rejected: input.rejectedCount },
    keys: {
      raw: rawKey(input.source.id, input.date, input.fetchedAt, input.raw.ext),
      json: data.json,
      csv: data.csv,
      index: LAYOUT.indexKey,
    },
  };
}

export function dataObjects(input: PublishInput, pointer: LatestPointer): PlannedObject[] {
  const dataFile: DataFile = {
    source: input.source.id,
    date: input.date,
    generatedAt: input.generatedAt,
    fetchedAt: input.fetchedAt,
    sourceUrl: input.sourceUrl,
    version: input.version,
    quotes: input.quotes.map(fullQuote),
  };
  return [
    {
      key: pointer.keys.json,
      body: `${JSON.stringify(dataFile)}\n`,
      contentType: 'application/json',
      cacheControl: CACHE_CONTROL.dated,
    },
    {
      key: pointer.keys.csv,
      body: quotesCsv(input.quotes),
      contentType: 'text/csv; charset=utf-8',
      cacheControl: CACHE_CONTROL.dated,
    },
  ];
}

function once<T>(fn: () => T): () => T {
  let memo: { value: T } | undefined;
  return () => (memo ??= { value: fn() }).value;
}

/**
 * What a publish writes, given what the bucket already holds of the site (`previous`): site files
 * with identical bytes are skipped (see siteManifest.ts).
 */
export function planPublish(
  input: PublishInput,
  previous: PreviousSite | Promise<PreviousSite>,
): PublishPlan {
  const pointer = pointerFor(input);
  const site = once(async () => {
    const files = renderSite({
      pointer,
      quotes: input.quotes,
      source: input.source,
      ...(input.color ? { color: input.color } : {}),
    });
    return planSiteWrites(files, await previous);
  });
  const isAsset = (o: PlannedObject): boolean => o.key.startsWith(LAYOUT.assetsPrefix);
  const raw: PlannedObject = {
    key: pointer.keys.raw,
    body: input.raw.body,
    contentType: rawContentType(input.raw),
    cacheControl: CACHE_CONTROL.raw,
  };
  return {
    phases: [
      { name: 'raw', build: () => [raw] },
      { name: 'data', build: once(() => dataObjects(input, pointer)) },
      { name: 'invalidate', build: async () => optional((await site()).invalidate) },
      // Assets before pages: a page naming a new asset hash must never be served before that asset.
      { name: 'assets', build: async () => (await site()).write.filter(isAsset) },
      { name: 'pages', build: async () => (await site()).write.filter((o) => !isAsset(o)) },
      { name: 'record', build: async () => optional((await site()).record) },
    ],
    pointer,
    pointerObject: {
      key: LAYOUT.latestKey,
      body: `${JSON.stringify(pointer, null, 2)}\n`,
      contentType: 'application/json',
      cacheControl: CACHE_CONTROL.pointer,
    },
  };
}

function optional(object: PlannedObject | undefined): PlannedObject[] {
  return object ? [object] : [];
}

export interface FailedPage {
  /** Source id, or "unknown" when no adapter recognised the page. */
  source: string;
  /** Trading date if known, else the fetch day. */
  date: string;
  fetchedAt: string;
  raw: RawPage;
}

export function planFailed(page: FailedPage): PlannedObject {
  return {
    key: failedKey(page.source, page.date, page.fetchedAt, page.raw.ext),
    body: page.raw.body,
    contentType: rawContentType(page.raw),
    cacheControl: CACHE_CONTROL.raw,
  };
}
