// Market summary of one trading day: breadth, turnover and the top movers. Pure.
import type { Quote } from '../contract/quote.ts';

export interface Mover {
  quote: Quote;
  /** Change in percent, as shown and ranked. */
  percent: number;
}

export interface Summary {
  instruments: number;
  advancers: number;
  decliners: number;
  unchanged: number;
  /** Quotes whose change cannot be told (no change, no previous close, no percent). */
  unknown: number;
  /** Sum of known turnovers, or null when no quote has one. */
  turnover: number | null;
  /** Up to `top` best percent changes, best first (only positive ones). */
  gainers: Mover[];
  /** Up to `top` worst percent changes, worst first (only negative ones). */
  losers: Mover[];
}

function num(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The absolute change of a quote: `change`, else close − previousClose, else null. The percent
 * alone tells the direction but not the size, so it is used only by `direction`.
 */
export function absoluteChange(q: Quote): number | null {
  const change = num(q.change);
  if (change !== null) return change;
  const close = num(q.close);
  const prev = num(q.previousClose);
  return close !== null && prev !== null ? close - prev : null;
}

/** The percent change: `changePercent`, else change ÷ previous close (previous close = close − change when missing). */
export function percentChange(q: Quote): number | null {
  const pct = num(q.changePercent);
  if (pct !== null) return pct;
  const change = absoluteChange(q);
  if (change === null) return null;
  const close = num(q.close);
  const prev = num(q.previousClose) ?? (close !== null ? close - change : null);
  return prev !== null && prev !== 0 ? (change / prev) * 100 : null;
}

/** +1 up, −1 down, 0 unchanged, null unknown. Rounding noise below 1e-9 counts as unchanged. */
export function direction(q: Quote): 1 | -1 | 0 | null {
  const value = absoluteChange(q) ?? num(q.changePercent);
  if (value === null) return null;
  if (Math.abs(value) < 1e-9) return 0;
  return value > 0 ? 1 : -1;
}

export function summarize(quotes: readonly Quote[], top = 5): Summary {
  let advancers = 0;
  let decliners = 0;
  let unchanged = 0;
  let unknown = 0;
  let turnover: number | null = null;
  const movers: Mover[] = [];
  for (const q of quotes) {
    const dir = direction(q);
    if (dir === 1) advancers++;
    else if (dir === -1) decliners++;
    else if (dir === 0) unchanged++;
    else unknown++;
    const t = num(q.turnover);
    if (t !== null) turnover = (turnover ?? 0) + t;
    const percent = percentChange(q);
    if (percent !== null && dir !== 0 && dir !== null) movers.push({ quote: q, percent });
  }
  // Ties broken by symbol so the same data always renders the same page.
  const bySymbol = (a: Mover, b: Mover): number => a.quote.symbol.localeCompare(b.quote.symbol);
  const gainers = movers
    .filter((m) => m.percent > 0)
    .sort((a, b) => b.percent - a.percent || bySymbol(a, b))
    .slice(0, top);
  const losers = movers
    .filter((m) => m.percent < 0)
    .sort((a, b) => a.percent - b.percent || bySymbol(a, b))
    .slice(0, top);
  return { instruments: quotes.length, advancers, decliners, unchanged, unknown, turnover, gainers, losers };
}
