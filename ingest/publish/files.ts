// What a publish writes, as data: the objects, the entry points and the pointer. Pure, so keys,
// content types and serialised bodies are tested without S3.
//
// One publish has an id (its generation time and a digest of its data file) and its own immutable
// keys: data/<source>/<date>/<publishId>.json, .csv and .html, plus content-addressed assets. None
// is ever written twice with other bytes, so all are cached as immutable. The entry points —
// data/latest.json, index.html (a copy of the publish's page) and error.html — are written last.
//
// The data file is an object, not a bare array, so a downloaded file says where it came from:
// { source, date, generatedAt, fetchedAt, sourceUrl, version, quotes: Quote[] }, each quote carrying
// every QUOTE_FIELDS key in that order with null for a missing value. The CSV has the QUOTE_FIELDS
// header and an empty cell for null.
import {
  CACHE_CONTROL,
  LAYOUT,
  failedKey,
  publishId,
  publishKeys,
  rawKey,
  symbolsPageKey,
  type LatestPointer,
} from '../../contract/index.ts';
import { QUOTE_FIELDS, type Quote } from '../../contract/quote.ts';
import { createHash } from 'node:crypto';
import { ASSET_KEYS, renderErrorPage, renderPage, siteAssets } from '../../site/render.ts';
import type { SiteHistory, SiteNav, SiteSource } from '../../site/types.ts';
import type { WriteCondition } from '../../lib/s3Conditional.ts';

export interface RawPage {
  /** The fetched bytes, unchanged. */
  body: Buffer;
  /** Content-Type the server sent, kept on the raw copy. */
  contentType?: string;
  ext: 'html' | 'xml' | 'zip';
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
  /** Closes of earlier days (sparklines) and links to other days: set by a history publish. */
  history?: SiteHistory;
  nav?: SiteNav;
}

export interface PlannedObject {
  key: string;
  body: string | Buffer;
  /** The bytes, read only when the write starts (a saved page of a backfill: bounded memory). */
  load?: () => Promise<Buffer>;
  contentType: string;
  cacheControl: string;
  /** A key already written with these bytes: the object is copied inside S3, not uploaded again. */
  copyOf?: string;
  /** Write only over the version read (compare-and-swap; uploads only, not copies). */
  condition?: WriteCondition;
}

/** data/<source>/<date>/<publishId>.json */
export interface DataFile {
  source: string;
  date: string;
  generatedAt: string;
  fetchedAt: string;
  sourceUrl: string;
  version: string;
  quotes: (Record<(typeof QUOTE_FIELDS)[number], string | number | null> & { derived?: string[] })[];
}

const TYPE_BY_EXT = { html: 'text/html', xml: 'application/xml', zip: 'application/zip' } as const;

export function rawContentType(raw: RawPage): string {
  return raw.contentType ?? TYPE_BY_EXT[raw.ext];
}

/**
 * Every field present, in contract order, missing as null (never 0, never absent); then `derived`,
 * only on a quote with values computed from the previous published day.
 */
export function fullQuote(q: Quote): DataFile['quotes'][number] {
  const out = {} as DataFile['quotes'][number];
  for (const f of QUOTE_FIELDS) out[f] = q[f] ?? null;
  if (q.derived?.length) out.derived = [...q.derived];
  return out;
}

/**
 * RFC 4180 as csv-stringify writes it with its defaults (the test holds the two byte-identical): a
 * field is quoted only when it holds a comma, a quote or a line break, quotes are doubled, numbers
 * are written as JavaScript prints them, null is an empty cell, every record ends with \n; text
 * that would run as a spreadsheet formula is neutralised (csvField). Written by hand because the generic stringifier cost more than everything else in the data phase.
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

/** Leading characters a spreadsheet runs as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text field from the page that a spreadsheet would run as a formula is neutralised as OWASP
 * recommends: prefixed with a single quote and quoted. Numbers (a negative change) are data, left
 * alone; the JSON keeps every text exactly as the page had it.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The raw page as fetched; named by the pointer, so written before it. */
