// What the site renderer takes and returns: ingest publishes the files, `serve` serves them.
import type { LatestPointer } from '../contract/index.ts';
import type { Quote } from '../contract/quote.ts';

export interface SiteSource {
  id: string;
  title: string;
  homepage: string;
  /** BCP 47 locale for number formatting, e.g. "pl-PL". */
  locale: string;
  /** Currency of prices when quotes do not carry one. */
  currency?: string;
  /** 'fx': close is a rate, units of the quoted currency per one `currency` (the base). */
  kind?: 'fx';
}

export interface SiteInput {
  pointer: LatestPointer;
  quotes: Quote[];
  source: SiteSource;
  /** Closes of the trading days up to this one, for sparklines; absent before history. */
  history?: SiteHistory;
  /** Links to other published days, the year calendars and the chart page; absent before history. */
  nav?: SiteNav;
}

/** The last trading days up to and including the page's date, oldest first. */
export interface SiteHistory {
  dates: string[];
  /** Per symbol, one close per entry of `dates` (null where the symbol had none). */
  closes: Record<string, (number | null)[]>;
}

export interface DayLink {
  date: string;
  /** Key of that day's page. */
  page: string;
}

export interface SiteNav {
  /** The published days of the page's month, ascending (the page's own included). */
  month: DayLink[];
  /** Every year with a published day, ascending, and its calendar page. */
  years: { year: string; page: string }[];
  previous?: DayLink;
  next?: DayLink;
  /** The source's dates index (JSON). */
  datesIndex: string;
  /** The source's chart page (one symbol at a time, by URL fragment). */
  symbolsPage: string;
}

/** One object to write to the bucket. */
export interface SiteFile {
  key: string;
  body: string | Buffer;
  contentType: string;
  cacheControl: string;
}
