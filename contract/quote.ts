// The public data contract: one normalized quote, the columns of the JSON and CSV files, and what a parse returns.

export interface Quote {
  /** Source adapter id, e.g. "dse". */
  source: string;
  /** Trading date, YYYY-MM-DD. */
  date: string;
  /** Ticker; the currency code for FX rates; the index or contract for a series. */
  symbol: string;
  name?: string | null;
  isin?: string | null;
  /** ISO 4217 code; for FX rates the base currency (EUR for the ECB). */
  currency?: string | null;
  open?: number | null;
  high?: number | null;
  low?: number | null;
  /** Close or last price; for FX rates the rate. */
  close?: number | null;
  previousClose?: number | null;
  change?: number | null;
  changePercent?: number | null;
  volume?: number | null;
  trades?: number | null;
  /** Turnover in whole currency units (pages in thousands, millions, lakhs or crores are converted). */
  turnover?: number | null;
  /** Fields computed from the previous published trading day, not read from the page (JSON only). */
  derived?: DerivedField[];
}

/** Fields ingest may derive from the previous published trading day of the same symbol. */
export const DERIVABLE_FIELDS = ['previousClose', 'change', 'changePercent'] as const;
export type DerivedField = (typeof DERIVABLE_FIELDS)[number];

/** Column order of the CSV file and of the JSON objects. */
export const QUOTE_FIELDS = [
  'source',
  'date',
  'symbol',
  'name',
  'isin',
  'currency',
  'open',
  'high',
  'low',
  'close',
  'previousClose',
  'change',
  'changePercent',
  'volume',
  'trades',
  'turnover',
] as const satisfies readonly (keyof Quote)[];

/** Quote fields by kind: the mapping format, the normalizer and the publish gate share these lists. */
export const QUOTE_TEXT_FIELDS = ['symbol', 'name', 'isin', 'currency'] as const;
export const QUOTE_PRICE_FIELDS = ['open', 'high', 'low', 'close', 'previousClose'] as const;
export const QUOTE_COUNT_FIELDS = ['volume', 'trades', 'turnover'] as const;
export const QUOTE_NUMBER_FIELDS = [
  ...QUOTE_PRICE_FIELDS,
  'change',
  'changePercent',
  ...QUOTE_COUNT_FIELDS,
] as const satisfies readonly (keyof Quote)[];

/** A data row that could not become a quote. `row` is 1-based among the table's data rows. */
export interface Rejected {
  row: number;
  reason: string;
}

/** What `exchange parse` prints and what ingest validates and publishes. */
export interface ParseResult {
  source: string;
  quotes: Quote[];
  rejected: Rejected[];
}
