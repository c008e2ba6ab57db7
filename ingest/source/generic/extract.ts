// Streaming table extraction over htmlparser2's tokenizer. Building a full DOM (cheerio, even on
// its htmlparser2 path) costs ~2.2× a bare tokenization on the DSE and GPW pages and ~18 KiB per
// row, which misses the parse-speed and memory goals. Here the page arrives as text chunks and each
// row of the target table is handed to the caller as soon as it ends, so a 20,000-row page never
// holds more than one row of cells (and one chunk of text) at a time.
import { Parser } from 'htmlparser2';
import { MAX_NESTING_DEPTH, NestingTooDeepError } from '../../parse/errors.ts';
import { matches, type SimpleSelector } from './select.ts';

export interface Cell {
  name: 'td' | 'th';
  /** Text of the cell: text nodes concatenated, <br> as a space, comments and scripts skipped. */
  text: string;
  /** Only the attributes layout logic needs, so the parser's attribute objects can be collected. */
  attribs: { class?: string; colspan?: string; rowspan?: string };
  /** First value of each requested attribute on the cell or any element inside it. */
  found: Record<string, string>;
}

export interface Row {
  cells: Cell[];
  /** Inside <tfoot>: totals, never data. */
  inFoot: boolean;
}

export interface Captured {
  text: string;
  attribs: Record<string, string>;
}

export interface ExtractSpec {
  /** Source id, named in errors. */
  source: string;
  table: SimpleSelector;
  /** Elements whose text/attributes are page-level values (date, caption); first match each. */
  values: SimpleSelector[];
  /** Attribute names to look up inside cells (e.g. "href" for an ISIN in a link). */
  cellAttrs: string[];
}

export interface Extracted {
  /** Rows of the first matching table (direct or in thead/tbody/tfoot, never nested tables'); undefined when absent. */
  rows: Row[] | undefined;
  values: (Captured | undefined)[];
}

/** What a streaming scan has seen so far; passed to the row callback and returned at the end. */
export interface ScanState {
  /** True once the target table's start tag has been seen. */
  tableFound: boolean;
  /** Candidate tables started so far (a refused one is followed by the next). */
  tables: number;
  /** Page values captured so far (first match each; a value never changes once captured). */
  values: (Captured | undefined)[];
  /** True when value `i` has been captured and its element has ended, so its text is complete. */
  settled(i: number): boolean;
  /** Drop the rest of the current table and take the next one that matches the selector instead. */
  nextTable(): void;
}

/** Called with each row of the target table as soon as it ends; the row is not kept afterwards. */
export type RowHandler = (row: Row, scan: ScanState) => void;

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

interface State {
  depth: number;
  tableDepth: number;
  tableDone: boolean;
  /** The current table was refused (nextTable): its remaining rows are dropped. */
  skipping: boolean;
  inFoot: boolean;
  row: Row | undefined;
  cell: Cell | undefined;
  rawText: number;
  active: { index: number; depth: number }[];
  scan: ScanState;
  onRow: RowHandler;
}

/** Hand the open row (if any) to the caller and forget it. */
function endRow(s: State): void {
  const row = s.row;
  if (!row) return;
  s.row = undefined;
  s.cell = undefined;
  if (!s.skipping) s.onRow(row, s.scan);
}

function captureValues(spec: ExtractSpec, s: State, name: string, attribs: Record<string, string>): void {
  const values = s.scan.values;
  for (let i = 0; i < spec.values.length; i++) {
    if (values[i] === undefined && matches(spec.values[i]!, name, attribs)) {
      values[i] = { text: '', attribs };
      s.active.push({ index: i, depth: s.depth });
    }
  }
}

function openCell(spec: ExtractSpec, row: Row, name: 'td' | 'th', attribs: Record<string, string>): Cell {
  const kept = { class: attribs.class, colspan: attribs.colspan, rowspan: attribs.rowspan };
  const cell: Cell = { name, text: '', attribs: kept, found: spec.cellAttrs.length > 0 ? {} : NO_ATTRS };
  for (const a of spec.cellAttrs) if (attribs[a] !== undefined) cell.found[a] = attribs[a];
  row.cells.push(cell);
  return cell;
}

