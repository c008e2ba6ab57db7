// GPW quotations, 2016 Polish layout (table.tab03). Polish numbers (decimal comma, NBSP
// thousands, "---" missing), header rows repeated in the body, status suffixes after the name
// link, and no trading date anywhere: the caller must pass one.
import { createTableAdapter } from './generic/adapter.ts';
import type { GenericMapping } from './generic/mapping.ts';

export const GPW_2016_MAPPING: GenericMapping = {
  id: 'gpw-2016',
  title: 'Giełda Papierów Wartościowych — notowania (układ 2016)',
  homepage: 'https://www.gpw.pl/',
  // The 2016 page is gone and its URL was not recorded; pass --url for a saved copy.
  defaultUrl: 'https://www.gpw.pl/',
  locale: 'pl-PL',
  minQuotes: 100,
  detect: { contains: ['class="tab03"', 'Skrót', 'Kurs odn.'] },
  table: 'table.tab03',
  numbers: { locale: 'pl' },
  date: { context: true },
  columns: {
    symbol: { header: 'Skrót' },
    name: { header: 'Nazwa', stripSuffix: true },
    isin: { header: 'Nazwa', attribute: 'href', pattern: 'karta_spolki/([A-Z]{2}[A-Z0-9]{9}\\d)' },
    currency: { header: 'Waluta' },
    previousClose: { header: 'Kurs odn.', zeroIsMissing: true },
    open: { header: 'Kurs otw', zeroIsMissing: true },
    low: { header: 'Kurs min', zeroIsMissing: true },
    high: { header: 'Kurs maks', zeroIsMissing: true },
    close: { header: 'Kurs ost. trans. / zamk.', zeroIsMissing: true },
    changePercent: { header: 'Zm.do k.odn. (%)' },
    trades: { header: 'Liczba transakcji' },
    volume: { header: 'Wol. obr. - skumul.' },
    turnover: { header: 'Wart. obr. -skumul. (tys.)', unit: 'thou' },
  },
};

export const gpw2016 = createTableAdapter({ mapping: GPW_2016_MAPPING });
