// What a publish writes, as data: the ordered objects and the pointer. Pure, so the order, keys,
// content types and serialised bodies are tested without S3.
//
// data/<source>/<date>.json is an object, not a bare array, so a downloaded file says where it
// came from: { source, date, generatedAt, fetchedAt, sourceUrl, version, quotes: Quote[] }, each
// quote carrying every QUOTE_FIELDS key in that order with null for a missing value. The CSV has
// the QUOTE_FIELDS header and an empty cell for null.
import { stringify } from 'csv-stringify/sync';
import {
  CACHE_CONTROL,
  LAYOUT,
  dataKeys,
  failedKey,
  rawKey,
  type LatestPointer,
} from '../../contract/index.ts';
import { QUOTE_FIELDS, type Quote } from '../quote.ts';
import { renderSite } from '../site/render.ts';
import type { SiteSource } from '../site/types.ts';

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

export interface PublishPlan {
  /** Written in this order, phase by phase; the pointer comes after all of them. */
  phases: { name: 'raw' | 'data' | 'assets' | 'pages'; objects: PlannedObject[] }[];
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

export function quotesCsv(quotes: Quote[]): string {
  return stringify(quotes.map(fullQuote), { header: true, columns: [...QUOTE_FIELDS] });
}

export function planPublish(input: PublishInput): PublishPlan {
  const raw = rawKey(input.source.id, input.date, input.fetchedAt, input.raw.ext);
  const data = dataKeys(input.source.id, input.date);
  const pointer: LatestPointer = {
    source: input.source.id,
    date: input.date,
    fetchedAt: input.fetchedAt,
    generatedAt: input.generatedAt,
    version: input.version,
    sourceUrl: input.sourceUrl,
    counts: { quotes: input.quotes.length, rejected: input.rejectedCount },
    keys: { raw, json: data.json, csv: data.csv, index: LAYOUT.indexKey },
  };
  const dataFile: DataFile = {
    source: input.source.id,
    date: input.date,
    generatedAt: input.generatedAt,
    fetchedAt: input.fetchedAt,
    sourceUrl: input.sourceUrl,
    version: input.version,
    quotes: input.quotes.map(fullQuote),
  };
  const site = renderSite({
    pointer,
    quotes: input.quotes,
    source: input.source,
    ...(input.color ? { color: input.color } : {}),
  });
  return {
    phases: [
      {
        name: 'raw',
        objects: [
          {
            key: raw,
            body: input.raw.body,
            contentType: rawContentType(input.raw),
            cacheControl: CACHE_CONTROL.raw,
          },
        ],
      },
      {
        name: 'data',
        objects: [
          {
            key: data.json,
            body: `${JSON.stringify(dataFile)}\n`,
            contentType: 'application/json',
            cacheControl: CACHE_CONTROL.dated,
          },
          {
            key: data.csv,
            body: quotesCsv(input.quotes),
            contentType: 'text/csv; charset=utf-8',
            cacheControl: CACHE_CONTROL.dated,
          },
        ],
      },
      // Assets before pages: a page naming a new asset hash must never be served before that asset.
      { name: 'assets', objects: site.filter((f) => f.key.startsWith(LAYOUT.assetsPrefix)) },
      { name: 'pages', objects: site.filter((f) => !f.key.startsWith(LAYOUT.assetsPrefix)) },
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
