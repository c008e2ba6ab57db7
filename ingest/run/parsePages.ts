// The parse step of a run: each page (the fetched one, or saved ones for a backfill) is decoded and
// parsed as a stream of days into one DayStore, its raw copy remembered by key and by how to read it
// again. A page that fails to parse is kept under failed/<source>/ and its error rethrown, naming the
// page when there are several; nothing is published then.
import { rawKey } from '../../contract/index.ts';
import { ExchangeError } from '../../lib/errors.ts';
import { DayStore, type PageCounts, type RawRef } from '../history/dayStore.ts';
import { rawContentType } from '../publish/files.ts';
import { parsePageDays } from '../source/index.ts';
import type { SourceAdapter } from '../source/types.ts';
import { detectedAdapter, guessExt, keepFailedQuietly } from './failedPage.ts';
import type { IngestDeps, IngestOptions } from '../pipeline.ts';

/** One page to parse: in memory now, and readable again when its raw copy is written. */
export interface PageToParse {
  /** A file path or the URL, for logs and errors. */
  name: string;
  body: Buffer;
  url: string;
  contentType?: string;
  fetchedAt: string;
  /** The bytes again, when the raw copy is written (a saved page is read from disk again). */
  reload: () => Promise<Buffer>;
}

export interface ParsedRun {
  adapter: SourceAdapter;
  store: DayStore;
  /** Quotes and rejected rows over every page. */
  counts: { quotes: number; rejected: number; pages: number };
  /** The last page's raw copy (a failed gate keeps it). */
  lastRaw: RawRef;
}

/** Two saved pages of one backfill are of different sources. */
export class MixedSourcesError extends ExchangeError {
  override name = 'MixedSourcesError';
  constructor(page: string, found: string, expected: string) {
    super(`${page} is a ${found} page, but the run's pages are ${expected}'s`, {
      hint: `backfill one source at a time (--source ${expected}), or move the page out of the folder`,
    });
  }
}

/** Parses one page into the run (creating it with the first page). */
export async function parsePage(
  deps: IngestDeps,
  opts: IngestOptions,
  page: PageToParse,
  run: ParsedRun | undefined,
  known: SourceAdapter | undefined,
  several: boolean,
): Promise<ParsedRun> {
  try {
    return addPage(deps, opts, page, run, known);
  } catch (error) {
    const detected = known ?? run?.adapter ?? detectedAdapter(error);
    const ext =
      detected?.ext ??
      guessExt({ body: page.body, ...(page.contentType ? { contentType: page.contentType } : {}) });
    const raw = { body: page.body, ext, ...(page.contentType ? { contentType: page.contentType } : {}) };
    await keepFailedQuietly(deps, opts.bucket, {
      source: detected?.id ?? 'unknown',
      date: opts.date ?? page.fetchedAt.slice(0, 10),
      fetchedAt: page.fetchedAt,
      raw,
    });
    if (several && error instanceof ExchangeError) {
      throw new ExchangeError(`${page.name}: ${error.message}`, {
        cause: error,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
    throw error;
  }
}

function addPage(
  deps: IngestDeps,
  opts: IngestOptions,
  page: PageToParse,
  run: ParsedRun | undefined,
  known: SourceAdapter | undefined,
): ParsedRun {
  const source = known?.id ?? run?.adapter.id ?? opts.source;
  const parsed = parsePageDays(
    { body: page.body, url: page.url, ...(page.contentType ? { contentType: page.contentType } : {}) },
    {
      ...(opts.mapping === undefined ? { source } : { mapping: opts.mapping }),
      ...(opts.date ? { date: opts.date } : {}),
    },
  );
  const adapter = run?.adapter ?? known ?? parsed.adapter;
  if (parsed.adapter.id !== adapter.id) throw new MixedSourcesError(page.name, parsed.adapter.id, adapter.id);
  const ext = parsed.zipped ? 'zip' : adapter.ext;
  // The key names the page's newest date, known once the whole page is read.
  const raw: RawRef = {
    key: '',
    ext,
    contentType: rawContentType({
      body: page.body,
      ext,
      ...(page.contentType ? { contentType: page.contentType } : {}),
    }),
    load: page.reload,
  };
  const counts: PageCounts = { quotes: 0, rejected: 0 };
  const store = run?.store ?? new DayStore();
  let newest = '';
  for (const day of parsed.days) {
    counts.quotes += day.quotes.length;
    counts.rejected += day.rejected.length;
    if (day.quotes.length === 0) continue;
    if (store.add(day.date, day.quotes, raw, counts)) {
      deps.log.warn('date given by two pages; the later one wins', { date: day.date, page: page.name });
    }
    if (day.date > newest) newest = day.date;
  }
  raw.key = rawKey(adapter.id, newest || (opts.date ?? page.fetchedAt.slice(0, 10)), page.fetchedAt, ext);
  const total = run?.counts ?? { quotes: 0, rejected: 0, pages: 0 };
  return {
    adapter,
    store,
    counts: {
      quotes: total.quotes + counts.quotes,
      rejected: total.rejected + counts.rejected,
      pages: total.pages + 1,
    },
    lastRaw: raw,
  };
}
