// The generic table adapter: extract the table in one streaming pass, flatten its header, resolve
// mapped columns, turn each data row into a quote or a rejection. Built-in HTML layouts are presets.
import type { Quote, ParseResult, Rejected } from '../../quote.ts';
import type { NumberFormat } from '../../parse/numbers.ts';
import { LayoutError } from '../errors.ts';
import type { ParseContext, SourceAdapter } from '../types.ts';
import { flattenHeaders, resolveColumns, type HeaderColumn } from './columns.ts';
import {
  cellsByPosition,
  extract,
  hasTd,
  spanOf,
  squash,
  type Cell,
  type Extracted,
  type Row,
} from './extract.ts';
import type { ColumnSpec, GenericMapping, PageValueSpec } from './mapping.ts';
import { pageDate, pageSymbol, readPageValue } from './page.ts';
import { baseSlots, bindColumn, blankQuote, cellValue, rowToQuote, type BoundColumn } from './rows.ts';
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

function isDataRow(row: Row, mapping: GenericMapping, skip: RegExp | undefined, width: number): boolean {
  if (row.inFoot || !hasTd(row, mapping.rows?.cellClass)) return false;
  // One cell spanning the table is a caption or a download link, not a quote.
  if (row.cells.length === 1 && width > 1 && spanOf(row.cells[0]!, 'colspan') > 1) return false;
  return !(skip && skip.test(squash(row.cells.map((c) => c.text).join(' '))));
}

function bindAll(
  source: string,
  specs: Record<string, ColumnSpec>,
  headers: HeaderColumn[],
  numbers: NumberFormat,
): BoundColumn[] {
  const found = resolveColumns(source, specs, headers);
  return [...found].map(([field, index]) => bindColumn(field, index, specs[field]!, numbers));
}

function readExtras(cells: Cell[], extras: BoundColumn[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const col of extras) {
    const cell = cells[col.index];
    out[col.field] = cell ? cellValue(cell, col) : null;
  }
  return out;
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

function extractFor(text: string, preset: TablePreset, specs: [string, PageValueSpec][]): Extracted {
  const cols = [...Object.values(preset.mapping.columns), ...Object.values(preset.extraColumns ?? {})];
  return extract(text, {
    table: selector(preset.mapping.table),
    values: specs.map(([, s]) => (s.selector === undefined ? NEVER : selector(s.selector))),
    cellAttrs: [...new Set(cols.flatMap((c) => (c?.attribute ? [c.attribute] : [])))],
  });
}

/** Parse a decoded HTML page with a table preset. */
export function parseTable(text: string, preset: TablePreset, ctx: ParseContext): ParseResult {
  const m = preset.mapping;
  const specs = pageSpecs(preset);
  const { rows, values } = extractFor(text, preset, specs);
  if (!rows) throw new LayoutError(m.id, ['table'], `no element matches the table selector "${m.table}"`);
  const captured = new Map(specs.map(([k, s], i) => [k, { spec: s, el: values[i] }]));
  const { header, body } = splitRows(rows);
  const headers = flattenHeaders(header);
  const numbers: NumberFormat = { locale: m.numbers?.locale ?? 'en', missing: m.numbers?.missing };
  const columns = bindAll(m.id, m.columns as Record<string, ColumnSpec>, headers, numbers);
  const extras = bindAll(m.id, preset.extraColumns ?? {}, headers, numbers);
  const date = m.date ? pageDate(m.date, captured.get('date')?.el, ctx, m.id) : '';
  const symbol = m.symbol ? pageSymbol(m.symbol, captured.get('symbol')?.el, m.id) : '';
  const base = baseSlots({ ...blankQuote(m.id, date, symbol), currency: m.currency ?? null });
  const page: Record<string, string | undefined> = {};
  for (const [k, spec] of Object.entries(preset.extraPage ?? {}))
    page[k] = readPageValue(spec, captured.get(k)?.el);
  const skip = m.rows?.skip === undefined ? undefined : new RegExp(m.rows.skip);
  const quotes: Quote[] = [];
  const rejected: Rejected[] = [];
  let n = 0;
  for (const row of body) {
    if (!isDataRow(row, m, skip, headers.length)) continue;
    n++;
    const cells = cellsByPosition(row);
    let result = rowToQuote({ cells, columns, base });
    if (typeof result !== 'string' && preset.refine)
      result = preset.refine(result, { row: readExtras(cells, extras), page });
    if (typeof result === 'string') rejected.push({ row: n, reason: result });
    else quotes.push(result);
  }
  return { source: m.id, quotes, rejected };
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
  };
}
