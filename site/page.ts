// index.html and error.html. Pure: everything shown comes from the input; every string is escaped.
import { COLORS } from '../contract/index.ts';
import type { Quote } from '../contract/quote.ts';
import { breadthChart, breadthSegments, moversChart } from './charts.ts';
import { createFormats, formatInstant, formatTradingDate, hostOf, type Formats } from './format.ts';
import { escapeHtml, linkOrText } from './html.ts';
import { summarize, type Summary } from './summary.ts';
import { fxSummary, type FxSummary } from './fx.ts';
import { dayNav } from './history.ts';
import { renderTable } from './table.ts';
import type { SiteInput } from './types.ts';

/** Asset URLs with a content hash query, so a new stylesheet is never mixed with an old page. */
export interface AssetUrls {
  css: string;
  js: string;
}

/** A tiny inline icon, so browsers do not request /favicon.ico (a 404 on every visit). */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%231f2328'/%3E%3Cpath d='M3 11l3-3 2 2 5-5' stroke='%2340c463' stroke-width='2' fill='none'/%3E%3C/svg%3E";

export function head(title: string, assets: AssetUrls, withScript: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="${escapeHtml(assets.css)}">
${withScript ? `<script src="${escapeHtml(assets.js)}" defer></script>\n` : ''}</head>`;
}

/** The environment badge; only the two known colours get their colour class. */
export function colorBadge(color: string | undefined, id?: string): string {
  const known = (COLORS as readonly string[]).includes(color ?? '');
  const cls = known ? `badge-${color}` : 'badge-none';
  const text = color ? `${color} environment` : 'no environment';
  return `<span class="badge ${cls}"${id ? ` id="${id}"` : ''} title="Published by the ${escapeHtml(text)}">${escapeHtml(text)}</span>`;
}

function stats(s: Summary, f: Formats): string {
  const item = (label: string, value: string, cls = '', title = ''): string =>
    `<div class="stat card ${cls}"><dt>${label}</dt><dd${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(value)}</dd></div>`;
  return `<dl class="stats">
${item('Instruments', f.integer(s.instruments))}
${item('Advancers', f.integer(s.advancers), 'up')}
${item('Decliners', f.integer(s.decliners), 'down')}
${item('Unchanged', f.integer(s.unchanged))}
${item('Total turnover', f.moneyCompact(s.turnover), '', f.money(s.turnover))}
</dl>`;
}

function breadth(s: Summary, f: Formats): string {
  const legend = breadthSegments(s)
    .map(
      (g) =>
        `<li class="k-${g.key}"><strong>${escapeHtml(f.integer(g.count))}</strong> ${escapeHtml(g.label)}</li>`,
    )
    .join('');
  return `<section class="breadth card" aria-labelledby="breadth-h">
<h2 id="breadth-h">Market breadth</h2>
${breadthChart(s)}
<ul class="legend">${legend}</ul>
</section>`;
}

function movers(s: Summary, f: Formats): string {
  const scaleMax = Math.max(
    0,
    ...s.gainers.map((m) => Math.abs(m.percent)),
    ...s.losers.map((m) => Math.abs(m.percent)),
  );
  const pct = (n: number): string => f.percent(n);
  const panel = (tone: 'up' | 'down', title: string, list: Summary['gainers']): string =>
    `<div class="card"><h3 class="${tone}">${title}</h3>${moversChart({ id: `movers-${tone}`, title: `${title} by percent change`, movers: list, tone, scaleMax, formatPercent: pct })}</div>`;
  return `<section aria-labelledby="movers-h">
<h2 id="movers-h">Top movers</h2>
<div class="movers">
${panel('up', s.gainers.length ? `Top ${s.gainers.length} gainers` : 'Gainers', s.gainers)}
${panel('down', s.losers.length ? `Top ${s.losers.length} losers` : 'Losers', s.losers)}
</div>
</section>`;
}

function fxStats(s: FxSummary, base: string, f: Formats): string {
  const item = (label: string, value: string, cls = ''): string =>
    `<div class="stat card ${cls}"><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
  return `<dl class="stats">
${item('Currencies', f.integer(s.currencies))}
${item(`Stronger vs ${base}`, f.integer(s.strengthened), 'up')}
${item(`Weaker vs ${base}`, f.integer(s.weakened), 'down')}
${item('Unchanged', f.integer(s.unchanged))}
${s.unknown ? item('No previous rate', f.integer(s.unknown)) : ''}
</dl>`;
}

/** Strongest and weakest currencies against the base: the day's moves of an exchange-rate source. */
function fxMovers(s: FxSummary, base: string, f: Formats): string {
  const scaleMax = Math.max(0, ...[...s.strongest, ...s.weakest].map((m) => Math.abs(m.percent)));
  const panel = (tone: 'up' | 'down', title: string, list: FxSummary['strongest']): string =>
    `<div class="card"><h3 class="${tone}">${escapeHtml(title)}</h3>${moversChart({ id: `fx-${tone}`, title: `${title}, percent move against ${base}`, movers: list, tone, scaleMax, formatPercent: (n) => f.percent(n) })}</div>`;
  return `<section aria-labelledby="movers-h">
<h2 id="movers-h">The day's moves against ${escapeHtml(base)}</h2>
<div class="movers">
${panel('up', `Strongest vs ${base}`, s.strongest)}
${panel('down', `Weakest vs ${base}`, s.weakest)}
</div>
</section>`;
}

