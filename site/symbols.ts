// The per-symbol page of one publish: the close series of each symbol as an inline SVG chart. One
// section per symbol; the one the URL fragment names is shown (CSS :target), so no script is needed.
import { createFormats } from './format.ts';
import { escapeHtml } from './html.ts';
import { closeChart, closesOf, symbolId } from './history.ts';
import { head } from './page.ts';
import { assetUrls } from './render.ts';
import type { SiteInput } from './types.ts';

export function renderSymbols(input: SiteInput): string {
  const { pointer, source, quotes, history } = input;
  const f = createFormats(source.locale, source.currency);
  const dates = history?.dates ?? [pointer.date];
  const back = `/${pointer.keys.page}`;
  const sections = quotes
    .map((q) => {
      const values = history ? closesOf(history, q.symbol) : [q.close ?? null];
      const name = q.name ? ` — ${q.name}` : '';
      return `<section class="symbol-view card" id="${symbolId(q.symbol)}" aria-labelledby="${symbolId(q.symbol)}-h">
<h2 id="${symbolId(q.symbol)}-h">${escapeHtml(q.symbol)}${escapeHtml(name)}</h2>
${closeChart(q.symbol, dates, values, (n) => f.price(n))}
<p class="status">Close on ${escapeHtml(pointer.date)}: ${escapeHtml(f.price(q.close))}. <a href="#symbols-h">All symbols</a></p>
</section>`;
    })
    .join('\n');
  const links = quotes
    .map((q) => `<li><a href="#${symbolId(q.symbol)}">${escapeHtml(q.symbol)}</a></li>`)
    .join('');
  return `${head(`${source.title} — history to ${pointer.date}`, assetUrls(), false)}
<body>
<header class="masthead"><div class="wrap"><div>
<p class="eyebrow">Per-symbol history</p>
<h1>${escapeHtml(source.title)}</h1>
<p class="lede">Closes of the last ${dates.length} published trading days to ${escapeHtml(pointer.date)} · <a href="${escapeHtml(back)}">Back to the quotes of ${escapeHtml(pointer.date)}</a></p>
</div></div></header>
<main class="wrap">
${sections}
<section aria-labelledby="symbols-h"><h2 id="symbols-h">Symbols</h2><ul class="symbol-list">${links}</ul></section>
</main>
</body>
</html>
`;
}
