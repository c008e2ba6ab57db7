// Fixture access for the parsing tests: committed pages only (never ../shared at run time).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Quote } from '../../../contract/quote.ts';

const PAGES = fileURLToPath(new URL('../../fixtures/pages/', import.meta.url));

export function page(relPath: string): Buffer {
  return readFileSync(`${PAGES}${relPath}`);
}

export const REAL = {
  dse: 'real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html',
  gpwArchive: 'real/gpw-warsaw/price-archive-full_equities_2021-01-04_en.html',
  gpwQuotations: 'real/gpw-warsaw/quotations-table-fragment_equities_2021-07-02_en.html',
  gpw2016: 'real/gpw-warsaw/tab03-table-fragment_equities_2016_pl_partial.html',
  nseIndex: 'real/nse-india/index-historical_NIFTY50_2015-11-02_to_2015-11-16.html',
  nseFo: 'real/nse-india/fo-contract-history_FUTIDX-NIFTY_2015-11-07_to_2015-11-13.html',
  ecbDaily: 'real/ecb/eurofxref-daily_2022-07-08.xml',
  ecb90d: 'real/ecb/eurofxref-hist-90d_2021-07-05.xml',
} as const;

/** Derived from the real ECB files by fixtures/pages/derived/ecbHistory.ts: 65 days over 15 months. */
export const DERIVED = {
  ecbHistXml: 'derived/eurofxref-hist_2021-04-07_to_2022-07-08.xml',
  ecbHistZip: 'derived/eurofxref-hist_2021-04-07_to_2022-07-08.zip',
} as const;

/** The quote for `symbol` (and `date` for series), or a failed assertion naming it. */
export function quoteOf(quotes: Quote[], symbol: string, date?: string): Quote {
  const q = quotes.find((x) => x.symbol === symbol && (date === undefined || x.date === date));
  if (!q) throw new Error(`no quote for ${symbol}${date ? ` on ${date}` : ''}`);
  return q;
}
