// The site pages a publish rewrites in place with its last step, after the dates index names what
// they link: the calendar page of each year whose days changed, and the source's chart page (which
// names the current series files and history window). Short cache: they change as days are added.
import { CACHE_CONTROL, seriesKey, symbolsPageKey, yearPageKey } from '../../contract/index.ts';
import { renderYear } from '../../site/calendar.ts';
import { sourceHref } from '../../site/page.ts';
import { renderSymbols } from '../../site/symbols.ts';
import type { SiteSource } from '../../site/types.ts';
import { entryKeys, type DatesIndex, type HistoryWindow } from '../history/types.ts';
import type { PlannedObject } from './files.ts';

const HTML = 'text/html; charset=utf-8';

export function yearPages(source: SiteSource, index: DatesIndex, years: readonly string[]): PlannedObject[] {
  const all = [...new Set(index.dates.map((e) => e.date.slice(0, 4)))].map((year) => ({
    year,
    page: yearPageKey(source.id, year),
  }));
  return years.map((year) => ({
    key: yearPageKey(source.id, year),
    body: renderYear({
      source,
      year,
      days: index.dates
        .filter((e) => e.date.startsWith(year))
        .map((e) => ({ date: e.date, page: entryKeys(source.id, e).page })),
      years: all,
      latestHref: sourceHref(source.id),
    }),
    contentType: HTML,
    cacheControl: CACHE_CONTROL.page,
  }));
}

export function chartPage(
  source: SiteSource,
  index: DatesIndex,
  window: HistoryWindow,
  windowKey: string,
): PlannedObject {
  const series = index.series;
  const inSeries = new Set(series?.symbols ?? []);
  const symbols = [...new Set([...Object.keys(window.closes), ...inSeries])].sort();
  const seriesKeys = new Map(
    series ? symbols.filter((s) => inSeries.has(s)).map((s) => [s, seriesKey(source.id, series.id, s)]) : [],
  );
  return {
    key: symbolsPageKey(source.id),
    body: renderSymbols({
      source,
      symbols: symbols.map((symbol) => ({ symbol, name: window.names?.[symbol] ?? null })),
      seriesKeys,
      through: series?.through ?? null,
      windowKey,
      latestDate: index.dates.at(-1)?.date ?? '',
      latestHref: sourceHref(source.id),
    }),
    contentType: HTML,
    cacheControl: CACHE_CONTROL.page,
  };
}
