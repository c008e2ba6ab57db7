// GPW current quotations (English AJAX table fragment). The page has no date: the table id
// "footable<unix seconds>" is the capture time, so the trading date is that day in Warsaw, rolled
// back off a weekend; a caller's --date wins because this is an inference.
import { createTableAdapter } from './generic/adapter.ts';
import type { GenericMapping } from './generic/mapping.ts';

export const GPW_QUOTATIONS_MAPPING: GenericMapping = {
  id: 'gpw-quotations',
  title: 'Warsaw Stock Exchange — current quotations (equities)',
  homepage: 'https://www.gpw.pl/',
  defaultUrl:
    'https://www.gpw.pl/ajaxindex.php?action=GPWQuotations&start=showTable&tab=all&lang=EN&full=1&format=html',
  locale: 'pl-PL',
  minQuotes: 300,
  detect: { contains: ['footable', 'Shortcut', 'Cumulated volume'] },
  table: 'table.footable',
  numbers: { locale: 'en' },
  date: {
    selector: 'table.footable',
    attribute: 'id',
    pattern: '^footable(\\d{9,11})$',
    format: 'unix',
    timeZone: 'Europe/Warsaw',
    weekendRollback: true,
    preferContext: true,
  },
  columns: {
    symbol: { header: 'Shortcut' },
    name: { header: 'Name', stripSuffix: true },
    isin: { header: 'Name', attribute: 'href', pattern: 'isin=([A-Z]{2}[A-Z0-9]{9}\\d)' },
    currency: { header: 'Currency' },
    previousClose: { header: 'Reference price', zeroIsMissing: true },
    open: { header: 'Open', zeroIsMissing: true },
    low: { header: 'Low', zeroIsMissing: true },
    high: { header: 'High', zeroIsMissing: true },
    close: { header: 'Last / Closing', zeroIsMissing: true },
    changePercent: { header: '% change' },
    trades: { header: 'Number of trades' },
    volume: { header: 'Cumulated volume' },
    turnover: { header: 'Cumulated value (PLN thous.)', unit: 'thou' },
  },
};

export const gpwQuotations = createTableAdapter({ mapping: GPW_QUOTATIONS_MAPPING });
