// index.html and error.html. Pure: everything shown comes from the input; every string is escaped.
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
  chart: string;
}

/**
 * The serving side's stylesheet naming its colour (`serve` answers it; see serve/paths.ts): the badge
 * belongs to whoever serves the page, not to the ingest that wrote it. Without it the badge stays hidden.
 */
export const ENV_CSS_PATH = '/env.css';

/** A tiny inline icon, so browsers do not request /favicon.ico (a 404 on every visit). */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%231f2328'/%3E%3Cpath d='M3 11l3-3 2 2 5-5' stroke='%2340c463' stroke-width='2' fill='none'/%3E%3C/svg%3E";

export function head(title: string, assets: AssetUrls, script: false | 'site' | 'chart'): string {
  const js = script === 'site' ? assets.js : script === 'chart' ? assets.chart : undefined;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="${escapeHtml(assets.css)}">
<link rel="stylesheet" href="${ENV_CSS_PATH}">
${js ? `<script src="${escapeHtml(js)}" defer></script>\n` : ''}</head>`;
}

/** The environment badge: empty and hidden until the serving side's ENV_CSS_PATH names its colour. */
export function envBadge(): string {
  return '<span class="badge env-badge" id="env-badge" title="The environment serving this page"></span>';
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

/** File names a download is saved under: the source and the trading date, not the publish id. */
export function downloadName(source: string, date: string, ext: 'json' | 'csv'): string {
  return `${source}-${date}.${ext}`;
}

function downloads(input: SiteInput): string {
  const { pointer, source } = input;
  const link = (key: string, ext: 'json' | 'csv', text: string): string =>
    `<a class="button" href="/${escapeHtml(key)}" download="${escapeHtml(downloadName(source.id, pointer.date, ext))}">${text}</a>`;
  return `<div class="downloads">${link(pointer.keys.json, 'json', 'Download JSON')}${link(pointer.keys.csv, 'csv', 'Download CSV')}</div>`;
}

/** What the table's figures are, said once above it (a caption in a sideways-scrolling box is cut on a phone). */
function tableNote(input: SiteInput, quotes: readonly Quote[], f: Formats): string {
  const { pointer, source } = input;
  if (source.kind === 'fx') {
    const base = source.currency ?? 'the base';
    return `${quotes.length} reference rates from ${source.title} for ${pointer.date}: units of each currency per 1 ${base}, each currency with its own fixed decimals. “Against ${base}” is the currency's move since the previous rate: + stronger (green), − weaker (red). “—” means not reported.`;
  }
  return `${quotes.length} quotes from ${source.title} for ${pointer.date}. Numbers in ${f.locale} format${f.currency ? `, prices in ${f.currency}` : ''}; “—” means not reported; values the exchange's page did not give but its own figures imply are in the downloads' “derived” field.`;
}

function quotesSection(input: SiteInput, quotes: readonly Quote[], f: Formats): string {
  const note = tableNote(input, quotes, f);
  const fx = input.source.kind === 'fx';
  const table = renderTable(quotes, f, note, {
    ...(input.history ? { history: input.history } : {}),
    ...(input.nav ? { symbolsPage: input.nav.symbolsPage } : {}),
    ...(fx ? { fx: { base: input.source.currency ?? 'base' } } : {}),
  });
  return `<section aria-labelledby="quotes-h">
<h2 id="quotes-h">${fx ? 'All rates' : 'All quotes'}</h2>
<p class="table-note" id="quotes-note">${escapeHtml(note)}</p>
<div class="toolbar">
<div id="filter-box" hidden><label for="filter">Filter</label><input id="filter" type="search" placeholder="Symbol or name" autocomplete="off" spellcheck="false" aria-controls="quotes"></div>
${downloads(input)}
</div>
<p class="status" id="table-status" role="status" aria-live="polite"></p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="quotes-h" aria-describedby="quotes-note">
${table}
</div>
</section>`;
}

function provenance(input: SiteInput): string {
  const { pointer, source } = input;
  const row = (label: string, value: string): string => `<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const file = (key: string, ext: 'json' | 'csv'): string =>
    `<a href="/${escapeHtml(key)}" download="${escapeHtml(downloadName(source.id, pointer.date, ext))}">${ext.toUpperCase()}</a>`;
  return `<footer>
<div class="wrap">
<h2>Where this comes from</h2>
<dl class="provenance">
${row('Exchange', linkOrText(source.homepage, source.title))}
${row('Source page', linkOrText(pointer.sourceUrl, hostOf(pointer.sourceUrl)))}
${row('Fetched at', `<time datetime="${escapeHtml(pointer.fetchedAt)}">${escapeHtml(formatInstant(pointer.fetchedAt))}</time>`)}
${row('Generated at', `<time datetime="${escapeHtml(pointer.generatedAt)}">${escapeHtml(formatInstant(pointer.generatedAt))}</time>`)}
${row('App version', escapeHtml(pointer.version))}
${row('Data', `${file(pointer.keys.json, 'json')} · ${file(pointer.keys.csv, 'csv')}${input.nav ? ` · <a href="/${escapeHtml(input.nav.datesIndex)}">every date</a>` : ''}`)}
</dl>
</div>
</footer>`;
}

/** Where a source's site starts (`serve` answers it with the source's latest day). */
export function sourceHref(source: string): string {
  return `/${source}/`;
}

export function renderIndex(input: SiteInput, assets: AssetUrls): string {
  const { pointer, source, quotes } = input;
  const f = createFormats(source.locale, source.currency ?? uniformCurrency(quotes));
  return `${head(`${source.title} — ${source.kind === 'fx' ? 'rates' : 'quotes'} for ${pointer.date}`, assets, 'site')}
<body>
<a class="skip" href="#quotes-h">Skip to the quotes table</a>
<header class="masthead">
<div class="wrap">
<div>
<p class="eyebrow">${source.kind === 'fx' ? 'Daily reference rates' : 'Daily quotes'}</p>
<h1>${escapeHtml(source.title)}</h1>
<p class="lede">Trading day <time datetime="${escapeHtml(pointer.date)}">${escapeHtml(formatTradingDate(pointer.date))}</time> · source ${linkOrText(pointer.sourceUrl, hostOf(pointer.sourceUrl))}</p>
</div>
${envBadge()}
</div>
</header>
<main class="wrap">
${input.nav ? dayNav(input.nav, pointer.date, sourceHref(source.id)) : ''}
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
