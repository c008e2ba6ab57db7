// The quotes table: columns that carry data on this page, numbers right-aligned with raw values in
// data-v for the client-side sort. Pure.
import type { Quote } from '../contract/quote.ts';
import type { Formats } from './format.ts';
import { MISSING } from './format.ts';
import { escapeHtml } from './html.ts';
import { absoluteChange, direction, percentChange } from './summary.ts';
import { strengthPercent } from './fx.ts';
import { closesOf, sparkline, symbolId } from './history.ts';
import type { SiteHistory } from './types.ts';

type Kind = 'text' | 'num';

interface Column {
  key: string;
  label: string;
  kind: Kind;
  /** Raw value used for sorting and for deciding whether the column carries data. */
  value(q: Quote): string | number | null;
  /**
   * Cell text (already formatted, not yet escaped) of `raw`, the cell's value(q) worked out once;
   * `places` is the row's fixed decimals, if any.
   */
  display(raw: string | number | null, f: Formats, places?: number): string;
  /** Coloured by the sign of `value`: up green, down red. */
  toned?: boolean;
}

const text = (key: 'symbol' | 'name' | 'isin' | 'currency', label: string): Column => ({
  key,
  label,
  kind: 'text',
  value: (q) => q[key] ?? null,
  display: (raw) => (raw === null ? MISSING : String(raw)),
});

const price = (key: 'open' | 'high' | 'low' | 'close' | 'previousClose', label: string): Column => ({
  key,
  label,
  kind: 'num',
  value: (q) => q[key] ?? null,
  display: (raw, f) => f.price(raw as number | null),
});

const count = (key: 'volume' | 'trades' | 'turnover', label: string): Column => ({
  key,
  label,
  kind: 'num',
  value: (q) => q[key] ?? null,
  display: (raw, f) => f.integer(raw as number | null),
});

/** Every column the table can have, in display order. */
export const COLUMNS: readonly Column[] = [
  text('symbol', 'Symbol'),
  text('name', 'Name'),
  text('isin', 'ISIN'),
  text('currency', 'Currency'),
  price('close', 'Close'),
  {
    key: 'change',
    label: 'Change',
    kind: 'num',
    value: absoluteChange,
    display: (raw, f) => f.change(raw as number | null),
    toned: true,
  },
  {
    key: 'changePercent',
    label: 'Change %',
    kind: 'num',
    value: percentChange,
    display: (raw, f) => f.percent(raw as number | null),
    toned: true,
  },
  price('open', 'Open'),
  price('high', 'High'),
  price('low', 'Low'),
  price('previousClose', 'Prev. close'),
  count('volume', 'Volume'),
  count('trades', 'Trades'),
  count('turnover', 'Turnover'),
];

/**
 * Exchange rates: the rate is units of the currency per 1 of the base (so it is headed that way, not
 * "Close"), each currency at its own fixed decimals; the rate's change is shown but not coloured, and
 * "Against <base>" is the currency's own move — + stronger, green — the sign and colour the summary uses.
 */
export function fxColumns(base: string): Column[] {
  const rate = (key: 'close' | 'previousClose', label: string): Column => ({
    key,
    label,
    kind: 'num',
    value: (q) => q[key] ?? null,
    display: (raw, f, places) => f.fixed(raw as number | null, places),
  });
  return [
    text('symbol', 'Currency'),
    text('name', 'Name'),
    rate('close', `Units per 1 ${base}`),
    {
      key: 'change',
      label: 'Change',
      kind: 'num',
      value: absoluteChange,
      display: (raw, f, places) => f.signedFixed(raw as number | null, places),
    },
    {
      key: 'strength',
      label: `Against ${base}`,
      kind: 'num',
      value: strengthPercent,
      display: (raw, f) => f.percent(raw as number | null),
      toned: true,
    },
    rate('previousClose', 'Previous'),
  ];
}

/** Decimals already worked out: a backfill's pages see the same rates day after day (bounded). */
const DECIMALS = new Map<number, number>();

/** Decimals of a number as written ("7.436" → 3), at most 6. */
function decimalsOf(n: number): number {
  let d = DECIMALS.get(n);
  if (d === undefined) {
    const t = String(n);
    d = t.includes('e') ? 6 : Math.min(6, t.length - t.indexOf('.') - 1);
    if (!t.includes('.')) d = 0;
    if (DECIMALS.size >= 100_000) DECIMALS.clear();
    DECIMALS.set(n, d);
  }
  return d;
}

/**
 * Each symbol's fixed decimals: the most its rates show on the page or in its recent closes (the ECB
 * writes five significant digits and drops trailing zeros: 7.436 beside 7.4885 is 7.4360), at most 6.
 */
