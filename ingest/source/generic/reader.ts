// Rows of the target table, as they stream out of the extractor, → quotes and rejections. Each data
// row is normalized the moment it ends and then dropped, so memory holds the quotes, not the cells.
// Rows can only be normalized once the header is known and the page values they inherit (the date,
// a series symbol) are complete; on the rare page that puts those after the table, data rows wait
// and are read at the end, giving the same result.
import type { Quote, ParseResult, Rejected } from '../../../contract/quote.ts';
import type { NumberFormat } from '../../parse/numbers.ts';
import { LayoutError } from '../errors.ts';
import type { ParseContext } from '../types.ts';
import { flattenHeaders, resolveColumns, type HeaderColumn } from './columns.ts';
import { cellsByPosition, hasTd, spanOf, squash, type Cell, type Row, type ScanState } from './extract.ts';
import type { ColumnSpec, GenericMapping, PageValueSpec } from './mapping.ts';
import { pageDate, pageSymbol, readPageValue } from './page.ts';
import {
  baseSlots,
  bindColumn,
  blankQuote,
  cellValue,
  rowToQuote,
  type BoundColumn,
  type Slots,
} from './rows.ts';
import type { TablePreset } from './adapter.ts';

/** Everything a data row needs, resolved once from the header rows and the page values. */
interface Setup {
  columns: BoundColumn[];
  extras: BoundColumn[];
  base: Slots;
  page: Record<string, string | undefined>;
  skip: RegExp | undefined;
  width: number;
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

/** True when the value is read from the page rather than fixed or taken from the context. */
function readsPage(key: string, spec: PageValueSpec, ctx: ParseContext): boolean {
  if (spec.selector === undefined || spec.fixed !== undefined) return false;
  const fromContext =
    key === 'date' && ctx.date !== undefined && (spec.context === true || spec.preferContext === true);
  return !fromContext;
}

export class TableReader {
  private readonly header: Row[] = [];
  private readonly waiting: Row[] = [];
  private inBody = false;
  private setup: Setup | undefined;
  private n = 0;
  private readonly quotes: Quote[] = [];
  private readonly rejected: Rejected[] = [];
  /** Why the first refused candidate table did not match (thrown when no later one does). */
  private refused: LayoutError | undefined;
  private table = 0;

  /** `specs`: page-level values in the order the extractor captures them (see pageSpecs). */
  constructor(
    private readonly preset: TablePreset,
    private readonly ctx: ParseContext,
    private readonly specs: [string, PageValueSpec][],
  ) {}

  /** The extractor's row callback: header rows are kept, data rows read now or when the page values are complete. */
  readonly onRow = (row: Row, scan: ScanState): void => {
    if (scan.tables !== this.table) {
      // A new candidate table: header rows of a refused one must not leak into it.
      this.table = scan.tables;
      this.header.length = 0;
    }
    // Header rows are the leading rows without td; later td-less rows (repeated headers) are decoration.
    if (!this.inBody && !hasTd(row)) {
      this.header.push(row);
      return;
    }
    if (!this.inBody && this.setup === undefined && !this.headersMatch()) {
      // Same selector, other headers (a summary table before the quotes): try the next candidate.
      this.header.length = 0;
      scan.nextTable();
      return;
    }
    this.inBody = true;
    if (this.setup === undefined && this.valuesComplete(scan)) this.start(scan);
    if (this.setup === undefined) this.waiting.push(row);
    else this.read(row, this.setup);
  };

  /** The result once the whole page has streamed past. */
  finish(scan: ScanState): ParseResult {
    const m = this.preset.mapping;
    if (!scan.tableFound)
      throw new LayoutError(m.id, ['table'], `no element matches the table selector "${m.table}"`);
    if (this.setup === undefined && this.refused && !this.headersMatch()) throw this.refused;
    if (this.setup === undefined) this.start(scan);
    return { source: m.id, quotes: this.quotes, rejected: this.rejected };
  }

  /** True when the header rows so far carry every required column; else remembers why not. */
  private headersMatch(): boolean {
    const m = this.preset.mapping;
    try {
      resolveColumns(m.id, m.columns as Record<string, ColumnSpec>, flattenHeaders(this.header));
      return true;
    } catch (error) {
      if (!(error instanceof LayoutError)) throw error;
      this.refused ??= error;
      return false;
    }
  }

  private valuesComplete(scan: ScanState): boolean {
    return this.specs.every(([key, spec], i) => !readsPage(key, spec, this.ctx) || scan.settled(i));
  }

  /** Resolve columns and page values (LayoutError when they are missing), then read any waiting rows. */
  private start(scan: ScanState): void {
    const m = this.preset.mapping;
    const captured = new Map(this.specs.map(([k, s], i) => [k, { spec: s, el: scan.values[i] }]));
    const headers = flattenHeaders(this.header);
    const numbers: NumberFormat = { locale: m.numbers?.locale ?? 'en', missing: m.numbers?.missing };
    const columns = bindAll(m.id, m.columns as Record<string, ColumnSpec>, headers, numbers);
    const extras = bindAll(m.id, this.preset.extraColumns ?? {}, headers, numbers);
    const date = m.date ? pageDate(m.date, captured.get('date')?.el, this.ctx, m.id) : '';
    const symbol = m.symbol ? pageSymbol(m.symbol, captured.get('symbol')?.el, m.id) : '';
    const base = baseSlots({ ...blankQuote(m.id, date, symbol), currency: m.currency ?? null });
    const page: Record<string, string | undefined> = {};
    for (const [k, spec] of Object.entries(this.preset.extraPage ?? {}))
      page[k] = readPageValue(spec, captured.get(k)?.el);
    const skip = m.rows?.skip === undefined ? undefined : new RegExp(m.rows.skip);
    const setup: Setup = { columns, extras, base, page, skip, width: headers.length };
    this.setup = setup;
    for (const row of this.waiting.splice(0)) this.read(row, setup);
  }

  private read(row: Row, setup: Setup): void {
    if (!isDataRow(row, this.preset.mapping, setup.skip, setup.width)) return;
    this.n++;
    const cells = cellsByPosition(row);
    let result = rowToQuote({ cells, columns: setup.columns, base: setup.base });
    if (typeof result !== 'string' && this.preset.refine)
      result = this.preset.refine(result, { row: readExtras(cells, setup.extras), page: setup.page });
    if (typeof result === 'string') this.rejected.push({ row: this.n, reason: result });
    else this.quotes.push(result);
  }
}
