// The ECB's whole history of euro reference rates (every working day since 4 January 1999), in either
// of the two forms the ECB publishes it: eurofxref-hist.xml (the 90-day file's schema, ~6,800 days)
// and eurofxref-hist.zip (one CSV: "Date,USD,JPY,…," then one row per day, newest first, "N/A" where a
// currency had no rate that day). Both are read as a stream of days — htmlparser2's tokenizer for the
// XML, lines for the CSV — so the page is never one string or one DOM. "N/A" and empty CSV cells are
// absent rates (no quote), not errors.
import { Parser } from 'htmlparser2';
import { isIsoDate } from '../parse/dates.ts';
import { MAX_NESTING_DEPTH, NestingTooDeepError, NumberFormatError } from '../parse/errors.ts';
import { parseNumber } from '../parse/numbers.ts';
import type { Quote, Rejected } from '../../contract/quote.ts';
import { ECB_HOME, HISTORY_MIN_SPAN_DAYS, isEcbXml, xmlSpanDays } from './ecbShared.ts';
import { LayoutError } from './errors.ts';
import { blankQuote } from './generic/rows.ts';
import { SERIES_PAGE_MAX_BYTES, type ParsedDay, type SourceAdapter } from './types.ts';

export const ECB_HIST_ID = 'ecb-hist';

/** One rate → a quote (symbol: the currency, currency: EUR, close: the rate) or why it is not one. */
export function fxQuote(source: string, date: string, currency: string, raw: string): Quote | string {
  if (!/^[A-Z]{3}$/.test(currency)) return `currency: "${currency}" is not an ISO 4217 code`;
  try {
    const rate = parseNumber(raw, { locale: 'en', missing: [], zeroIsMissing: true });
    if (rate === null || rate < 0) return `rate: "${raw}" for ${currency} is not a positive number`;
    return { ...blankQuote(source, date, currency), currency: 'EUR', close: rate };
  } catch (err) {
    return `rate: ${err instanceof NumberFormatError ? err.message : String(err)}`;
  }
}

const CSV_HEADER = /^\uFEFF?Date,(?:[A-Z]{3},)*[A-Z]{3},?\r?$/m;

/** The CSV of eurofxref-hist.zip: its header line, then an ISO date first on the next line. */
export function isEcbHistCsv(text: string): boolean {
  const head = text.slice(0, 4096);
  const m = CSV_HEADER.exec(head);
  return m !== null && m.index === 0 && /\n\d{4}-\d{2}-\d{2},/.test(head);
}

/** Days of the XML, in page order, from text chunks. */
export function* xmlDays(chunks: Iterable<string>, source: string): Generator<ParsedDay> {
  const done: ParsedDay[] = [];
  let day: ParsedDay | null = null;
  let depth = 0;
  let row = 0;
  let sawDay = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (++depth > MAX_NESTING_DEPTH) throw new NestingTooDeepError(source, MAX_NESTING_DEPTH);
        if (name !== 'Cube') return;
        if (attribs.time !== undefined) {
          sawDay = true;
          if (day) done.push(day);
          day = { date: attribs.time, quotes: [], rejected: [] };
        } else if (attribs.currency !== undefined && day) {
          row++;
          const q = isIsoDate(day.date)
            ? fxQuote(source, day.date, attribs.currency, attribs.rate ?? '')
            : `time: "${day.date}" is not YYYY-MM-DD`;
          if (typeof q === 'string') day.rejected.push({ row, reason: q });
          else day.quotes.push(q);
        }
      },
      onclosetag() {
        depth--;
      },
    },
    { xmlMode: true },
  );
  for (const chunk of chunks) {
    parser.write(chunk);
    while (done.length > 0) yield done.shift()!;
  }
  parser.end();
  if (day) done.push(day);
  if (!sawDay) throw new LayoutError(source, ['Cube[time]'], 'no <Cube time="…"> elements in the XML');
  yield* done;
}

/** Lines of text chunks, without their line ends; a last line without one is yielded too. */
function* lines(chunks: Iterable<string>): Generator<string> {
  let rest = '';
  for (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield text.slice(start, text[nl - 1] === '\r' ? nl - 1 : nl);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** Absent-rate cells of the CSV. */
const ABSENT = new Set(['', 'N/A']);

/** Days of the CSV, in page order, from text chunks. */
export function* csvDays(chunks: Iterable<string>, source: string): Generator<ParsedDay> {
  let currencies: string[] | undefined;
  let row = 0;
  for (const line of lines(chunks)) {
    if (currencies === undefined) {
      const header = line.replace(/^\uFEFF/, '').split(',');
      if (header[0] !== 'Date' || header.length < 2) {
        throw new LayoutError(
          source,
          ['Date'],
          `the CSV does not start with "Date,<currency>,…" (got "${line.slice(0, 40)}")`,
        );
      }
      currencies = header.slice(1).map((c) => c.trim());
      continue;
    }
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const date = (cells[0] ?? '').trim();
    const day: ParsedDay = { date, quotes: [], rejected: [] };
    for (let i = 1; i < cells.length; i++) {
      const raw = (cells[i] ?? '').trim();
      const currency = currencies[i - 1] ?? '';
      if (ABSENT.has(raw)) continue;
      row++;
      const q = !isIsoDate(date)
        ? `Date: "${date}" is not YYYY-MM-DD`
        : currency === ''
          ? `column ${i + 1}: a rate "${raw}" under no currency`
          : fxQuote(source, date, currency, raw);
      if (typeof q === 'string') day.rejected.push({ row, reason: q });
      else day.quotes.push(q);
    }
    yield day;
  }
  if (currencies === undefined) throw new LayoutError(source, ['Date'], 'the CSV is empty');
}

/** Whole-history detection: the CSV's header, or an ECB XML whose days span more than the 90-day file's. */
function detectHistory(text: string): boolean {
  if (isEcbHistCsv(text)) return true;
  return isEcbXml(text) && xmlSpanDays(text) > HISTORY_MIN_SPAN_DAYS;
}

export const ecbHist: SourceAdapter = {
  id: ECB_HIST_ID,
  title: 'European Central Bank — euro reference rates (since 1999)',
  homepage: ECB_HOME,
  defaultUrl: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip',
  locale: 'en-GB',
  currency: 'EUR',
  kind: 'fx',
  minQuotes: 25,
  ext: 'xml',
  maxBytes: SERIES_PAGE_MAX_BYTES,
  zipEntry: /\.csv$/i,
  detect: detectHistory,
  parse(text, ctx) {
    const days = this.parseDays!([text], ctx);
    const quotes: Quote[] = [];
    const rejected: Rejected[] = [];
    for (const d of days) {
      quotes.push(...d.quotes);
      rejected.push(...d.rejected);
    }
    return { source: ECB_HIST_ID, quotes, rejected };
  },
  *parseDays(chunks) {
    // The first non-blank characters tell the form: XML starts with "<", the CSV with "Date".
    const it = chunks[Symbol.iterator]();
    const head: string[] = [];
    let first = '';
    for (let r = it.next(); !r.done; r = it.next()) {
      head.push(r.value);
      first = head.join('').trimStart();
      if (first.length >= 4) break;
    }
    const all = (function* () {
      yield* head;
      for (let r = it.next(); !r.done; r = it.next()) yield r.value;
    })();
    yield* first.startsWith('<') ? xmlDays(all, ECB_HIST_ID) : csvDays(all, ECB_HIST_ID);
  },
};
