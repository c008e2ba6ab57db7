// What one publish writes, planned from the history it read and the plans of its dates: each written
// date's data files and page, the history window (reused when unchanged), the series files when the
// window would no longer reach back to them, the merged dates index, and the pointer when the latest
// date is not older than the published one. Pure but for the series files, whose bodies are read
// and merged when their writes start.
import { createHash } from 'node:crypto';
import {
  CACHE_CONTROL,
  HISTORY_DAYS,
  LAYOUT,
  datesKey,
  historyKey,
  publishId,
  symbolsPageKey,
  yearPageKey,
  type LatestPointer,
} from '../../contract/index.ts';
import type { RawRef } from '../history/dayStore.ts';
import {
  extendWindow,
  trimWindow,
  mergeIndex,
  mergeWindow,
  windowUpTo,
  type Day,
  type DayPlan,
} from '../history/plan.ts';
import type { HistoryReader, LoadedHistory } from '../history/read.ts';
import { addedPoints, needsRefresh, seriesObjects } from '../history/series.ts';
import { entryKeys, type DateEntry, type DatesIndex, type HistoryWindow } from '../history/types.ts';
import type { SiteNav } from '../../site/types.ts';
import { planData, type PlannedObject, type PublishInput } from './files.ts';

/** One page's publish: every field of a single date's PublishInput but the date's own, plus the dates. */
export interface DaysInput extends Omit<PublishInput, 'date' | 'quotes' | 'history' | 'nav'> {
  /** Every date to publish, each through the gate. */
  days: Day[];
  /**
   * A run over many pages or in chunks (backfill, a whole history): each date's raw page. Written
   * with the dates it carries that this publish writes, and with the pointer that names it. Absent:
   * `raw` is the one page, written when the pointer moves.
   */
  rawFor?: (date: string) => RawRef | undefined;
  /** Raw keys the run already wrote (shared by its chunks), so a page is uploaded once. */
  rawWritten?: Set<string>;
  /** A chunk before a run's last: the series files are left to the last chunk, which rewrites them once. */
  deferSeries?: boolean;
  /** Closes of dates the run holds (a series rewrite reads them here, not from S3). */
  knownCloses?: (date: string) => Map<string, number> | undefined;
}

/** Whether this publish rewrites the series files, decided before anything is built (it may need reads). */
export function seriesDue(input: DaysInput, loaded: LoadedHistory, plans: readonly DayPlan[]): boolean {
  const changed = plans.filter((p) => p.action !== 'unchanged').map((p) => p.date);
  // Nothing changed: the window and the files cover what they covered.
  if (input.deferSeries || changed.length === 0) return false;
  const window = mergeWindow(input.source.id, loaded.window, plans, HISTORY_DAYS);
  const all = [
    ...new Set([...(loaded.index?.dates.map((e) => e.date) ?? []), ...plans.map((p) => p.date)]),
  ].sort();
  return needsRefresh(loaded.index?.series, all, window, changed);
}

export interface PageJob {
  input: PublishInput;
  pointer: LatestPointer;
}

export interface Built {
  /** Step 1 objects: data files, the window, series files (pages are planned from `pages`). */
  objects: PlannedObject[];
  pages: PageJob[];
  pointer: LatestPointer | null;
  index: DatesIndex;
  /** The window as written (or reused), and its key. */
  window: HistoryWindow;
  windowKey: string;
  /** Years whose calendar pages changed. */
  years: string[];
}

