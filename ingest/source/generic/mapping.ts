// The generic table mapping: a JSON description of one HTML quote table, and its validation.
// A new exchange page needs only a mapping file; built-in HTML layouts are presets of it.
import { DATE_FORMATS, type DateFormat } from '../../parse/dates.ts';
import { NUMBER_LOCALES, UNITS, type NumberLocale, type Unit } from '../../parse/numbers.ts';
import { QUOTE_NUMBER_FIELDS, QUOTE_TEXT_FIELDS } from '../../../contract/quote.ts';
import { MappingError } from '../errors.ts';
import { parseSelector, SELECTOR_FORMS } from './select.ts';
import { checkEnum, checkKeys, checkRegex, optBool, optNumber, optString, isObject } from './check.ts';

export const TEXT_FIELDS = QUOTE_TEXT_FIELDS;
export const NUMBER_FIELDS = QUOTE_NUMBER_FIELDS;
export const COLUMN_FIELDS = [...TEXT_FIELDS, ...NUMBER_FIELDS, 'date'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type NumberField = (typeof NUMBER_FIELDS)[number];
export type ColumnField = (typeof COLUMN_FIELDS)[number];

/** Where one field's cell is. Exactly one of header, headerRegex or index. */
export interface ColumnSpec {
  /** Header text (case-insensitive, whitespace collapsed), matched against the leaf header or the full "Group / Leaf" path. */
  header?: string | string[];
  /** Regex (case-insensitive) tested against the full header path. */
  headerRegex?: string;
  /** 0-based cell position; use only for tables without headers. */
  index?: number;
  /** A missing required column is a LayoutError. @default true */
  required?: boolean;
  /** Unit of a numeric column; the value is converted to whole units. @default "one" */
  unit?: Unit;
  /** A parsed 0 means "no value" (placeholder prices on untraded rows). @default false */
  zeroIsMissing?: boolean;
  /** Drop status suffixes such as " /Z /10" from text. @default false */
  stripSuffix?: boolean;
  /** Read this attribute of the cell's first link (or the cell) instead of its text. */
  attribute?: string;
  /** Regex applied to the text/attribute; capture group 1 is the value. */
  pattern?: string;
  /** Format of a date column. */
  format?: Exclude<DateFormat, 'unix'>;
}

/** A value read once per page (trading date, series symbol). */
export interface PageValueSpec {
  fixed?: string;
  /** Date only: the page carries none, the caller must pass one (--date). */
  context?: boolean;
  selector?: string;
  attribute?: string;
  pattern?: string;
  /** Date only. @default "YYYY-MM-DD" */
  format?: DateFormat;
  /** Date with format "unix": the exchange's time zone. @default "UTC" */
  timeZone?: string;
  /** Date: a weekend date is rolled back to Friday. @default false */
  weekendRollback?: boolean;
  /** Date: a caller-given date wins over the page's (the page's is an inference). @default false */
  preferContext?: boolean;
}

export interface GenericMapping {
  id: string;
  title?: string;
  homepage?: string;
  defaultUrl?: string;
  /** BCP 47 locale for display. @default "en" */
  locale?: string;
  /** @default 1 */
  minQuotes?: number;
  /** All texts must occur in the page for detection. */
  detect?: { contains?: string[]; pattern?: string };
  /** CSS selector of the quote table (first match). */
  table: string;
  rows?: {
    /** A row is data only when it has a td with this class. */
    cellClass?: string;
    /** A row whose text matches this regex is decoration. */
    skip?: string;
  };
  numbers?: { locale: NumberLocale; missing?: string[] };
  currency?: string;
  date?: PageValueSpec;
  symbol?: PageValueSpec;
  columns: Partial<Record<ColumnField, ColumnSpec>>;
}

const TOP_KEYS = [
  'id',
  'title',
  'homepage',
  'defaultUrl',
  'locale',
  'minQuotes',
  'detect',
  'table',
  'rows',
  'numbers',
  'currency',
  'date',
  'symbol',
  'columns',
  '$comment',
] as const;
const COLUMN_KEYS = [
  'header',
  'headerRegex',
  'index',
  'required',
  'unit',
  'zeroIsMissing',
  'stripSuffix',
  'attribute',
  'pattern',
  'format',
] as const;
const PAGE_KEYS = [
  'fixed',
  'context',
  'selector',
  'attribute',
  'pattern',
  'format',
  'timeZone',
  'weekendRollback',
  'preferContext',
] as const;

function checkColumn(path: string, v: unknown): ColumnSpec {
  if (!isObject(v)) throw new MappingError(path, 'must be an object', COLUMN_KEYS.join(', '));
  checkKeys(path, v, COLUMN_KEYS);
  const ways = ['header', 'headerRegex', 'index'].filter((k) => v[k] !== undefined);
  if (ways.length !== 1) throw new MappingError(path, 'needs exactly one of header, headerRegex, index');
  const h = v.header;
  if (
    h !== undefined &&
    !(typeof h === 'string' || (Array.isArray(h) && h.every((x) => typeof x === 'string')))
  ) {
    throw new MappingError(`${path}.header`, 'must be a string or an array of strings');
  }
  optString(`${path}.headerRegex`, v.headerRegex);
  checkRegex(`${path}.headerRegex`, v.headerRegex);
  checkRegex(`${path}.pattern`, v.pattern);
  optNumber(`${path}.index`, v.index, { integer: true, min: 0 });
  optBool(`${path}.required`, v.required);
  optBool(`${path}.zeroIsMissing`, v.zeroIsMissing);
  optBool(`${path}.stripSuffix`, v.stripSuffix);
  optString(`${path}.attribute`, v.attribute);
  checkEnum(`${path}.unit`, v.unit, Object.keys(UNITS));
  checkEnum(
    `${path}.format`,
    v.format,
    DATE_FORMATS.filter((f) => f !== 'unix'),
  );
  return v as ColumnSpec;
}

function checkSelector(path: string, v: unknown): void {
  if (v !== undefined && (typeof v !== 'string' || !parseSelector(v))) {
    throw new MappingError(path, `"${String(v)}" is not a supported selector`, SELECTOR_FORMS);
  }
}

function checkPageValue(path: string, v: unknown, isDate: boolean): PageValueSpec {
  if (!isObject(v)) throw new MappingError(path, 'must be an object', PAGE_KEYS.join(', '));
  checkKeys(path, v, PAGE_KEYS);
  if (v.fixed === undefined && v.selector === undefined && v.context !== true) {
    throw new MappingError(path, 'needs one of fixed, selector or context: true');
  }
  for (const k of ['fixed', 'selector', 'attribute', 'timeZone'] as const) optString(`${path}.${k}`, v[k]);
  for (const k of ['context', 'weekendRollback', 'preferContext'] as const) optBool(`${path}.${k}`, v[k]);
  checkRegex(`${path}.pattern`, v.pattern);
  checkSelector(`${path}.selector`, v.selector);
  if (isDate) checkEnum(`${path}.format`, v.format, DATE_FORMATS);
  else if (v.format !== undefined || v.context !== undefined) {
    throw new MappingError(path, 'format/context apply to date only');
  }
  return v as PageValueSpec;
}

function checkColumns(v: unknown): GenericMapping['columns'] {
  if (!isObject(v)) throw new MappingError('columns', 'must be an object', COLUMN_FIELDS.join(', '));
  checkKeys('columns', v, COLUMN_FIELDS);
  for (const [k, spec] of Object.entries(v)) checkColumn(`columns.${k}`, spec);
  return v as GenericMapping['columns'];
}

function checkSections(m: Record<string, unknown>): void {
  if (m.detect !== undefined) {
    if (!isObject(m.detect)) throw new MappingError('detect', 'must be an object', 'contains, pattern');
    checkKeys('detect', m.detect, ['contains', 'pattern']);
    const c = m.detect.contains;
    if (c !== undefined && !(Array.isArray(c) && c.every((x) => typeof x === 'string' && x !== ''))) {
      throw new MappingError('detect.contains', 'must be an array of non-empty strings');
    }
    checkRegex('detect.pattern', m.detect.pattern);
  }
  if (m.rows !== undefined) {
    if (!isObject(m.rows)) throw new MappingError('rows', 'must be an object', 'cellClass, skip');
    checkKeys('rows', m.rows, ['cellClass', 'skip']);
    optString('rows.cellClass', m.rows.cellClass);
    checkRegex('rows.skip', m.rows.skip);
  }
  if (m.numbers !== undefined) {
    if (!isObject(m.numbers)) throw new MappingError('numbers', 'must be an object', 'locale, missing');
    checkKeys('numbers', m.numbers, ['locale', 'missing']);
    checkEnum('numbers.locale', m.numbers.locale ?? '', NUMBER_LOCALES);
    const miss = m.numbers.missing;
    if (miss !== undefined && !(Array.isArray(miss) && miss.every((x) => typeof x === 'string'))) {
      throw new MappingError('numbers.missing', 'must be an array of strings');
    }
  }
}

/** Validate a parsed JSON mapping; throws MappingError naming the bad key and what is allowed. */
export function validateMapping(input: unknown): GenericMapping {
  if (!isObject(input)) throw new MappingError('(root)', 'must be a JSON object', TOP_KEYS.join(', '));
  checkKeys('(root)', input, TOP_KEYS);
  for (const k of ['id', 'table'] as const) {
    if (typeof input[k] !== 'string' || input[k] === '')
      throw new MappingError(k, 'is required (non-empty string)');
  }
  checkSelector('table', input.table);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(input.id as string)) {
    throw new MappingError('id', `"${String(input.id)}" is not a lowercase id`, 'a-z, 0-9 and "-"');
  }
  for (const k of ['title', 'homepage', 'defaultUrl', 'locale', 'currency'] as const) optString(k, input[k]);
  optNumber('minQuotes', input.minQuotes, { integer: true, min: 0 });
  checkSections(input);
  const columns = checkColumns(input.columns);
  if (input.date !== undefined) checkPageValue('date', input.date, true);
  if (input.symbol !== undefined) checkPageValue('symbol', input.symbol, false);
  if (!columns.symbol && input.symbol === undefined)
    throw new MappingError('columns.symbol', 'is required (or a page-level "symbol")');
  if (!columns.date && input.date === undefined)
    throw new MappingError('date', 'is required (or columns.date)');
  return input as unknown as GenericMapping;
}
