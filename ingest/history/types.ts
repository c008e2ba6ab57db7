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
  /** The date's per-symbol page, written before series files existed (absent since). */
  symbols?: string;
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
