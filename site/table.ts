// The quotes table: columns that carry data on this page, numbers right-aligned with raw values in
// data-v for the client-side sort. Pure.
import type { Quote } from '../contract/quote.ts';
import type { Formats } from './format.ts';
import { MISSING } from './format.ts';
import { escapeHtml } from './html.ts';
import { absoluteChange, direction, percentChange } from './summary.ts';
import { closesOf, sparkline, symbolId } from './history.ts';
import type { SiteHistory } from './types.ts';

type Kind = 'text' | 'num';

interface Column {
  key: string;
  label: string;
  kind: Kind;
  /** Raw value used for sorting and for deciding whether the column carries data. */
  value(q: Quote): string | number | null;
  /** Cell text (already formatted, not yet escaped). */
  display(q: Quote, f: Formats): string;
}

const text = (key: 'symbol' | 'name' | 'isin' | 'currency', label: string): Column => ({
  key,
  label,
  kind: 'text',
  value: (q) => q[key] ?? null,
  display: (q) => q[key] ?? MISSING,
});

const price = (key: 'open' | 'high' | 'low' | 'close' | 'previousClose', label: string): Column => ({
  key,
  label,
  kind: 'num',
  value: (q) => q[key] ?? null,
  display: (q, f) => f.price(q[key]),
});

const count = (key: 'volume' | 'trades' | 'turnover', label: string): Column => ({
  key,
  label,
  kind: 'num',
  value: (q) => q[key] ?? null,
  display: (q, f) => f.integer(q[key]),
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
    display: (q, f) => f.change(absoluteChange(q)),
  },
  {
    key: 'changePercent',
    label: 'Change %',
    kind: 'num',
    value: percentChange,
    display: (q, f) => f.percent(percentChange(q)),
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
 * Columns with at least one value on this page; the symbol column always. A currency column only
 * when currencies differ: a single currency is shown once, in the headers and the caption.
 */
export function visibleColumns(quotes: readonly Quote[]): Column[] {
  return COLUMNS.filter((c) => {
    if (c.key === 'symbol') return true;
    const values = new Set(quotes.map((q) => c.value(q)).filter((v) => v !== null));
    return c.key === 'currency' ? values.size > 1 : values.size > 0;
  });
}

function headerCell(c: Column, currency: string | undefined): string {
  const unit =
    currency && (c.key === 'close' || c.key === 'turnover')
      ? ` <span class="unit">${escapeHtml(currency)}</span>`
      : '';
  return `<th scope="col" class="${c.kind}" data-sort="${c.kind}">${escapeHtml(c.label)}${unit}</th>`;
}

/** Per-row history: the sparkline column and a link from the symbol to its chart. */
export interface TableHistory {
  history: SiteHistory;
  symbolsPage: string;
  /** Exchange rates: a falling rate is drawn as a gain of the currency. */
  fx?: boolean;
}

function bodyCell(c: Column, q: Quote, f: Formats, h?: TableHistory): string {
  const raw = c.value(q);
  const shown = c.display(q, f);
  const missing = raw === null ? ' missing' : '';
  if (c.key === 'symbol') {
    if (!h) return `<th scope="row" class="text">${escapeHtml(shown)}</th>`;
    const href = `/${h.symbolsPage}#${symbolId(q.symbol)}`;
    return `<th scope="row" class="text"><a href="${escapeHtml(href)}" title="Close history of ${escapeHtml(q.symbol)}">${escapeHtml(shown)}</a></th>`;
  }
  if (c.kind === 'text') return `<td class="text c-${c.key}${missing}">${escapeHtml(shown)}</td>`;
  const dir = c.key === 'change' || c.key === 'changePercent' ? direction(q) : null;
  const tone = dir === 1 ? ' up' : dir === -1 ? ' down' : '';
  const v = typeof raw === 'number' ? String(raw) : '';
  return `<td class="num${tone}${missing}" data-v="${v}">${escapeHtml(shown)}</td>`;
}

function searchKey(q: Quote): string {
  return [q.symbol, q.name, q.isin].filter(Boolean).join(' ').toLowerCase();
}

function sparkCell(q: Quote, h: TableHistory | undefined): string {
  return h
    ? `<td class="spark-cell">${sparkline(q.symbol, closesOf(h.history, q.symbol), h.fx === true)}</td>`
    : '';
}

export function renderTable(quotes: readonly Quote[], f: Formats, caption: string, h?: TableHistory): string {
  const columns = visibleColumns(quotes);
  const days = h?.history.dates.length ?? 0;
  // A sparkline needs two days; before that the column would only take width.
  if (days < 2) h = undefined;
  const sparkHead = h ? `<th scope="col" class="spark-cell">Last ${days} days</th>` : '';
  const head = columns.map((c) => headerCell(c, f.currency)).join('') + sparkHead;
  const rows = quotes
    .map(
      (q) =>
        `<tr data-search="${escapeHtml(searchKey(q))}">${columns.map((c) => bodyCell(c, q, f, h)).join('')}${sparkCell(q, h)}</tr>`,
    )
    .join('\n');
  return (
    `<table class="quotes" id="quotes">\n<caption id="quotes-caption">${escapeHtml(caption)}</caption>\n` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`
  );
}
