// NSE India F&O contract history (old site fragment): one row per day of one contract. The symbol
// names the contract — "NIFTY FUT 2015-11-26", or "NIFTY 2015-11-26 8000 CE" for an option —
// because the underlying alone would repeat across expiries. Turnover is in lakhs.
import { parseDate } from '../parse/dates.ts';
import { createTableAdapter, type RefineInput } from './generic/adapter.ts';
import type { GenericMapping } from './generic/mapping.ts';
import type { Quote } from '../../contract/quote.ts';

export const NSE_FO_MAPPING: GenericMapping = {
  id: 'nse-fo',
  title: 'National Stock Exchange of India — F&O contract history',
  homepage: 'https://www.nseindia.com/',
  // Rebuilt from nsepy's derivative-history request; the saved fragment is this contract and range.
  defaultUrl:
    'http://www.nseindia.com/products/dynaContent/common/productsSymbolMapping.jsp?instrumentType=FUTIDX&symbol=NIFTY&expiryDate=26-11-2015&optionType=select&strikePrice=&dateRange=&fromDate=07-11-2015&toDate=13-11-2015&segmentLink=9&symbolCount=',
  locale: 'en-IN',
  minQuotes: 1,
  detect: { contains: ['Historical Contract-wise Price Volume Data'] },
  table: 'table',
  rows: { cellClass: 'number' },
  numbers: { locale: 'en-IN' },
  currency: 'INR',
  columns: {
    symbol: { header: 'Symbol' },
    date: { header: 'Date', format: 'DD-MMM-YYYY' },
    open: { header: 'Open', zeroIsMissing: true },
    high: { header: 'High', zeroIsMissing: true },
    low: { header: 'Low', zeroIsMissing: true },
    close: { header: 'Close', zeroIsMissing: true },
    volume: { header: 'No. of contracts' },
    turnover: { headerRegex: '(^|/ )Turnover\\b.*\\bLacs\\b', unit: 'lakh' },
  },
};

function contractSymbol(quote: Quote, extra: RefineInput): Quote | string {
  const expiryText = extra.row.expiry;
  if (!expiryText) return 'expiry: empty cell';
  let expiry: string;
  try {
    expiry = parseDate(expiryText, 'DD-MMM-YYYY');
  } catch (err) {
    return `expiry: ${(err as Error).message}`;
  }
  const { strike, optionType } = extra.row;
  const isOption = (extra.page.instrument ?? '').startsWith('OPT') || (strike && optionType);
  const symbol = isOption
    ? `${quote.symbol} ${expiry} ${strike ?? ''} ${optionType ?? ''}`.replace(/\s+/g, ' ').trim()
    : `${quote.symbol} FUT ${expiry}`;
  return { ...quote, symbol };
}

export const nseFo = createTableAdapter({
  mapping: NSE_FO_MAPPING,
  extraColumns: {
    expiry: { header: 'Expiry' },
    strike: { header: 'Strike Price', required: false },
    optionType: { header: 'Option Type', required: false },
  },
  extraPage: { instrument: { selector: 'div.historic-bar', pattern: 'Data for ([A-Z]+)-' } },
  refine: contractSymbol,
});
