// One data row → one Quote or one rejection reason. Pure over the row's cells; written for the
// hot path (20,000-row pages): column kinds are decided once, quotes are built with a fixed shape.
import { parseDate } from '../../parse/dates.ts';
import { ExchangeError } from '../../../lib/errors.ts';
import { parseNumber, UNITS, type NumberOptions, type NumberFormat } from '../../parse/numbers.ts';
import { QUOTE_FIELDS, type Quote } from '../../../contract/quote.ts';
import { squash, type Cell } from './extract.ts';
import { NUMBER_FIELDS, type ColumnSpec } from './mapping.ts';

/** Status markers GPW appends to names: "PROVIDENT /Z", "ABMSOLID /Z /10", "ACTION&nbsp;/9". */
const STATUS_SUFFIX = /(?:\s+\/[A-Z0-9]{1,3})+$/;

type FieldIndex = number;
const FIELD_INDEX = new Map<string, FieldIndex>(QUOTE_FIELDS.map((f, i) => [f, i]));

export interface BoundColumn {
  field: string;
  index: number;
  spec: ColumnSpec;
  kind: 'number' | 'date' | 'text';
  /** Position in QUOTE_FIELDS, or -1 for a preset's extra column. */
  slot: FieldIndex;
  pattern: RegExp | undefined;
  /** Number options resolved once per parse (locale, missing markers, unit, zero rule). */
  numberOptions: NumberOptions;
}

export function bindColumn(
  field: string,
  index: number,
  spec: ColumnSpec,
  numbers: NumberFormat,
): BoundColumn {
  const kind = (NUMBER_FIELDS as readonly string[]).includes(field)
    ? 'number'
    : field === 'date'
      ? 'date'
      : 'text';
  const pattern = spec.pattern === undefined ? undefined : new RegExp(spec.pattern);
  const numberOptions: NumberOptions = {
    locale: numbers.locale,
    missing: numbers.missing,
    multiplier: UNITS[spec.unit ?? 'one'],
    zeroIsMissing: spec.zeroIsMissing ?? false,
  };
  return { field, index, spec, kind, slot: FIELD_INDEX.get(field) ?? -1, pattern, numberOptions };
}

/** Text value of a cell per its column spec; null when empty or the pattern finds nothing. */
export function cellValue(cell: Cell, col: BoundColumn): string | null {
  let value = col.spec.attribute !== undefined ? (cell.found[col.spec.attribute] ?? '') : cell.text;
  if (col.pattern) value = col.pattern.exec(value)?.[1] ?? '';
  value = squash(value);
  if (col.spec.stripSuffix) value = value.replace(STATUS_SUFFIX, '');
  return value === '' ? null : value;
}

/**
 * A copy of `text` that shares no memory with the page. V8 keeps a substring of 13+ characters as a
 * view into its parent string, so a name sliced from the page would keep the whole decoded chunk
 * (or page) alive for as long as the quote lives: ~12 MiB for a 20,000-row page. Concatenating and
 * slicing makes V8 flatten into a fresh string first; `text.slice()` alone would return the view.
 */
export function detach(text: string): string {
  return (' ' + text).slice(1);
}

type Slots = (string | number | null)[];

function toQuote(v: Slots): Quote {
  // A literal keeps one hidden class for every quote (and the QUOTE_FIELDS key order).
  return {
    source: v[0] as string,
    date: v[1] as string,
    symbol: v[2] as string,
    name: v[3] as string | null,
    isin: v[4] as string | null,
    currency: v[5] as string | null,
    open: v[6] as number | null,
    high: v[7] as number | null,
    low: v[8] as number | null,
    close: v[9] as number | null,
    previousClose: v[10] as number | null,
    change: v[11] as number | null,
    changePercent: v[12] as number | null,
    volume: v[13] as number | null,
    trades: v[14] as number | null,
    turnover: v[15] as number | null,
  };
}

/** A blank quote: every contract field present, unknown ones null (missing is null, never absent). */
export function blankQuote(source: string, date: string, symbol: string): Quote {
  const v: Slots = QUOTE_FIELDS.map(() => null);
  v[0] = source;
  v[1] = date;
  v[2] = symbol;
  return toQuote(v);
}

export type { Slots };

/** The page-level values (source, date, symbol, currency) every row starts from. */
export function baseSlots(base: Quote): Slots {
  return QUOTE_FIELDS.map((f) => base[f] ?? null);
}

export interface RowInput {
  cells: Cell[];
  columns: BoundColumn[];
  base: Slots;
}

/** Fill a quote from the row's cells; a malformed value rejects the whole row with its reason. */
export function rowToQuote(input: RowInput): Quote | string {
  const v = input.base.slice();
  for (const col of input.columns) {
    const cell = input.cells[col.index];
    if (!cell) return `row has ${input.cells.length} cells, ${col.field} expects column ${col.index + 1}`;
    try {
      if (col.kind === 'number') v[col.slot] = parseNumber(cell.text, col.numberOptions);
      else {
        const value = cellValue(cell, col);
        if (col.kind === 'text') v[col.slot] = value === null ? null : detach(value);
        else if (value === null) return 'date: empty cell';
        else v[col.slot] = parseDate(value, col.spec.format ?? 'YYYY-MM-DD');
      }
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      return `${col.field}: ${err.message}`;
    }
  }
  if (typeof v[2] !== 'string' || v[2] === '') return 'symbol: empty cell';
  return toQuote(v);
}