function openTag(spec: ExtractSpec, s: State, name: string, attribs: Record<string, string>): void {
  // Bounds htmlparser2's own cost, which grows with the square of the depth (see NestingTooDeepError).
  if (++s.depth > MAX_NESTING_DEPTH) throw new NestingTooDeepError(spec.source, MAX_NESTING_DEPTH);
  if (name === 'script' || name === 'style') s.rawText++;
  captureValues(spec, s, name, attribs);
  if (s.tableDepth === 0) {
    if (!s.tableDone && name === 'table' && matches(spec.table, name, attribs)) {
      s.tableDepth = 1;
      s.scan.tableFound = true;
      s.scan.tables++;
    }
    return;
  }
  if (name === 'table') s.tableDepth++;
  if (s.cell) {
    for (const a of spec.cellAttrs)
      if (s.cell.found[a] === undefined && attribs[a] !== undefined) s.cell.found[a] = attribs[a];
    if (name === 'br') s.cell.text += ' ';
  }
  if (name === 'br') for (const a of s.active) s.scan.values[a.index]!.text += ' ';
  if (s.tableDepth !== 1) return;
  if (name === 'tfoot') s.inFoot = true;
  else if (name === 'tr') {
    endRow(s);
    s.row = { cells: [], inFoot: s.inFoot };
  } else if ((name === 'td' || name === 'th') && s.row) s.cell = openCell(spec, s.row, name, attribs);
}

function closeTag(s: State, name: string): void {
  if (name === 'script' || name === 'style') s.rawText = Math.max(0, s.rawText - 1);
  while (s.active.length > 0 && s.active.at(-1)!.depth >= s.depth) s.active.pop();
  s.depth--;
  if (s.tableDepth === 0) return;
  if (name === 'table') {
    s.tableDepth--;
    if (s.tableDepth === 0) {
      endRow(s);
      s.tableDone = !s.skipping;
      s.skipping = false;
      s.inFoot = false;
    }
    return;
  }
  if (s.tableDepth !== 1) return;
  if (name === 'td' || name === 'th') s.cell = undefined;
  else if (name === 'tr') endRow(s);
  else if (name === 'tfoot') s.inFoot = false;
}

function newState(spec: ExtractSpec, onRow: RowHandler): State {
  const active: State['active'] = [];
  const values: (Captured | undefined)[] = spec.values.map(() => undefined);
  const scan: ScanState = {
    tableFound: false,
    tables: 0,
    values,
    settled: (i) => values[i] !== undefined && !active.some((a) => a.index === i),
    nextTable: () => {
      state.skipping = true;
    },
  };
  const state: State = {
    depth: 0,
    tableDepth: 0,
    tableDone: false,
    skipping: false,
    inFoot: false,
    row: undefined,
    cell: undefined,
    rawText: 0,
    active,
    scan,
    onRow,
  };
  return state;
}

/**
 * One streaming pass over the HTML (given whole or in chunks): each row of the first matching table
 * (direct or in thead/tbody/tfoot, never nested tables') goes to `onRow` as it ends; the requested
 * page values are captured along the way.
 */
export function scanTable(html: string | Iterable<string>, spec: ExtractSpec, onRow: RowHandler): ScanState {
  const s = newState(spec, onRow);
  const parser = new Parser({
    onopentag: (name, attribs) => openTag(spec, s, name, attribs),
    onclosetag: (name) => closeTag(s, name),
    ontext: (text) => {
      if (s.rawText > 0) return;
      if (s.cell) s.cell.text += text;
      for (const a of s.active) s.scan.values[a.index]!.text += text;
    },
  });
  // A string is one chunk: iterating it would feed the parser one character at a time.
  for (const chunk of typeof html === 'string' ? [html] : html) parser.write(chunk);
  parser.end();
  endRow(s);
  return s.scan;
}

/** The whole table at once: every row kept. For small pages and tests; parsing streams instead. */
export function extract(html: string, spec: ExtractSpec): Extracted {
  const rows: Row[] = [];
  const scan = scanTable(html, spec, (row) => rows.push(row));
  return { rows: scan.tableFound ? rows : undefined, values: scan.values };
}

/** Whitespace (including NBSP) collapsed to single spaces and trimmed. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function spanOf(cell: Cell, attr: 'colspan' | 'rowspan'): number {
  const n = Number.parseInt(cell.attribs[attr] ?? '1', 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 1000) : 1;
}

/** Cells by column position: a cell with colspan="n" occupies n positions. */
export function cellsByPosition(row: Row): Cell[] {
  if (!row.cells.some((c) => c.attribs.colspan !== undefined)) return row.cells;
  const out: Cell[] = [];
  for (const cell of row.cells) {
    const span = spanOf(cell, 'colspan');
    for (let i = 0; i < span; i++) out.push(cell);
  }
  return out;
}

export function hasTd(row: Row, cellClass?: string): boolean {
  return row.cells.some(
    (c) =>
      c.name === 'td' &&
      (cellClass === undefined || (c.attribs.class ?? '').split(/\s+/).includes(cellClass)),
  );
}