function emptyWindow(source: string): HistoryWindow {
  return { source, dates: [], closes: {} };
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The pointer of a run whose latest date is published with the same data: the published page and
 * data files again, with this run's fetch, generation time and version — a heartbeat, so readiness
 * tracks the last successful run while nothing is rewritten. `prior` (the current pointer) supplies
 * asset keys that exist.
 */
export function heartbeatPointer(
  input: DaysInput,
  plan: DayPlan,
  loaded: LoadedHistory,
  prior: LatestPointer,
  raw: string,
): LatestPointer | null {
  const entry = plan.published;
  if (!entry || !loaded.index?.history) return null;
  const keys = entryKeys(input.source.id, entry);
  return {
    source: input.source.id,
    date: plan.date,
    fetchedAt: input.fetchedAt,
    generatedAt: input.generatedAt,
    version: input.version,
    sourceUrl: input.sourceUrl,
    publishId: entry.pageId ?? entry.publishId,
    counts: { quotes: plan.quotes.length, rejected: input.rejectedCount },
    keys: {
      raw,
      json: keys.json,
      csv: keys.csv,
      page: keys.page,
      index: LAYOUT.indexKey,
      assets: prior.keys.assets,
      symbols: symbolsPageKey(input.source.id),
      dates: datesKey(input.source.id),
      history: loaded.index.history,
    },
  };
}

export function buildObjects(
  reader: HistoryReader,
  input: DaysInput,
  loaded: LoadedHistory,
  plans: DayPlan[],
  series: { due: boolean; gap: Map<string, Map<string, number>> },
  /** Render the latest date again though its data is unchanged (no previous pointer to refresh). */
  refreshLatest = false,
): Built {
  const latest = plans.at(-1);
  const publishedLatest = loaded.index?.dates.at(-1)?.date;
  const movesPointer =
    latest !== undefined && (publishedLatest === undefined || latest.date >= publishedLatest);
  const render = plans.filter(
    (p) => p.action !== 'unchanged' || (refreshLatest && movesPointer && p === latest),
  );
  const extended = render.length > 0 ? extendWindow(input.source.id, loaded.window, plans) : null;
  const objects: PlannedObject[] = [];
  const jobs: PageJob[] = [];
  const entries: DateEntry[] = [];
  for (const plan of render) {
    const history = windowUpTo(extended ?? emptyWindow(input.source.id), plan.date, HISTORY_DAYS);
    const dayInput = toInput(input, plan, history);
    const data = planData(dayInput);
    const pointer = data.pointer;
    if (plan.action === 'unchanged' && plan.published) {
      // Same data: the page is rendered again (new links, sparklines), the data files are reused.
      const kept = entryKeys(input.source.id, plan.published);
      pointer.keys.json = kept.json;
      pointer.keys.csv = kept.csv;
      entries.push({ ...entryOf(plan, plan.published.publishId), pageId: pointer.publishId });
    } else {
      objects.push(...data.objects);
      entries.push(entryOf(plan, pointer.publishId));
    }
    jobs.push({ input: dayInput, pointer });
  }
  // Dates all published with the same data leave the window as it was: no need to build it again.
  const unchanged = plans.every((p) => p.action === 'unchanged') && loaded.window !== null;
  const window =
    unchanged && loaded.window
      ? loaded.window
      : trimWindow(extended ?? extendWindow(input.source.id, loaded.window, plans), HISTORY_DAYS);
  const windowJson = unchanged ? '' : `${JSON.stringify(window)}\n`;
  // The window read is reused when nothing in it changed (a key of its own per content, no orphans).
  const same =
    loaded.index?.history &&
    loaded.window &&
    (unchanged || `${JSON.stringify(loaded.window)}\n` === windowJson);
  const windowKey = same
    ? (loaded.index?.history ?? '')
    : historyKey(input.source.id, publishId(input.generatedAt, sha(windowJson)));
  if (!same) {
    objects.push({
      key: windowKey,
      body: windowJson,
      contentType: 'application/json',
      cacheControl: CACHE_CONTROL.dated,
    });
  }
  const index = mergeIndex(input.source.id, loaded.index, entries, windowKey, input.generatedAt);
  if (render.length > 0 && series.due) {
    const added = addedPoints(loaded.window, plans, series.gap);
    const through = index.dates.at(-1)?.date ?? '';
    const files = seriesObjects(
      reader,
      input.source.id,
      loaded.index?.series,
      added,
      through,
      input.generatedAt,
    );
    objects.push(...files.objects);
    index.series = files.state;
  }
  const nav = navIndex(index.dates, input.source.id);
  for (const job of jobs) job.input.nav = nav(job.input.date);
  const pointer = movesPointer ? (jobs.at(-1)?.pointer ?? null) : null;
  if (pointer) Object.assign(pointer.keys, { dates: datesKey(input.source.id), history: windowKey });
  const raw = pointer && input.rawFor?.(pointer.date);
  if (pointer && raw) pointer.keys.raw = raw.key;
  // The years whose days changed; every year when a year is new (each calendar lists all the years).
  const yearsOf = (dates: readonly { date: string }[]): Set<string> =>
    new Set(dates.map((d) => d.date.slice(0, 4)));
  const before = yearsOf(loaded.index?.dates ?? []);
  const after = yearsOf(index.dates);
  const years = [...(after.size > before.size ? after : yearsOf(render))].sort();
  return { objects, pages: jobs, pointer, index, window, windowKey, years };
}

/**
 * Each page's links, from the dates index built once per publish: its neighbours, its month's days,
 * every year (a calendar page each), the dates index and the chart page.
 */
export function navIndex(dates: readonly DateEntry[], source: string): (date: string) => SiteNav {
  const at = new Map(dates.map((e, i) => [e.date, i]));
  const months = new Map<string, { date: string; page: string }[]>();
  for (const e of dates) {
    const m = e.date.slice(0, 7);
    const list = months.get(m) ?? [];
    list.push({ date: e.date, page: entryKeys(source, e).page });
    months.set(m, list);
  }
  const years = [...new Set(dates.map((e) => e.date.slice(0, 4)))].map((year) => ({
    year,
    page: yearPageKey(source, year),
  }));
  const link = (e: DateEntry | undefined): { date: string; page: string } | undefined =>
    e && { date: e.date, page: entryKeys(source, e).page };
  return (date) => {
    const i = at.get(date) ?? -1;
    const previous = i > 0 ? link(dates[i - 1]) : undefined;
    const next = i >= 0 ? link(dates[i + 1]) : undefined;
    return {
      month: months.get(date.slice(0, 7)) ?? [],
      years,
      ...(previous ? { previous } : {}),
      ...(next ? { next } : {}),
      datesIndex: datesKey(source),
      symbolsPage: symbolsPageKey(source),
    };
  };
}

function toInput(input: DaysInput, plan: DayPlan, history: HistoryWindow): PublishInput {
  const { days: _days, rawFor: _rawFor, rawWritten: _rawWritten, ...shared } = input;
  return {
    ...shared,
    date: plan.date,
    quotes: plan.quotes,
    history: { dates: history.dates, closes: history.closes },
  };
}

function entryOf(plan: DayPlan, publishId: string): DateEntry {
  return { date: plan.date, publishId, digest: plan.digest, quotes: plan.quotes.length };
}
