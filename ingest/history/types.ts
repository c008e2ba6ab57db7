// Shapes of a source's history objects in the bucket (keys in contract: datesKey, historyKey).
import { publishKeys } from '../../contract/index.ts';

/**
 * One published date in the dates index. Its keys follow from the publish id (contract publishKeys):
 * the data files' id, and the page's when the page was rendered again since (the latest day is, with
 * each re-ingest). Kept this small because 25 years are 6,500 entries, read and written by every
 * publish. Indexes written before kept the keys themselves; those are still read.
 */
export interface DateEntry {
  date: string;
  /** The publish that wrote the date's data files. */
  publishId: string;
  /** The publish that rendered its current page, when not the same. */
  pageId?: string;
  /** Digest of the date's quotes (derived values included): equal digests mean equal data. */
  digest: string;
  quotes: number;
  /** Written by versions before compact entries. */
  json?: string;
  csv?: string;
  page?: string;
  /** The date's per-symbol page, written before series files existed. */
  symbols?: string;
}

/** A date's keys: as an older index listed them, or from its publish ids. */
export function entryKeys(source: string, e: DateEntry): { json: string; csv: string; page: string } {
  const data = publishKeys(source, e.date, e.publishId);
  return {
    json: e.json ?? data.json,
    csv: e.csv ?? data.csv,
    page: e.page ?? (e.pageId ? publishKeys(source, e.date, e.pageId).page : data.page),
  };
}

/**
 * The per-symbol series files: every symbol's closes up to `through`, under one publish id. With the
 * history window (every published date after `through`) they give each symbol's whole history.
 */
export interface SeriesState {
  id: string;
  /** The last date the files hold. */
  through: string;
  /** The symbols with a file. */
  symbols: string[];
}

/** data/<source>/dates.json: small, public, rewritten by every publish of the source (compare-and-swap). */
export interface DatesIndex {
  source: string;
  updatedAt: string;
  /** Key of the history window written with this index. */
  history: string | null;
  /** Ascending by date. */
  dates: DateEntry[];
  /** The current series files (absent before a publish wrote any). */
  series?: SeriesState;
}

/** data/<source>/history/<id>.json: the last HISTORY_DAYS published dates' closes per symbol. */
export interface HistoryWindow {
  source: string;
  /** Ascending. */
  dates: string[];
  closes: Record<string, (number | null)[]>;
  /** Symbols' names as the latest day gave them (the chart page lists them). */
  names?: Record<string, string>;
}
