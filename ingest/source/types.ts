// The adapter contract: one adapter per page layout. Adapters are pure: bytes in, quotes out.
import type { ParseResult, Quote, Rejected } from '../../contract/quote.ts';

/**
 * Largest daily page accepted (fetched, or read from a file), counted after decompression: a day's
 * quotes page is well under it (the largest real one is 0.55 MB).
 */
export const DAILY_PAGE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Largest whole-history series page (a source that declares `maxBytes`): the ECB's 25 years are about
 * 8 MB as XML and 2.3 MB as the CSV inside the zip. Still a bound: the page is held as bytes and parsed
 * as a stream of days, never as one string or DOM.
 */
export const SERIES_PAGE_MAX_BYTES = 32 * 1024 * 1024;

/** One trading day of a series page, as the page's stream yields it. */
export interface ParsedDay {
  date: string;
  quotes: Quote[];
  /** Rows of this day that could not become quotes (row numbers count across the whole page). */
  rejected: Rejected[];
}

/** Fetched bytes plus what the server said about them. */
export interface PageInput {
  body: Buffer;
  /** HTTP Content-Type header, when fetched over HTTP (its charset wins over the page's own). */
  contentType?: string;
  /** Where the bytes came from (used in errors and for resolving relative links). */
  url?: string;
}

export interface SourceAdapter {
  /** Stable id used in keys and on the CLI, e.g. "dse", "gpw-archive", "ecb-daily". */
  id: string;
  /** Human title shown on the site. */
  title: string;
  /** Exchange home page, linked from the site. */
  homepage: string;
  /** URL fetched when `--url` is not given. */
  defaultUrl: string;
  /** BCP 47 locale used to format numbers on the site, e.g. "en-IN". */
  locale: string;
  /** Currency of prices when the page does not say it per row, e.g. "BDT". */
  currency?: string;
  /** 'fx' for exchange rates against `currency` (the site then summarises currencies, not shares). */
  kind?: 'fx';
  /** Publish gate: fewest quotes a healthy page of this source yields for one date. */
  minQuotes: number;
  /** File extension of the raw copy: "html" or "xml" (a zipped page is kept as "zip"). */
  ext: 'html' | 'xml';
  /** Largest page accepted, bytes after decompression. @default DAILY_PAGE_MAX_BYTES */
  maxBytes?: number;
  /** True when the decoded page is of this layout (used when no --source is given). */
  detect(text: string): boolean;
  /** Parse the decoded page. Throws LayoutError when the page is not the expected layout. */
  parse(text: string, ctx: ParseContext): ParseResult;
  /**
   * Same result as `parse`, from the decoded page as a sequence of text chunks, so a large page is
   * never held as one string. Optional: parsePage falls back to `parse` on the whole text.
   */
  parseChunks?(chunks: Iterable<string>, ctx: ParseContext): ParseResult;
  /**
   * A whole-history series: the page's days one at a time, in page order, from its text chunks (a
   * zipped page is unzipped into them first), so neither the page's text nor a DOM is held whole.
   */
  parseDays?(chunks: Iterable<string>, ctx: ParseContext): Iterable<ParsedDay>;
  /** Name of the entry to read when the page is a zip archive (e.g. /\.csv$/i). */
  zipEntry?: RegExp;
}

/** The page cap that applies to an adapter, and how to name it in an error. */
export function pageLimit(adapter: SourceAdapter | undefined): { maxBytes: number; kind: string } {
  if (!adapter) return { maxBytes: DAILY_PAGE_MAX_BYTES, kind: 'a daily page' };
  const maxBytes = adapter.maxBytes ?? DAILY_PAGE_MAX_BYTES;
  return {
    maxBytes,
    kind: adapter.maxBytes ? `${adapter.id} (a whole-history series)` : `${adapter.id} (a daily page)`,
  };
}

/** Facts from outside the page. Parsing never reads the clock: callers pass them in. */
export interface ParseContext {
  /** Trading date to use when the page carries none (YYYY-MM-DD); `--date` on the CLI. */
  date?: string;
}
