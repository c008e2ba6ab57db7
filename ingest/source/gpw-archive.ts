// GPW (Warsaw) price archive, English. No ticker column: the short Name is the symbol. Untraded
// rows have 0.0000 open/high/low (placeholders → null); turnover is in thousands of PLN.
import { createTableAdapter } from './generic/adapter.ts';
import type { GenericMapping } from './generic/mapping.ts';

export const GPW_ARCHIVE_MAPPING: GenericMapping = {
  id: 'gpw-archive',
  title: 'Warsaw Stock Exchange — price archive (equities)',
  homepage: 'https://www.gpw.pl/',
  defaultUrl: 'https://www.gpw.pl/price-archive-full?type=10&instrument=',
  locale: 'pl-PL',
  minQuotes: 300,
  detect: { contains: ['Price archive', 'footable', 'ISIN code'] },
  // ".footable": an options-calculator table.table comes first on the page.
  table: 'table.footable',
  numbers: { locale: 'en' },
  date: { selector: 'h1', pattern: 'Price archive \\((\\d{2}-\\d{2}-\\d{4})\\)', format: 'DD-MM-YYYY' },
  columns: {
    symbol: { header: 'Name' },
    name: { header: 'Name' },
    isin: { header: 'ISIN code' },
    currency: { header: 'Currency' },
    open: { header: 'Opening price', zeroIsMissing: true },
    high: { header: 'Maximum price', zeroIsMissing: true },
    low: { header: 'Minimum price', zeroIsMissing: true },
    close: { header: 'Closing price', zeroIsMissing: true },
    changePercent: { header: '% price change' },
    volume: { header: 'Trade volume (#)' },
    trades: { header: 'Number of transactions' },
    turnover: { header: 'Turnover value (thou.)', unit: 'thou' },
  },
};

export const gpwArchive = createTableAdapter({ mapping: GPW_ARCHIVE_MAPPING });

/** The archive URL for one trading day (the page takes DD-MM-YYYY). */
export function gpwArchiveUrl(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${GPW_ARCHIVE_MAPPING.defaultUrl}&date=${d}-${m}-${y}`;
}
