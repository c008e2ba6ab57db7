// What the site renderer takes and returns: ingest publishes the files, `serve` serves them.
import type { LatestPointer } from '../contract/index.ts';
import type { Quote } from '../ingest/quote.ts';

export interface SiteSource {
  id: string;
  title: string;
  homepage: string;
  /** BCP 47 locale for number formatting, e.g. "pl-PL". */
  locale: string;
  /** Currency of prices when quotes do not carry one. */
  currency?: string;
}

export interface SiteInput {
  pointer: LatestPointer;
  quotes: Quote[];
  source: SiteSource;
  /** Environment colour shown as a badge ("blue" | "green"); absent when run outside an environment. */
  color?: string;
}

/** One object to write to the bucket. */
export interface SiteFile {
  key: string;
  body: string | Buffer;
  contentType: string;
  cacheControl: string;
}
