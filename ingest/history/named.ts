// Every publish-addressed key a source's dates index names: each date's data files and page, the
// history window, the series files. `exchange prune` keeps these and removes the rest.
import { seriesKey } from '../../contract/index.ts';
import { entryKeys, type DatesIndex } from './types.ts';

export function namedByIndex(index: DatesIndex): Set<string> {
  const named = new Set<string>();
  for (const e of index.dates) {
    const keys = entryKeys(index.source, e);
    for (const k of [keys.json, keys.csv, keys.page, e.symbols]) if (k) named.add(k);
  }
  if (index.history) named.add(index.history);
  const series = index.series;
  if (series) for (const symbol of series.symbols) named.add(seriesKey(index.source, series.id, symbol));
  return named;
}
