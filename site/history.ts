// History on the page, drawn at publish time as inline SVG (no script, no external assets): a
// sparkline per row, a close chart per symbol, links to other days. Pure string builders.
import { CHART_COLORS } from './charts.ts';
import { escapeHtml } from './html.ts';
import type { SiteHistory, SiteNav } from './types.ts';

/** A stable fragment id for a symbol (symbols may hold spaces, dots, ampersands). */
export function symbolId(symbol: string): string {
  return `s-${symbol.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)?.toString(16) ?? ''}`)}`;
}

function points(values: readonly (number | null)[], w: number, h: number, pad: number): string[][] {
  const nums = values.filter((v): v is number => v !== null);
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  const span = max - min || 1;
  const step = values.length > 1 ? (w - 2 * pad) / (values.length - 1) : 0;
  // A gap (no close that day) breaks the line into runs.
  const runs: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null) {
      if (runs.at(-1)?.length) runs.push([]);
      return;
    }
    const x = pad + i * step;
    const y = max === min ? h / 2 : pad + (1 - (v - min) / span) * (h - 2 * pad);
    runs.at(-1)?.push(`${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`);
  });
  return runs.filter((r) => r.length > 0);
}

/**
 * Last closes of one symbol as a tiny line; empty when fewer than two closes are known. Green when
 * the last close is at or above the first; `inverse` for exchange rates, where a falling rate is a
 * strengthening currency.
 */
export function sparkline(symbol: string, values: readonly (number | null)[], inverse = false): string {
  const known = values.filter((v) => v !== null).length;
  if (known < 2) return '';
  const first = values.find((v) => v !== null);
  const last = [...values].reverse().find((v) => v !== null);
  const rose = (last ?? 0) >= (first ?? 0);
  const tone = rose !== inverse ? CHART_COLORS.up : CHART_COLORS.down;
  // Days without a close are bridged: at this size a gap would read as a missing symbol.
  const line = `<polyline points="${points(values, 64, 20, 2).flat().join(' ')}"/>`;
  return (
    `<svg class="spark" viewBox="0 0 64 20" width="64" height="20" role="img" ` +
    `aria-label="${escapeHtml(`${symbol}: ${known} closes, ${first} to ${last}`)}" xmlns="http://www.w3.org/2000/svg">` +
    `<g fill="none" stroke="${tone}" stroke-width="1.5">${line}</g></svg>`
  );
}

/** The close series of one symbol with its range and first/last dates labelled. */
export function closeChart(
  symbol: string,
  dates: readonly string[],
  values: readonly (number | null)[],
  fmt: (n: number) => string,
): string {
  const W = 640;
  const H = 220;
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '<p class="status">No closes published for this symbol.</p>';
  const lines = points(values, W - 90, H - 40, 8)
    .map((run) => `<polyline points="${run.map((p) => shift(p, 0, 10)).join(' ')}"/>`)
    .join('');
  const dots =
    known.length === 1
      ? `<circle cx="${(W - 90) / 2}" cy="${H / 2}" r="3" fill="${CHART_COLORS.text}"/>`
      : '';
  const min = Math.min(...known);
  const max = Math.max(...known);
  const id = `${symbolId(symbol)}-chart`;
  const desc = `${known.length} closes from ${dates[0]} to ${dates.at(-1)}: low ${fmt(min)}, high ${fmt(max)}, last ${fmt(known.at(-1) ?? 0)}`;
  return (
    `<svg class="chart chart-close" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-t">${escapeHtml(symbol)} close</title><desc id="${id}-d">${escapeHtml(desc)}</desc>` +
    `<g fill="none" stroke="${CHART_COLORS.text}" stroke-width="2">${lines}</g>${dots}` +
    `<text x="${W - 84}" y="22" fill="${CHART_COLORS.muted}">${escapeHtml(fmt(max))}</text>` +
    `<text x="${W - 84}" y="${H - 34}" fill="${CHART_COLORS.muted}">${escapeHtml(fmt(min))}</text>` +
    `<text x="8" y="${H - 6}" fill="${CHART_COLORS.muted}">${escapeHtml(dates[0] ?? '')}</text>` +
    `<text x="${W - 90}" y="${H - 6}" text-anchor="end" fill="${CHART_COLORS.muted}">${escapeHtml(dates.at(-1) ?? '')}</text></svg>`
  );
}

function shift(point: string, dx: number, dy: number): string {
  const [x, y] = point.split(',').map(Number);
  return `${Math.round(((x ?? 0) + dx) * 10) / 10},${Math.round(((y ?? 0) + dy) * 10) / 10}`;
}

/** Most days listed on one page; older ones are in the dates index. */
export const MAX_NAV_DAYS = 60;

/** Previous/next day links and a list of earlier days (a <details>, so no script is needed). */
export function dayNav(nav: SiteNav, date: string): string {
  const a = (href: string, text: string, rel: string): string =>
    `<a class="button" rel="${rel}" href="/${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const prev = nav.previous ? a(nav.previous.page, `← ${nav.previous.date}`, 'prev') : '';
  const next = nav.next ? a(nav.next.page, `${nav.next.date} →`, 'next') : '';
  const items = nav.days
    .slice(0, MAX_NAV_DAYS)
    .map((d) =>
      d.date === date
        ? `<li><strong aria-current="page">${escapeHtml(d.date)}</strong></li>`
        : `<li><a href="/${escapeHtml(d.page)}">${escapeHtml(d.date)}</a></li>`,
    )
    .join('');
  return `<nav class="days card" aria-label="Trading days">
<div class="day-links">${prev}<a class="button" href="/">Latest</a>${next}</div>
<details><summary>Published days (${nav.days.length})</summary><ol class="day-list">${items}</ol>
<p><a href="/${escapeHtml(nav.datesIndex)}">All published dates (JSON)</a></p></details>
</nav>`;
}

/** The closes of one symbol in the history, or an empty list. */
export function closesOf(history: SiteHistory | undefined, symbol: string): (number | null)[] {
  return history?.closes[symbol] ?? [];
}
