// NSE India index history (old site fragment): a time series for one index. Each row has its own
// date; the symbol comes from the caption ("Historical Data for NIFTY 50"); turnover is in crores.
import { createTableAdapter } from './generic/adapter.ts';
import type { GenericMapping } from './generic/mapping.ts';

export const NSE_INDEX_MAPPING: GenericMapping = {
  id: 'nse-index',
  title: 'National Stock Exchange of India — index history',
  homepage: 'https://www.nseindia.com/',
  defaultUrl:
    'http://www.nseindia.com/products/dynaContent/equities/indices/historicalindices.jsp?indexType=NIFTY%2050&fromDate=02-11-2015&toDate=16-11-2015',
  locale: 'en-IN',
  minQuotes: 1,
  detect: { contains: ['Historical Data for', 'Shares Traded', 'class="date"'] },
  table: 'table',
  rows: { cellClass: 'date' },
  numbers: { locale: 'en-IN' },
  currency: 'INR',
  symbol: { selector: 'th.tablehead', pattern: 'Historical Data for (.+)' },
  columns: {
    date: { header: 'Date', format: 'DD-MMM-YYYY' },
    open: { header: 'Open', zeroIsMissing: true },
    high: { header: 'High', zeroIsMissing: true },
    low: { header: 'Low', zeroIsMissing: true },
    close: { header: 'Close', zeroIsMissing: true },
    volume: { header: 'Shares Traded' },
    turnover: { headerRegex: '(^|/ )Turnover\\b.*\\bCr\\b', unit: 'crore' },
  },
};

export const nseIndex = createTableAdapter({ mapping: NSE_INDEX_MAPPING });
