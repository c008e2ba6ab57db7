// Summary for exchange-rate sources: which currencies gained or lost against the base. A rate is
// units of the currency per one unit of the base, so a falling rate is a strengthening currency:
// strength % = (previous rate ÷ rate − 1) × 100. Pure.
import type { Quote } from '../contract/quote.ts';
import type { Mover } from './summary.ts';

export interface FxSummary {
  currencies: number;
  strengthened: number;
  weakened: number;
  unchanged: number;
  /** Rates without a previous rate (no change known). */
  unknown: number;
  /** Strongest against the base first (positive strength only). */
  strongest: Mover[];
  /** Weakest against the base first (negative strength only). */
  weakest: Mover[];
}

/** The currency's move against the base in percent, or null without a previous rate. */
export function strengthPercent(q: Quote): number | null {
  const rate = q.close;
  const prev =
    q.previousClose ?? (typeof rate === 'number' && typeof q.change === 'number' ? rate - q.change : null);
  if (typeof rate !== 'number' || typeof prev !== 'number' || rate <= 0 || prev <= 0) return null;
  return (prev / rate - 1) * 100;
}

export function fxSummary(quotes: readonly Quote[], top = 5): FxSummary {
  const movers: Mover[] = [];
  let unchanged = 0;
  let unknown = 0;
  for (const q of quotes) {
    const p = strengthPercent(q);
    if (p === null) unknown++;
    else if (Math.abs(p) < 1e-9) unchanged++;
    else movers.push({ quote: q, percent: p });
  }
  const bySymbol = (a: Mover, b: Mover): number => a.quote.symbol.localeCompare(b.quote.symbol);
  const up = movers.filter((m) => m.percent > 0).sort((a, b) => b.percent - a.percent || bySymbol(a, b));
  const down = movers.filter((m) => m.percent < 0).sort((a, b) => a.percent - b.percent || bySymbol(a, b));
  return {
    currencies: quotes.length,
    strengthened: up.length,
    weakened: down.length,
    unchanged,
    unknown,
    strongest: up.slice(0, top),
    weakest: down.slice(0, top),
  };
}
