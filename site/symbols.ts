// A source's chart page (data/<source>/symbols.html): every symbol, and one chart of the symbol the
// URL fragment names — 1 month, 1 year or all time — drawn by assets/chart.<hash>.js from the symbol's
// series file (its closes up to the series' last date, also a download) and the history window (every
// published date after it). Long ranges are drawn at a reduced resolution. Rewritten with each
// publish, so it always names the current series files and window. Pure.
import { escapeHtml } from './html.ts';
import { symbolId } from './history.ts';
import { head } from './page.ts';
import { assetUrls } from './render.ts';
import type { SiteSource } from './types.ts';

export interface SymbolsInput {
  source: SiteSource;
  /** Every symbol with its name (when the page gives one), as the latest day lists them. */
  symbols: { symbol: string; name?: string | null }[];
  /** Each symbol's series file key (absent: the window alone covers it). */
  seriesKeys: Map<string, string>;
  /** The last date the series files hold. */
  through: string | null;
  /** The history window's key (every published date after `through`). */
  windowKey: string;
  /** The latest published date and where "Latest" goes. */
  latestDate: string;
  latestHref: string;
}

export function renderSymbols(input: SymbolsInput): string {
  const { source } = input;
  const fx = source.kind === 'fx';
  const items = input.symbols
    .map(({ symbol, name }) => {
      const id = symbolId(symbol);
      const series = input.seriesKeys.get(symbol);
      const label = fx ? `${symbol} per 1 ${source.currency ?? 'base'}` : symbol;
      return `<li id="${id}"><a href="#${id}" data-symbol="${escapeHtml(symbol)}" data-label="${escapeHtml(label)}"${name ? ` data-name="${escapeHtml(name)}"` : ''}${series ? ` data-series="/${escapeHtml(series)}"` : ''}>${escapeHtml(symbol)}</a></li>`;
    })
    .join('');
  const note = fx
    ? `Rates are units of each currency per 1 ${escapeHtml(source.currency ?? 'base')}: a rising line is a weaker currency.`
    : 'Closing prices, as the exchange published them.';
  return `${head(`${source.title} — charts`, assetUrls(), 'chart')}
<body>
<header class="masthead"><div class="wrap"><div>
<p class="eyebrow">Charts</p>
<h1>${escapeHtml(source.title)}</h1>
<p class="lede">Each symbol's closes to ${escapeHtml(input.latestDate)} · <a href="${escapeHtml(input.latestHref)}">Latest day</a></p>
</div></div></header>
<main class="wrap">
<section class="card chart-card" id="chart" aria-live="polite" data-window="/${escapeHtml(input.windowKey)}" data-through="${escapeHtml(input.through ?? '')}" data-source="${escapeHtml(source.id)}">
<h2 id="chart-h">Pick a symbol below</h2>
<p class="status">${note}</p>
<noscript><p class="status">The charts need JavaScript. Each symbol's closes are a CSV download: open a symbol's link below with JavaScript on, or read the window of the last 30 days at <a href="/${escapeHtml(input.windowKey)}">${escapeHtml(input.windowKey)}</a>.</p></noscript>
</section>
<section aria-labelledby="symbols-h"><h2 id="symbols-h">Symbols (${input.symbols.length})</h2><ul class="symbol-list">${items}</ul></section>
</main>
</body>
</html>
`;
}
