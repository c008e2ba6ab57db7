// Dhaka Stock Exchange "latest share price" page. Untraded rows carry 0 for LTP/HIGH/LOW
// (placeholders → null) but real zero TRADE/VALUE/VOLUME; VALUE is in millions of BDT.
import { createTableAdapter } from './generic/adapter.ts';
import type { GenericMapping } from './generic/mapping.ts';

export const DSE_MAPPING: GenericMapping = {
  id: 'dse',
  title: 'Dhaka Stock Exchange — latest share prices',
  homepage: 'https://www.dsebd.org/',
  defaultUrl: 'https://dsebd.org/latest_share_price_scroll_l.php',
  locale: 'en-BD',
  minQuotes: 300,
  detect: { contains: ['shares-table', 'TRADING CODE', 'Latest Share Price'] },
  // By class: the page has ~400 tables (a nested one per ticker in the marquee).
  table: 'table.shares-table',
  numbers: { locale: 'en' },
  currency: 'BDT',
  date: { selector: 'h2.BodyHead', pattern: 'On ([A-Z][a-z]{2} \\d{1,2}, \\d{4})', format: 'MMM D, YYYY' },
  columns: {
    symbol: { header: 'TRADING CODE' },
    high: { header: 'HIGH', zeroIsMissing: true },
    low: { header: 'LOW', zeroIsMissing: true },
    close: { header: 'CLOSEP*', zeroIsMissing: true },
    previousClose: { header: 'YCP*', zeroIsMissing: true },
    change: { header: 'CHANGE' },
    trades: { header: 'TRADE' },
    turnover: { header: 'VALUE (mn)', unit: 'mn' },
    volume: { header: 'VOLUME' },
  },
};

export const dse = createTableAdapter({ mapping: DSE_MAPPING });
