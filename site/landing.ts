// The landing page of a bucket holding several sources (data/_landing/<id>.html, named by the sources
// registry): one card per exchange with its latest day and its move, each linking the source's own site
// (/<source>/). Pure.
import type { SourceEntry } from '../contract/index.ts';
import { formatInstant, formatTradingDate } from './format.ts';
import { escapeHtml } from './html.ts';
import { envBadge, head, sourceHref } from './page.ts';
import { assetUrls } from './render.ts';

function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${n.toFixed(2)}%`;
}

function card(e: SourceEntry): string {
  const fx = e.kind === 'fx';
  const up = fx ? `stronger vs ${e.base ?? 'base'}` : 'advancing';
  const down = fx ? `weaker vs ${e.base ?? 'base'}` : 'declining';
  const top = e.move.top
    ? `<p class="status">Biggest move: <strong>${escapeHtml(e.move.top.symbol)}</strong> <span class="${e.move.top.percent >= 0 ? 'up' : 'down'}">${escapeHtml(signed(e.move.top.percent))}</span>${fx ? ` against ${escapeHtml(e.base ?? 'the base')}` : ''}</p>`
    : '';
  return `<li class="card source-card">
<h2><a href="${escapeHtml(sourceHref(e.source))}">${escapeHtml(e.title)}</a></h2>
<p class="lede">Latest day <time datetime="${escapeHtml(e.date)}">${escapeHtml(formatTradingDate(e.date))}</time> · ${e.quotes} ${fx ? 'rates' : 'quotes'}</p>
<dl class="move">
<div class="up"><dt>${up}</dt><dd>${e.move.up}</dd></div>
<div class="down"><dt>${down}</dt><dd>${e.move.down}</dd></div>
<div><dt>unchanged</dt><dd>${e.move.unchanged}</dd></div>
</dl>
${top}
<p class="status">Published <time datetime="${escapeHtml(e.generatedAt)}">${escapeHtml(formatInstant(e.generatedAt))}</time> · <a href="${escapeHtml(sourceHref(e.source))}">Open ${escapeHtml(e.source)}</a></p>
</li>`;
}

export function renderLanding(entries: readonly SourceEntry[], generatedAt: string): string {
  const sorted = [...entries].sort((a, b) => a.title.localeCompare(b.title));
  return `${head('Exchanges — latest days', assetUrls(), false)}
<body>
<header class="masthead"><div class="wrap"><div>
<p class="eyebrow">Daily quotes</p>
<h1>Exchanges</h1>
<p class="lede">${sorted.length} sources · updated <time datetime="${escapeHtml(generatedAt)}">${escapeHtml(formatInstant(generatedAt))}</time></p>
</div>
${envBadge()}
</div></header>
<main class="wrap">
<ul class="sources">
${sorted.map(card).join('\n')}
</ul>
</main>
</body>
</html>
`;
}
