// ECB euro foreign-exchange reference rates (XML): the daily file and the 90-day history share
// one schema (Cube time=… > Cube currency=… rate=…). FX semantics: symbol is the quoted currency,
// currency is the base (EUR), close is the rate (units of the currency per 1 EUR).
import { load } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { isIsoDate } from '../parse/dates.ts';
import { checkXmlDepth, NumberFormatError } from '../parse/errors.ts';
import { parseNumber } from '../parse/numbers.ts';
import type { ParseResult, Quote, Rejected } from '../../contract/quote.ts';
import { LayoutError } from './errors.ts';
import { blankQuote } from './generic/rows.ts';
import type { SourceAdapter } from './types.ts';

const ECB_HOME = 'https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/';

function rateQuote(source: string, date: string, cube: Element): Quote | string {
  const currency = cube.attribs.currency ?? '';
  if (!/^[A-Z]{3}$/.test(currency)) return `currency: "${currency}" is not an ISO 4217 code`;
  const raw = cube.attribs.rate ?? '';
  try {
    const rate = parseNumber(raw, { locale: 'en', missing: [], zeroIsMissing: true });
    if (rate === null || rate < 0) return `rate: "${raw}" for ${currency} is not a positive number`;
    return { ...blankQuote(source, date, currency), currency: 'EUR', close: rate };
  } catch (err) {
    return `rate: ${err instanceof NumberFormatError ? err.message : String(err)}`;
  }
}

/** Parse an ECB eurofxref XML document: one quote per (day, currency). */
export function parseEcb(text: string, source: string): ParseResult {
  checkXmlDepth(text, source);
  const $ = load(text, { xml: true });
  const days = $('Cube[time]').toArray();
  if (days.length === 0)
    throw new LayoutError(source, ['Cube[time]'], 'no <Cube time="…"> elements in the XML');
  const quotes: Quote[] = [];
  const rejected: Rejected[] = [];
  let n = 0;
  for (const day of days) {
    const date = day.attribs.time ?? '';
    for (const cube of $(day).children('Cube').toArray()) {
      n++;
      const result = isIsoDate(date) ? rateQuote(source, date, cube) : `time: "${date}" is not YYYY-MM-DD`;
      if (typeof result === 'string') rejected.push({ row: n, reason: result });
      else quotes.push(result);
    }
  }
  return { source, quotes, rejected };
}

const isEcb = (text: string): boolean => text.includes('eurofxref') && text.includes('<Cube');
/** Day Cubes in the document; the daily file has exactly one. */
const dayCount = (text: string): number => text.match(/<Cube\s+time\s*=/g)?.length ?? 0;

function ecbAdapter(
  id: string,
  title: string,
  url: string,
  minQuotes: number,
  daily: boolean,
): SourceAdapter {
  return {
    id,
    title,
    homepage: ECB_HOME,
    defaultUrl: url,
    locale: 'en-GB',
    currency: 'EUR',
    kind: 'fx',
    minQuotes,
    ext: 'xml',
    detect: (text) => isEcb(text) && (daily ? dayCount(text) === 1 : dayCount(text) > 1),
    parse: (text) => parseEcb(text, id),
  };
}

export const ecbDaily = ecbAdapter(
  'ecb-daily',
  'European Central Bank — euro reference rates (daily)',
  'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
  25,
  true,
);

/** minQuotes is per published date (the gate checks one date of the series): ~30 currencies a day. */
export const ecbHist90d = ecbAdapter(
  'ecb-hist-90d',
  'European Central Bank — euro reference rates (last 90 days)',
  'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml',
  25,
  false,
);
