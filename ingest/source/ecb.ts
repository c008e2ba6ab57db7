// ECB euro foreign-exchange reference rates (XML): the daily file and the 90-day history share
// one schema (Cube time=… > Cube currency=… rate=…). FX semantics: symbol is the quoted currency,
// currency is the base (EUR), close is the rate (units of the currency per 1 EUR).
import { load } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { isIsoDate } from '../parse/dates.ts';
import { checkXmlDepth } from '../parse/errors.ts';
import type { ParseResult, Quote, Rejected } from '../../contract/quote.ts';
import { LayoutError } from './errors.ts';
import { fxQuote } from './ecbHistory.ts';
import { ECB_HOME, HISTORY_MIN_SPAN_DAYS, isEcbXml, xmlSpanDays } from './ecbShared.ts';
import type { SourceAdapter } from './types.ts';

function rateQuote(source: string, date: string, cube: Element): Quote | string {
  return fxQuote(source, date, cube.attribs.currency ?? '', cube.attribs.rate ?? '');
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
    // The whole history has the 90-day file's schema; it is told apart by its span (ecbHistory.ts).
    detect: (text) =>
      isEcbXml(text) &&
      (daily ? dayCount(text) === 1 : dayCount(text) > 1 && xmlSpanDays(text) <= HISTORY_MIN_SPAN_DAYS),
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
