// The source registry: every built-in adapter, lookup by id, detection from the page itself, and
// parsePage (decode → pick or detect → parse), the one entry point the CLI and ingest use.
import { decodeAll, decodeChunks, sniffCharset } from '../parse/decode.ts';
import type { ParseResult } from '../../contract/quote.ts';
import { dse } from './dse.ts';
import { ecbDaily, ecbHist90d } from './ecb.ts';
import { AmbiguousSourceError, UndetectedSourceError, UnknownSourceError } from './errors.ts';
import { createTableAdapter } from './generic/adapter.ts';
import { validateMapping, type GenericMapping } from './generic/mapping.ts';
import { gpw2016 } from './gpw-2016.ts';
import { gpwArchive } from './gpw-archive.ts';
import { gpwQuotations } from './gpw-quotations.ts';
import { nseFo } from './nse-fo.ts';
import { nseIndex } from './nse-index.ts';
import type { PageInput, SourceAdapter } from './types.ts';

export const SOURCES: readonly SourceAdapter[] = [
  dse,
  gpwArchive,
  gpwQuotations,
  gpw2016,
  nseIndex,
  nseFo,
  ecbDaily,
  ecbHist90d,
];

export const SOURCE_IDS: readonly string[] = SOURCES.map((s) => s.id);

/** The adapter with this id; UnknownSourceError (exit 2) lists the known ids. */
export function getSource(id: string): SourceAdapter {
  const found = SOURCES.find((s) => s.id === id);
  if (!found) throw new UnknownSourceError(id, [...SOURCE_IDS]);
  return found;
}

/** The one adapter that recognizes the decoded page; no match or several matches is an error. */
export function detectSource(text: string, where?: string): SourceAdapter {
  const matches = SOURCES.filter((s) => s.detect(text));
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

/**
 * Decode the bytes, pick the adapter (mapping, then --source, then detection) and parse. With a
 * named adapter that streams, the page is decoded chunk by chunk into the parser and never held as
 * one string; detection needs the whole text, so it decodes it at once.
 */
export function parsePage(input: PageInput, opts: ParsePageOptions = {}): ParseResult {
  const charset = sniffCharset(input.body, input.contentType);
  const ctx = opts.date === undefined ? {} : { date: opts.date };
  const named = namedAdapter(opts);
  if (named?.parseChunks) return named.parseChunks(decodeChunks(input.body, charset), ctx);
  const text = decodeAll(input.body, charset);
  const adapter = named ?? detectSource(text, input.url ? `at ${input.url}` : undefined);
  return adapter.parse(text, ctx);
}
