// History on the page, drawn at publish time as inline SVG (no script, no external assets): a
// sparkline per row, and the links to other days (the month's days, the years' calendars). Pure.
import { CHART_COLORS } from './charts.ts';
import { escapeHtml } from './html.ts';
import type { SiteHistory, SiteNav } from './types.ts';

/** A stable fragment id for a symbol (symbols may hold spaces, dots, ampersands). */
export function symbolId(symbol: string): string {
  return `s-${symbol.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)?.toString(16) ?? ''}`)}`;
}

/**
 * The line is drawn in tenths of the 64 × 20 box (viewBox 0 0 640 200), so every coordinate is a whole
 * number: a page draws a line per row, and whole numbers print fastest. The x of each day depends only
 * on the number of days: worked out once per length.
 */
const XS = new Map<number, string[]>();

function xsFor(days: number, w: number, pad: number): string[] {
  let xs = XS.get(days);
  if (!xs) {
    const step = days > 1 ? (w - 2 * pad) / (days - 1) : 0;
    xs = Array.from({ length: days }, (_, i) => String(Math.round((pad + i * step) * 10)));
    XS.set(days, xs);
  }
  return xs;
}

/**
 * Last closes of one symbol as a tiny line; empty when fewer than two closes are known. Green when
 * the last close is at or above the first; `inverse` for exchange rates, where a falling rate is a
 * strengthening currency. Days without a close are bridged: at this size a gap would read as a
 * missing symbol. One pass over the values (a page draws a line per row).
 */
export function sparkline(symbol: string, values: readonly (number | null)[], inverse = false): string {
  let known = 0;
  let first: number | undefined;
  let last: number | undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null) continue;
    known++;
    first ??= v;
    last = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (known < 2 || first === undefined || last === undefined) return '';
  const tone = last >= first !== inverse ? CHART_COLORS.up : CHART_COLORS.down;
  const [w, h, pad] = [64, 20, 2];
  const xs = xsFor(values.length, w, pad);
  const scale = max === min ? 0 : ((h - 2 * pad) * 10) / (max - min);
  let points = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const y = scale === 0 ? h * 5 : Math.round((h - pad) * 10 - (v - min) * scale);
    points += points ? ` ${xs[i]},${y}` : `${xs[i]},${y}`;
  }
  return (
    `<svg class="spark" viewBox="0 0 640 200" width="64" height="20" role="img" ` +
    `aria-label="${escapeHtml(`${symbol}: ${known} closes, ${first} to ${last}`)}" xmlns="http://www.w3.org/2000/svg">` +
    `<g fill="none" stroke="${tone}" stroke-width="15"><polyline points="${points}"/></g></svg>`
  );
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "2021-07" → "July 2021". */
export function monthName(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? month : MONTH.format(d);
}

/**
 * Previous/next day, the latest day, the days of the page's month and the years (each a calendar
 * page): never a list of every day, so the page stays small however many years are published.
 */
export function dayNav(nav: SiteNav, date: string, latestHref: string): string {
  const a = (href: string, text: string, rel: string): string =>
    `<a class="button" rel="${rel}" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const prev = nav.previous ? a(`/${nav.previous.page}`, `← ${nav.previous.date}`, 'prev') : '';
  const next = nav.next ? a(`/${nav.next.page}`, `${nav.next.date} →`, 'next') : '';
  const day = (d: { date: string; page: string }): string =>
    d.date === date
      ? `<li><strong aria-current="page">${escapeHtml(d.date.slice(8))}</strong></li>`
      : `<li><a href="/${escapeHtml(d.page)}" title="${escapeHtml(d.date)}">${escapeHtml(d.date.slice(8))}</a></li>`;
  const year = date.slice(0, 4);
  const years = nav.years
    .map((y) =>
      y.year === year
        ? `<li><a href="/${escapeHtml(y.page)}" aria-current="true"><strong>${escapeHtml(y.year)}</strong></a></li>`
        : `<li><a href="/${escapeHtml(y.page)}">${escapeHtml(y.year)}</a></li>`,
    )
    .join('');
  return `<nav class="days card" aria-label="Trading days">
<div class="day-links">${prev}${a(latestHref, 'Latest', 'home')}${next}</div>
<div class="day-month"><h2 class="nav-h">${escapeHtml(monthName(date.slice(0, 7)))}</h2><ol class="day-list">${nav.month.map(day).join('')}</ol></div>
<div class="day-years"><h2 class="nav-h">Years</h2><ol class="year-list">${years}</ol>
<p class="nav-foot"><a href="/${escapeHtml(nav.datesIndex)}">Every published date (JSON)</a></p></div>
</nav>`;
}

/** The closes of one symbol in the history, or an empty list. */
export function closesOf(history: SiteHistory | undefined, symbol: string): (number | null)[] {
  return history?.closes[symbol] ?? [];
}
