// A year's calendar of a source's published days (data/<source>/years/<year>.html): twelve month
// grids, Monday first, each published day a link to its page. With the day pages' month list and
// year links it is how a reader reaches any of 25 years of days without any page listing them all.
// Pure; rewritten in place when a publish adds or changes a day of that year.
import { escapeHtml } from './html.ts';
import { monthName } from './history.ts';
import { head } from './page.ts';
import { assetUrls } from './render.ts';
import type { DayLink, SiteSource } from './types.ts';

export interface YearInput {
  source: SiteSource;
  year: string;
  /** The year's published days, ascending. */
  days: DayLink[];
  /** Every year with a published day and its page, ascending. */
  years: { year: string; page: string }[];
  /** Where "Latest" goes: the source's site. */
  latestHref: string;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function monthGrid(month: string, pages: Map<string, string>): string {
  const first = new Date(`${month}-01T00:00:00Z`);
  const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const cells: string[] = Array.from({ length: lead }, () => '<td></td>');
  for (let d = 1; d <= days; d++) {
    const date = `${month}-${String(d).padStart(2, '0')}`;
    const page = pages.get(date);
    cells.push(
      page
        ? `<td class="on"><a href="/${escapeHtml(page)}" title="${escapeHtml(date)}">${d}</a></td>`
        : `<td>${d}</td>`,
    );
  }
  while (cells.length % 7) cells.push('<td></td>');
  const rows = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(`<tr>${cells.slice(i, i + 7).join('')}</tr>`);
  const count = [...pages.keys()].filter((d) => d.startsWith(month)).length;
  return `<section class="month card" aria-labelledby="m-${month}"><h2 id="m-${month}">${escapeHtml(monthName(month))} <span class="unit">${count} day${count === 1 ? '' : 's'}</span></h2>
<table class="calendar"><thead><tr>${WEEKDAYS.map((w) => `<th scope="col">${w}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export function renderYear(input: YearInput): string {
  const { source, year } = input;
  const pages = new Map(input.days.map((d) => [d.date, d.page]));
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const years = input.years
    .map((y) =>
      y.year === year
        ? `<li><strong aria-current="page">${escapeHtml(y.year)}</strong></li>`
        : `<li><a href="/${escapeHtml(y.page)}">${escapeHtml(y.year)}</a></li>`,
    )
    .join('');
  return `${head(`${source.title} — ${year}`, assetUrls(), false)}
<body>
<header class="masthead"><div class="wrap"><div>
<p class="eyebrow">Published days</p>
<h1>${escapeHtml(source.title)} — ${escapeHtml(year)}</h1>
<p class="lede">${input.days.length} trading days published in ${escapeHtml(year)} · <a href="${escapeHtml(input.latestHref)}">Latest</a></p>
</div></div></header>
<main class="wrap">
<nav class="days card" aria-label="Years"><ol class="year-list">${years}</ol></nav>
<div class="months">
${months.map((m) => monthGrid(m, pages)).join('\n')}
</div>
</main>
</body>
</html>
`;
}