export function symbolPlaces(quotes: readonly Quote[], history?: SiteHistory): Map<string, number> {
  const out = new Map<string, number>();
  const see = (symbol: string, v: number | null | undefined): void => {
    if (typeof v === 'number' && Number.isFinite(v))
      out.set(symbol, Math.min(6, Math.max(out.get(symbol) ?? 0, decimalsOf(v))));
  };
  for (const q of quotes) {
    see(q.symbol, q.close);
    see(q.symbol, q.previousClose);
    for (const v of closesOf(history, q.symbol)) see(q.symbol, v);
  }
  return out;
}

/**
 * Columns with at least one value on this page; the symbol column always. A currency column only
 * when currencies differ: a single currency is shown once, in the headers and the caption.
 */
export function visibleColumns(quotes: readonly Quote[], columns: readonly Column[] = COLUMNS): Column[] {
  return columns.filter((c) => {
    if (c.key === 'symbol') return true;
    if (c.key !== 'currency') return quotes.some((q) => c.value(q) !== null);
    let first: string | number | null = null;
    for (const q of quotes) {
      const v = c.value(q);
      if (v === null) continue;
      if (first !== null && v !== first) return true;
      first = v;
    }
    return false;
  });
}

function headerCell(c: Column, currency: string | undefined, fx: boolean): string {
  const unit =
    !fx && currency && (c.key === 'close' || c.key === 'turnover')
      ? ` <span class="unit">${escapeHtml(currency)}</span>`
      : '';
  return `<th scope="col" class="${c.kind}" data-sort="${c.kind}">${escapeHtml(c.label)}${unit}</th>`;
}

/** The table's options: per-row history (sparklines, links to the charts) and exchange-rate columns. */
export interface TableOptions {
  history?: SiteHistory;
  symbolsPage?: string;
  /** Exchange rates against `base`: a falling rate is a gain of the currency. */
  fx?: { base: string };
}

function tone(c: Column, q: Quote, raw: string | number | null): string {
  if (!c.toned) return '';
  const dir = c.key === 'strength' ? (typeof raw === 'number' ? Math.sign(raw) : null) : direction(q);
  return dir === 1 ? ' up' : dir === -1 ? ' down' : '';
}

function bodyCell(c: Column, q: Quote, f: Formats, o: TableOptions, places?: number): string {
  const raw = c.value(q);
  const shown = c.display(raw, f, places);
  const missing = raw === null ? ' missing' : '';
  if (c.key === 'symbol') {
    if (!o.symbolsPage || !o.history) return `<th scope="row" class="text">${escapeHtml(shown)}</th>`;
    const href = `/${o.symbolsPage}#${symbolId(q.symbol)}`;
    return `<th scope="row" class="text"><a href="${escapeHtml(href)}" title="Chart of ${escapeHtml(q.symbol)}">${escapeHtml(shown)}</a></th>`;
  }
  if (c.kind === 'text') return `<td class="text c-${c.key}${missing}">${escapeHtml(shown)}</td>`;
  const v = typeof raw === 'number' ? String(raw) : '';
  return `<td class="num${tone(c, q, raw)}${missing}" data-v="${v}">${escapeHtml(shown)}</td>`;
}

function searchKey(q: Quote): string {
  return [q.symbol, q.name, q.isin].filter(Boolean).join(' ').toLowerCase();
}

export function renderTable(
  quotes: readonly Quote[],
  f: Formats,
  caption: string,
  o: TableOptions = {},
): string {
  const columns = visibleColumns(quotes, o.fx ? fxColumns(o.fx.base) : COLUMNS);
  const days = o.history?.dates.length ?? 0;
  // A sparkline needs two days; before that the column would only take width.
  const spark = days >= 2 ? o.history : undefined;
  const places = o.fx ? symbolPlaces(quotes, o.history) : undefined;
  const sparkHead = spark ? `<th scope="col" class="spark-cell">Last ${days} days</th>` : '';
  const head = columns.map((c) => headerCell(c, f.currency, o.fx !== undefined)).join('') + sparkHead;
  const rows = quotes
    .map((q) => {
      const cells = columns.map((c) => bodyCell(c, q, f, o, places?.get(q.symbol))).join('');
      const sparkCell = spark
        ? `<td class="spark-cell">${sparkline(q.symbol, closesOf(spark, q.symbol), o.fx !== undefined)}</td>`
        : '';
      return `<tr data-search="${escapeHtml(searchKey(q))}">${cells}${sparkCell}</tr>`;
    })
    .join('\n');
  // The caption names the table for screen readers; the same text is shown above the scrolling box.
  return (
    `<table class="quotes" id="quotes">\n<caption id="quotes-caption" class="visually-hidden">${escapeHtml(caption)}</caption>\n` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`
  );
}
