// Streaming table extraction over htmlparser2's tokenizer. Building a full DOM (cheerio, even on
// its htmlparser2 path) costs ~2.2× a bare tokenization on the DSE and GPW pages and ~18 KiB per
// row, which misses the parse-speed and memory goals; keeping only the target table's rows and a few
// page values as plain objects costs little over tokenizing.
import { Parser } from 'htmlparser2';
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

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

interface State {
  depth: number;
  tableDepth: number;
  tableDone: boolean;
  inFoot: boolean;
  row: Row | undefined;
  cell: Cell | undefined;
  rawText: number;
  active: { index: number; depth: number }[];
}

function openTag(
  spec: ExtractSpec,
  out: Extracted,
  s: State,
  name: string,
  attribs: Record<string, string>,
): void {
  s.depth++;
  if (name === 'script' || name === 'style') s.rawText++;
  for (let i = 0; i < spec.values.length; i++) {
    if (out.values[i] === undefined && matches(spec.values[i]!, name, attribs)) {
      out.values[i] = { text: '', attribs };
      s.active.push({ index: i, depth: s.depth });
    }
  }
  if (s.tableDepth === 0) {
    if (!s.tableDone && name === 'table' && matches(spec.table, name, attribs)) {
      s.tableDepth = 1;
      out.rows = [];
    }
    return;
  }
  if (name === 'table') s.tableDepth++;
  if (s.cell) {
    for (const a of spec.cellAttrs)
      if (s.cell.found[a] === undefined && attribs[a] !== undefined) s.cell.found[a] = attribs[a];
    if (name === 'br') s.cell.text += ' ';
  }
  if (name === 'br') for (const a of s.active) out.values[a.index]!.text += ' ';
  if (s.tableDepth !== 1) return;
  if (name === 'tfoot') s.inFoot = true;
  else if (name === 'tr') {
    s.row = { cells: [], inFoot: s.inFoot };
    out.rows!.push(s.row);
  } else if ((name === 'td' || name === 'th') && s.row) {
    const kept = { class: attribs.class, colspan: attribs.colspan, rowspan: attribs.rowspan };
    s.cell = { name, text: '', attribs: kept, found: spec.cellAttrs.length > 0 ? {} : NO_ATTRS };
    for (const a of spec.cellAttrs) if (attribs[a] !== undefined) s.cell.found[a] = attribs[a];
    s.row.cells.push(s.cell);
  }
}

function closeTag(out: Extracted, s: State, name: string): void {
  if (name === 'script' || name === 'style') s.rawText = Math.max(0, s.rawText - 1);
  while (s.active.length > 0 && s.active.at(-1)!.depth >= s.depth) s.active.pop();
  s.depth--;
  if (s.tableDepth === 0) return;
  if (name === 'table') {
    s.tableDepth--;
    if (s.tableDepth === 0) {
      s.tableDone = true;
      s.row = undefined;
      s.cell = undefined;
    }
    return;
  }
  if (s.tableDepth !== 1) return;
  if (name === 'td' || name === 'th') s.cell = undefined;
  else if (name === 'tr') s.row = undefined;
  else if (name === 'tfoot') s.inFoot = false;
}

/** One pass over the HTML: the target table's rows and the requested page values. */
export function extract(html: string, spec: ExtractSpec): Extracted {
  const out: Extracted = { rows: undefined, values: spec.values.map(() => undefined) };
  const s: State = {
    depth: 0,
    tableDepth: 0,
    tableDone: false,
    inFoot: false,
    row: undefined,
    cell: undefined,
    rawText: 0,
    active: [],
  };
  const parser = new Parser({
    onopentag: (name, attribs) => openTag(spec, out, s, name, attribs),
    onclosetag: (name) => closeTag(out, s, name),
    ontext: (text) => {
      if (s.rawText > 0) return;
      if (s.cell) s.cell.text += text;
      for (const a of s.active) out.values[a.index]!.text += text;
    },
  });
  parser.end(html);
  return out;
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
