// The generic table adapter: stream the page through the extractor once, flatten the table's header,
// resolve mapped columns, turn each data row into a quote or a rejection as it ends (reader.ts).
// Built-in HTML layouts are presets.
import type { Quote, ParseResult } from '../../../contract/quote.ts';
import type { ParseContext, SourceAdapter } from '../types.ts';
import { hasTd, scanTable, type ExtractSpec, type Row } from './extract.ts';
import type { ColumnSpec, GenericMapping, PageValueSpec } from './mapping.ts';
import { TableReader } from './reader.ts';
import { parseSelector, type SimpleSelector } from './select.ts';

/** Facts beyond the Quote fields that a preset's `refine` may need. */
export interface RefineInput {
  /** Text of each `extraColumns` cell (null when empty or the column is absent). */
  row: Record<string, string | null>;
  /** Value of each `extraPage` spec (undefined when not found). */
  page: Record<string, string | undefined>;
}

/** A mapping plus optional code: what a built-in layout needs that JSON cannot say. */
export interface TablePreset {
  mapping: GenericMapping;
  extraColumns?: Record<string, ColumnSpec>;
  extraPage?: Record<string, PageValueSpec>;
  /** Adjust a parsed quote; return a string to reject the row with that reason. */
  refine?: (quote: Quote, extra: RefineInput) => Quote | string;
}

/** Header rows are the leading rows without td; later td-less rows (repeated headers) are decoration. */
export function splitRows(rows: Row[]): { header: Row[]; body: Row[] } {
  const first = rows.findIndex((r) => hasTd(r));
  const cut = first === -1 ? rows.length : first;
  return { header: rows.slice(0, cut), body: rows.slice(cut) };
}

const selector = (text: string): SimpleSelector => {
  const sel = parseSelector(text);
  // validateMapping rejects unsupported selectors; presets are covered by tests.
  if (!sel) throw new Error(`unsupported selector "${text}"`);
  return sel;
};

/** Matches no element: for fixed and context values, which read nothing from the page. */
const NEVER: SimpleSelector = { tag: '#never', id: undefined, classes: [], attrs: [] };

/** Page-level specs in a fixed order: date, symbol, then the preset's extras. */
function pageSpecs(preset: TablePreset): [string, PageValueSpec][] {
  const m = preset.mapping;
  const specs: [string, PageValueSpec][] = [];
  if (m.date) specs.push(['date', m.date]);
  if (m.symbol) specs.push(['symbol', m.symbol]);
  return [...specs, ...Object.entries(preset.extraPage ?? {})];
}

function extractSpec(preset: TablePreset, specs: [string, PageValueSpec][]): ExtractSpec {
  const cols = [...Object.values(preset.mapping.columns), ...Object.values(preset.extraColumns ?? {})];
  return {
    source: preset.mapping.id,
    table: selector(preset.mapping.table),
    values: specs.map(([, s]) => (s.selector === undefined ? NEVER : selector(s.selector))),
    cellAttrs: [...new Set(cols.flatMap((c) => (c?.attribute ? [c.attribute] : [])))],
  };
}

/** Parse a decoded HTML page, whole or as a sequence of text chunks, with a table preset. */
export function parseTable(
  text: string | Iterable<string>,
  preset: TablePreset,
  ctx: ParseContext,
): ParseResult {
  const specs = pageSpecs(preset);
  const reader = new TableReader(preset, ctx, specs);
  return reader.finish(scanTable(text, extractSpec(preset, specs), reader.onRow));
}

/** True when every detection text occurs in the page (and the pattern, when given, matches). */
export function detectByMapping(text: string, m: GenericMapping): boolean {
  const d = m.detect;
  if (!d || (!d.contains?.length && d.pattern === undefined)) return false;
  if (d.contains && !d.contains.every((s) => text.includes(s))) return false;
  return d.pattern === undefined || new RegExp(d.pattern).test(text);
}

/** A SourceAdapter from a preset (built-in) or a bare mapping (from --mapping). */
export function createTableAdapter(preset: TablePreset): SourceAdapter {
  const m = preset.mapping;
  return {
    id: m.id,
    title: m.title ?? m.id,
    homepage: m.homepage ?? '',
    defaultUrl: m.defaultUrl ?? '',
    locale: m.locale ?? 'en',
    currency: m.currency,
    minQuotes: m.minQuotes ?? 1,
    ext: 'html',
    detect: (text) => detectByMapping(text, m),
    parse: (text, ctx) => parseTable(text, preset, ctx),
    parseChunks: (chunks, ctx) => parseTable(chunks, preset, ctx),
  };
}