export function rawObject(input: PublishInput): PlannedObject {
  return {
    key: rawKey(input.source.id, input.date, input.fetchedAt, input.raw.ext),
    body: input.raw.body,
    contentType: rawContentType(input.raw),
    cacheControl: CACHE_CONTROL.raw,
  };
}

function dataJson(input: PublishInput): string {
  const dataFile: DataFile = {
    source: input.source.id,
    date: input.date,
    generatedAt: input.generatedAt,
    fetchedAt: input.fetchedAt,
    sourceUrl: input.sourceUrl,
    version: input.version,
    quotes: input.quotes.map(fullQuote),
  };
  return `${JSON.stringify(dataFile)}\n`;
}

export function pointerFor(input: PublishInput, json: string, assets: string[]): LatestPointer {
  const id = publishId(input.generatedAt, createHash('sha256').update(json).digest('hex'));
  const { json: jsonKey, csv, page } = publishKeys(input.source.id, input.date, id);
  const keys = {
    json: jsonKey,
    csv,
    page,
    ...(input.history ? { symbols: symbolsPageKey(input.source.id) } : {}),
  };
  return {
    source: input.source.id,
    date: input.date,
    fetchedAt: input.fetchedAt,
    generatedAt: input.generatedAt,
    version: input.version,
    sourceUrl: input.sourceUrl,
    publishId: id,
    counts: { quotes: input.quotes.length, rejected: input.rejectedCount },
    keys: {
      raw: rawObject(input).key,
      ...keys,
      index: LAYOUT.indexKey,
      assets,
    },
  };
}

/** The pointer and the data files: cheap, so their upload can start before the site is rendered. */
export function planData(input: PublishInput): { pointer: LatestPointer; objects: PlannedObject[] } {
  const json = dataJson(input);
  const pointer = pointerFor(input, json, Object.values(ASSET_KEYS));
  return {
    pointer,
    objects: [
      {
        key: pointer.keys.json,
        body: json,
        contentType: 'application/json',
        cacheControl: CACHE_CONTROL.dated,
      },
      {
        key: pointer.keys.csv,
        body: quotesCsv(input.quotes),
        contentType: 'text/csv; charset=utf-8',
        cacheControl: CACHE_CONTROL.dated,
      },
    ],
  };
}

/**
 * The publish's page and new assets (step 1), and the entry points (written last). Assets the
 * previous complete publish already named are skipped: their keys are content-addressed, so the
 * bytes there are the bytes this publish would write; so is error.html then, whose bytes depend on
 * the asset keys alone. index.html is a server-side copy of the publish's page (written in step 1),
 * which saves uploading the largest site file twice.
 */
export function planSite(
  input: PublishInput,
  pointer: LatestPointer,
  previous: LatestPointer | null,
): { objects: PlannedObject[]; entryPoints: PlannedObject[] } {
  const siteInput = {
    pointer,
    quotes: input.quotes,
    source: input.source,
    ...(input.history ? { history: input.history } : {}),
    ...(input.nav ? { nav: input.nav } : {}),
  };
  const known = new Set(previous?.keys?.assets ?? []);
  const html = 'text/html; charset=utf-8';
  return {
    objects: [
      {
        key: pointer.keys.page,
        // Rendered when its write starts: a chunk of 250 days holds 8 pages at a time, not 250.
        body: '',
        load: async () => Buffer.from(renderPage(siteInput)),
        contentType: html,
        cacheControl: CACHE_CONTROL.dated,
      },
      ...siteAssets().filter((f) => !known.has(f.key)),
    ],
    entryPoints: [
      {
        key: LAYOUT.indexKey,
        body: '',
        contentType: html,
        cacheControl: CACHE_CONTROL.page,
        copyOf: pointer.keys.page,
      },
      // error.html depends on the asset keys only: unchanged while they are.
      ...(pointer.keys.assets.every((k) => known.has(k))
        ? []
        : [
            {
              key: LAYOUT.errorKey,
              body: renderErrorPage(),
              contentType: html,
              cacheControl: CACHE_CONTROL.page,
            },
          ]),
      {
        key: LAYOUT.latestKey,
        body: `${JSON.stringify(pointer, null, 2)}\n`,
        contentType: 'application/json',
        cacheControl: CACHE_CONTROL.pointer,
      },
    ],
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
