// What one publish writes, planned from the history it read and the plans of its dates: each written
// date's data files and page, the history window (reused when unchanged), the series files when the
// window would no longer reach back to them, the merged dates index, and the pointer when the latest
// date is not older than the published one. Pure but for the series files, whose bodies are read
// and merged when their writes start.
import { createHash } from 'node:crypto';
import {
  CACHE_CONTROL,
  HISTORY_DAYS,
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
  mergeIndex,
  mergeWindow,
  windowUpTo,
  type Day,
  type DayPlan,
} from '../history/plan.ts';
import type { HistoryReader, LoadedHistory } from '../history/read.ts';
import { addedPoints, needsRefresh, seriesObjects } from '../history/series.ts';
import type { DateEntry, DatesIndex, HistoryWindow } from '../history/types.ts';
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

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function buildObjects(
  reader: HistoryReader,
  input: DaysInput,
  loaded: LoadedHistory,
  plans: DayPlan[],
  migrate: Map<string, Map<string, number>>,
): Built {
  const latest = plans.at(-1);
  const publishedLatest = loaded.index?.dates.at(-1)?.date;
  const movesPointer =
    latest !== undefined && (publishedLatest === undefined || latest.date >= publishedLatest);
  const extended = extendWindow(input.source.id, loaded.window, plans);
  const render = plans.filter((p) => p.action !== 'unchanged' || (movesPointer && p === latest));
  const objects: PlannedObject[] = [];
  const jobs: PageJob[] = [];
  const entries: DateEntry[] = [];
  for (const plan of render) {
    const history = windowUpTo(extended, plan.date, HISTORY_DAYS);
    const dayInput = toInput(input, plan, history);
    const data = planData(dayInput);
    const pointer = data.pointer;
    if (plan.action === 'unchanged' && plan.published) {
      // Same data: the page is rendered again (new links, sparklines), the data files are reused.
      pointer.keys.json = plan.published.json;
      pointer.keys.csv = plan.published.csv;
    } else {
      objects.push(...data.objects);
    }
    jobs.push({ input: dayInput, pointer });
    entries.push(entryOf(plan, pointer));
  }
  const window = mergeWindow(input.source.id, loaded.window, plans, HISTORY_DAYS);
  const windowJson = `${JSON.stringify(window)}\n`;
  // The window read is reused when nothing in it changed (a key of its own per content, no orphans).
  const same = loaded.index?.history && loaded.window && `${JSON.stringify(loaded.window)}\n` === windowJson;
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
  const all = index.dates.map((e) => e.date);
  const changed = plans.filter((p) => p.action !== 'unchanged').map((p) => p.date);
  if (render.length > 0 && needsRefresh(loaded.index?.series, all, window, changed)) {
    const added = addedPoints(loaded.window, plans, migrate);
    const series = seriesObjects(
      reader,
      input.source.id,
      loaded.index?.series,
      added,
      all.at(-1) ?? '',
      input.generatedAt,
    );
    objects.push(...series.objects);
    index.series = series.state;
  }
  const nav = navIndex(index.dates, input.source.id);
  for (const job of jobs) job.input.nav = nav(job.input.date);
  const pointer = movesPointer ? (jobs.at(-1)?.pointer ?? null) : null;
  if (pointer) Object.assign(pointer.keys, { dates: datesKey(input.source.id), history: windowKey });
  const raw = pointer && input.rawFor?.(pointer.date);
  if (pointer && raw) pointer.keys.raw = raw.key;
  const years = [...new Set(render.map((p) => p.date.slice(0, 4)))];
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
    list.push({ date: e.date, page: e.page });
    months.set(m, list);
  }
  const years = [...new Set(dates.map((e) => e.date.slice(0, 4)))].map((year) => ({
    year,
    page: yearPageKey(source, year),
  }));
  const link = (e: DateEntry | undefined): { date: string; page: string } | undefined =>
    e && { date: e.date, page: e.page };
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

function entryOf(plan: DayPlan, pointer: LatestPointer): DateEntry {
  return {
    date: plan.date,
    publishId: pointer.publishId,
    digest: plan.digest,
    quotes: plan.quotes.length,
    json: pointer.keys.json,
    csv: pointer.keys.csv,
    page: pointer.keys.page,
  };
}
