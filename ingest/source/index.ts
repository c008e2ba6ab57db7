// The source registry: every built-in adapter, lookup by id, detection from the page itself, and
// parsePage / parsePageDays (decode → pick or detect → parse), the entry points the CLI and ingest use.
import type { ParseResult, Quote, Rejected } from '../../contract/quote.ts';
import { dse } from './dse.ts';
import { ecbDaily, ecbHist90d } from './ecb.ts';
import { ecbHist } from './ecbHistory.ts';
import {
  AmbiguousSourceError,
  LayoutError,
  PageTooLargeForSourceError,
  UndetectedSourceError,
  UnknownSourceError,
  WrongSourceError,
} from './errors.ts';
import { createTableAdapter } from './generic/adapter.ts';
import { validateMapping, type GenericMapping } from './generic/mapping.ts';
import { gpw2016 } from './gpw-2016.ts';
import { gpwArchive } from './gpw-archive.ts';
import { gpwQuotations } from './gpw-quotations.ts';
import { nseFo } from './nse-fo.ts';
import { nseIndex } from './nse-index.ts';
import { pageText, type PageText } from './pageText.ts';
import { pageLimit, type PageInput, type ParsedDay, type SourceAdapter } from './types.ts';

export const SOURCES: readonly SourceAdapter[] = [
  dse,
  gpwArchive,
  gpwQuotations,
  gpw2016,
  nseIndex,
  nseFo,
  ecbDaily,
  ecbHist90d,
  ecbHist,
];

export const SOURCE_IDS: readonly string[] = SOURCES.map((s) => s.id);

/** The largest page any source accepts: what a page whose source is not yet known may be. */
export const LARGEST_PAGE_BYTES = Math.max(...SOURCES.map((s) => pageLimit(s).maxBytes));

/** The adapter with this id; UnknownSourceError (exit 2) lists the known ids. */
export function getSource(id: string): SourceAdapter {
  const found = SOURCES.find((s) => s.id === id);
  if (!found) throw new UnknownSourceError(id, [...SOURCE_IDS]);
  return found;
}

/** The one adapter that recognizes the decoded page; no match or several matches is an error. */
export function detectSource(text: string, where?: string, bytes = 0): SourceAdapter {
  // A page larger than a source's cap cannot be that source's (a daily page is never 8 MB).
  const matches = SOURCES.filter((s) => pageLimit(s).maxBytes >= bytes && s.detect(text));
  if (matches.length === 0) throw new UndetectedSourceError([...SOURCE_IDS], where);
  if (matches.length > 1) throw new AmbiguousSourceError(matches.map((s) => s.id));
  return matches[0]!;
}

/** An adapter from a user mapping (already parsed JSON); validated with MappingError on problems. */
export function adapterFromMapping(json: unknown): SourceAdapter {
  return createTableAdapter({ mapping: validateMapping(json) });
}

export interface ParsePageOptions {
  /** Adapter id; detected from the page when absent. */
  source?: string;
  /** Trading date when the page carries none (YYYY-MM-DD). */
  date?: string;
  /** A generic-table mapping; wins over `source` and detection. */
  mapping?: GenericMapping | unknown;
}

/** The adapter named by the options (mapping, then --source); undefined means detect it. */
function namedAdapter(opts: ParsePageOptions): SourceAdapter | undefined {
  if (opts.mapping !== undefined) return adapterFromMapping(opts.mapping);
  return opts.source === undefined ? undefined : getSource(opts.source);
}

/** Detection; a page over the daily cap that no series source recognises is refused as too large. */
function detectLarge(text: PageText, where: string | undefined, bytes: number): SourceAdapter {
  try {
    return detectSource(text.sample(), where, bytes);
  } catch (error) {
    const daily = pageLimit(undefined);
    if (!(error instanceof UndetectedSourceError) || bytes <= daily.maxBytes) throw error;
    throw new PageTooLargeForSourceError(
      'unknown',
      bytes,
      daily.maxBytes,
      `${daily.kind}, and no whole-history source recognises it`,
    );
  }
}

/** A parsed page as a stream of days (a series source), or as the adapter's whole result. */
export interface ParsedPage {
  adapter: SourceAdapter;
  /** True when the bytes were a zip archive (the raw copy is kept as .zip). */
  zipped: boolean;
  days: Iterable<ParsedDay>;
}

