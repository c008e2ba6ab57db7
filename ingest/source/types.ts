// The adapter contract: one adapter per page layout. Adapters are pure: bytes in, quotes out.
import type { ParseResult } from '../../contract/quote.ts';

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
  /** File extension of the raw copy: "html" or "xml". */
  ext: 'html' | 'xml';
  /** True when the decoded page is of this layout (used when no --source is given). */
  detect(text: string): boolean;
  /** Parse the decoded page. Throws LayoutError when the page is not the expected layout. */
  parse(text: string, ctx: ParseContext): ParseResult;
  /**
   * Same result as `parse`, from the decoded page as a sequence of text chunks, so a large page is
   * never held as one string. Optional: parsePage falls back to `parse` on the whole text.
   */
  parseChunks?(chunks: Iterable<string>, ctx: ParseContext): ParseResult;
}

/** Facts from outside the page. Parsing never reads the clock: callers pass them in. */
export interface ParseContext {
  /** Trading date to use when the page carries none (YYYY-MM-DD); `--date` on the CLI. */
  date?: string;
}
