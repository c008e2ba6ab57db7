// Values read once per page: the trading date (a heading, a table id holding a Unix capture time,
// or the caller's --date) and a series symbol (a caption such as "Historical Data for NIFTY 50").
import { parseDate, unixToDate, isIsoDate } from '../../parse/dates.ts';
import { DateFormatError } from '../../parse/errors.ts';
import { LayoutError, MissingDateError } from '../errors.ts';
import type { ParseContext } from '../types.ts';
import { squash, type Captured } from './extract.ts';
import type { PageValueSpec } from './mapping.ts';

/** The value a page-level spec points at, given the element its selector captured. */
export function readPageValue(spec: PageValueSpec, el: Captured | undefined): string | undefined {
  if (spec.fixed !== undefined) return spec.fixed;
  if (!el) return undefined;
  const raw = spec.attribute !== undefined ? el.attribs[spec.attribute] : squash(el.text);
  if (raw === undefined || spec.pattern === undefined) return raw;
  const m = new RegExp(spec.pattern).exec(raw);
  return m ? squash(m[1] ?? m[0]) : undefined;
}

function checkContextDate(date: string): string {
  if (!isIsoDate(date)) throw new DateFormatError(date, 'YYYY-MM-DD');
  return date;
}

/** The page's trading date per its spec; ctx.date fills in (or wins, with preferContext). */
export function pageDate(
  spec: PageValueSpec,
  el: Captured | undefined,
  ctx: ParseContext,
  source: string,
): string {
  if (ctx.date !== undefined && (spec.context === true || spec.preferContext === true)) {
    return checkContextDate(ctx.date);
  }
  if (spec.context === true) throw new MissingDateError(source);
  const raw = readPageValue(spec, el);
  if (raw === undefined) {
    if (ctx.date !== undefined) return checkContextDate(ctx.date);
    const where = spec.selector
      ? `"${spec.selector}"${spec.pattern ? ` matching /${spec.pattern}/` : ''}`
      : 'fixed';
    throw new LayoutError(source, ['date'], `trading date not found (${where})`);
  }
  const format = spec.format ?? 'YYYY-MM-DD';
  if (format === 'unix') return unixToDate(raw, spec.timeZone ?? 'UTC', spec.weekendRollback === true);
  return parseDate(raw, format);
}

/** A series symbol from the page; LayoutError when the caption moved. */
export function pageSymbol(spec: PageValueSpec, el: Captured | undefined, source: string): string {
  const raw = readPageValue(spec, el);
  if (!raw)
    throw new LayoutError(source, ['symbol'], `series symbol not found (${spec.selector ?? 'fixed'})`);
  return raw;
}