interface Resolved {
  adapter: SourceAdapter;
  named: SourceAdapter | undefined;
  text: PageText;
  ctx: { date?: string };
}

/**
 * Decode the bytes (unzip a zip archive) and pick the adapter (mapping, then --source, then
 * detection). Detection looks at the whole text of a small page, or the start and end of a large one.
 */
function resolve(input: PageInput, opts: ParsePageOptions): Resolved {
  const ctx = opts.date === undefined ? {} : { date: opts.date };
  const named = namedAdapter(opts);
  const text = pageText(input, named ? pageLimit(named).maxBytes : LARGEST_PAGE_BYTES);
  const where = input.url ? `at ${input.url}` : undefined;
  const adapter = named ?? detectLarge(text, where, text.zipped ? 0 : input.body.length);
  const limit = pageLimit(adapter);
  if (input.body.length > limit.maxBytes) {
    throw new PageTooLargeForSourceError(adapter.id, input.body.length, limit.maxBytes, limit.kind);
  }
  return { adapter, named, text, ctx };
}

/**
 * The page as a stream of days. A series source (parseDays) is decoded chunk by chunk into its parser,
 * so neither its text nor a DOM is ever held whole; other pages are parsed whole and grouped by date.
 */
export function parsePageDays(input: PageInput, opts: ParsePageOptions = {}): ParsedPage {
  const r = resolve(input, opts);
  const days = r.adapter.parseDays
    ? wrongSourceAware(r.adapter.parseDays(r.text.chunks(r.adapter), r.ctx), r)
    : groupDays(whole(r));
  return { adapter: r.adapter, zipped: r.text.zipped, days };
}

/** The whole ParseResult (what `exchange parse` prints); a series page's days gathered in page order. */
export function parsePage(input: PageInput, opts: ParsePageOptions = {}): ParseResult {
  const r = resolve(input, opts);
  if (!r.adapter.parseDays) return whole(r);
  const quotes: Quote[] = [];
  const rejected: Rejected[] = [];
  for (const day of wrongSourceAware(r.adapter.parseDays(r.text.chunks(r.adapter), r.ctx), r)) {
    for (const q of day.quotes) quotes.push(q);
    for (const x of day.rejected) rejected.push(x);
  }
  return { source: r.adapter.id, quotes, rejected };
}

/** A named adapter that streams reads chunks; others get the whole text. */
function whole(r: Resolved): ParseResult {
  try {
    if (r.adapter.parseChunks) return r.adapter.parseChunks(r.text.chunks(r.adapter), r.ctx);
    return r.adapter.parse([...r.text.chunks(r.adapter)].join(''), r.ctx);
  } catch (error) {
    throw wrongSource(error, r);
  }
}

/** A whole ParseResult as days, in the order the page first gives each; rejected rows go with the first. */
function groupDays(result: ParseResult): ParsedDay[] {
  const byDate = new Map<string, ParsedDay>();
  for (const q of result.quotes) {
    let day = byDate.get(q.date);
    if (!day) byDate.set(q.date, (day = { date: q.date, quotes: [], rejected: [] }));
    day.quotes.push(q);
  }
  const days = [...byDate.values()];
  if (days[0]) days[0].rejected = result.rejected;
  return days;
}

function* wrongSourceAware(days: Iterable<ParsedDay>, r: Resolved): Generator<ParsedDay> {
  try {
    yield* days;
  } catch (error) {
    throw wrongSource(error, r);
  }
}

/** The named adapter's layout error becomes WrongSourceError when the page is recognisably another source's. */
function wrongSource(error: unknown, r: Resolved): unknown {
  if (!r.named || !(error instanceof LayoutError)) return error;
  const named = r.named;
  let sample: string;
  try {
    sample = r.text.sample();
  } catch {
    return error;
  }
  const others = SOURCES.filter((s) => s.id !== named.id && safeDetect(s, sample));
  return others.length === 1 ? new WrongSourceError(named.id, others[0]!.id, error) : error;
}

function safeDetect(adapter: SourceAdapter, sample: string): boolean {
  try {
    return adapter.detect(sample);
  } catch {
    return false;
  }
}