/** The summary that fits the data: currencies against the base for FX, breadth and movers for shares. */
function summarySections(input: SiteInput, f: Formats): string {
  const { source, quotes } = input;
  if (source.kind === 'fx') {
    const base = source.currency ?? quotes[0]?.currency ?? 'base';
    const s = fxSummary(quotes);
    return `<section aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
${fxStats(s, base, f)}
</section>
${fxMovers(s, base, f)}`;
  }
  const s = summarize(quotes);
  return `<section aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
${stats(s, f)}
</section>
${breadth(s, f)}
${movers(s, f)}`;
}

function downloads(jsonKey: string, csvKey: string): string {
  return `<div class="downloads"><a class="button" href="/${escapeHtml(jsonKey)}" download>Download JSON</a><a class="button" href="/${escapeHtml(csvKey)}" download>Download CSV</a></div>`;
}

function quotesSection(input: SiteInput, quotes: readonly Quote[], f: Formats): string {
  const { pointer } = input;
  const caption = `${quotes.length} quotes from ${input.source.title} for ${pointer.date}. Numbers in ${f.locale} format${f.currency ? `, prices in ${f.currency}` : ''}; “—” means not reported.`;
  return `<section aria-labelledby="quotes-h">
<h2 id="quotes-h">All quotes</h2>
<div class="toolbar">
<div id="filter-box" hidden><label for="filter">Filter</label><input id="filter" type="search" placeholder="Symbol or name" autocomplete="off" spellcheck="false" aria-controls="quotes"></div>
${downloads(pointer.keys.json, pointer.keys.csv)}
</div>
<p class="status" id="table-status" role="status" aria-live="polite"></p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="quotes-h">
${renderTable(quotes, f, caption, input.history && input.nav ? { history: input.history, symbolsPage: input.nav.symbolsPage, fx: input.source.kind === 'fx' } : undefined)}
</div>
</section>`;
}

function provenance(input: SiteInput): string {
  const { pointer, source } = input;
  const row = (label: string, value: string): string => `<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return `<footer>
<div class="wrap">
<h2>Where this comes from</h2>
<dl class="provenance">
${row('Exchange', linkOrText(source.homepage, source.title))}
${row('Source page', linkOrText(pointer.sourceUrl, hostOf(pointer.sourceUrl)))}
${row('Fetched at', `<time datetime="${escapeHtml(pointer.fetchedAt)}">${escapeHtml(formatInstant(pointer.fetchedAt))}</time>`)}
${row('Generated at', `<time datetime="${escapeHtml(pointer.generatedAt)}">${escapeHtml(formatInstant(pointer.generatedAt))}</time>`)}
${row('App version', escapeHtml(pointer.version))}
${row('Environment', colorBadge(input.color))}
${row('Data', `<a href="/${escapeHtml(pointer.keys.json)}">${escapeHtml(pointer.keys.json)}</a> · <a href="/${escapeHtml(pointer.keys.csv)}">CSV</a>`)}
</dl>
</div>
</footer>`;
}

export function renderIndex(input: SiteInput, assets: AssetUrls): string {
  const { pointer, source, quotes } = input;
  const f = createFormats(source.locale, source.currency ?? uniformCurrency(quotes));
  return `${head(`${source.title} — quotes for ${pointer.date}`, assets, true)}
<body>
<a class="skip" href="#quotes-h">Skip to the quotes table</a>
<header class="masthead">
<div class="wrap">
<div>
<p class="eyebrow">Daily quotes</p>
<h1>${escapeHtml(source.title)}</h1>
<p class="lede">Trading day <time datetime="${escapeHtml(pointer.date)}">${escapeHtml(formatTradingDate(pointer.date))}</time> · source ${linkOrText(pointer.sourceUrl, hostOf(pointer.sourceUrl))}</p>
</div>
${colorBadge(input.color, 'env-badge')}
</div>
</header>
<main class="wrap">
${input.nav ? dayNav(input.nav, pointer.date) : ''}
${summarySections(input, f)}
${quotesSection(input, quotes, f)}
</main>
${provenance(input)}
</body>
</html>
`;
}

/** The currency every quote shares, if they share one. */
function uniformCurrency(quotes: readonly Quote[]): string | undefined {
  const first = quotes[0]?.currency ?? undefined;
  return first && quotes.every((q) => q.currency === first) ? first : undefined;
}

/** error.html: served for unknown paths and when the bucket cannot be read. Absolute asset URLs, as it is served at any depth. */
export function renderError(assets: AssetUrls): string {
  return `${head('Page not available — exchange quotes', assets, false)}
<body>
<main class="error-page">
<h1>This page is not available</h1>
<p>The address may be mistyped, or the data is being refreshed. The latest quotes are on the front page.</p>
<p><a class="button" href="/">Go to the latest quotes</a></p>
</main>
</body>
</html>
`;
}
