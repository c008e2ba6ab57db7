// Shapes of a source's history objects in the bucket (keys in contract: datesKey, historyKey).

/** One published date in the dates index: the keys of its current publish. */
export interface DateEntry {
  date: string;
  publishId: string;
  /** Digest of the date's quotes (derived values included): equal digests mean equal data. */
  digest: string;
  quotes: number;
  json: string;
  csv: string;
  page: string;
  symbols: string;
}

/** data/<source>/dates.json: small, public, rewritten by every publish of the source (compare-and-swap). */
export interface DatesIndex {
  source: string;
  updatedAt: string;
  /** Key of the history window written with this index. */
  history: string | null;
  /** Ascending by date. */
  dates: DateEntry[];
}

/** data/<source>/history/<id>.json: the last HISTORY_DAYS published dates' closes per symbol. */
export interface HistoryWindow {
  source: string;
  /** Ascending. */
  dates: string[];
  closes: Record<string, (number | null)[]>;
}
