// The publish gate over the dates of a run: --date's alone, a backfill range's, or every date the
// pages carry (a series page carries many). Dates that fail are left out and logged; when none
// passes, the page is kept under failed/ and the latest date's ValidationError is thrown. One date's
// quotes are unpacked at a time, so a whole history is gated without holding it as objects.
import { UsageError } from '../../lib/errors.ts';
import type { DayStore, RawRef } from '../history/dayStore.ts';
import type { SourceAdapter } from '../source/types.ts';
import { ValidationError, type GateFailure } from '../validate/errors.ts';
import { DEFAULT_MAX_REJECTED_SHARE, validateQuotes } from '../validate/gate.ts';
import { keepFailedQuietly } from './failedPage.ts';
import type { DateSelection } from './selectDate.ts';
import type { IngestDeps, IngestOptions } from '../pipeline.ts';

/** The dates to gate: --date's alone, a range's, else every date the pages carry; --resume drops published ones. */
export function wantedDates(
  opts: Pick<IngestOptions, 'range' | 'date'>,
  selection: Omit<DateSelection, 'quotes'>,
  published: ReadonlySet<string> = new Set(),
): string[] {
  const all = (): string[] => {
    if (opts.range) {
      const { from = '0000-00-00', to = '9999-99-99' } = opts.range;
      return selection.pageDates.filter((d) => d >= from && d <= to);
    }
    return opts.date !== undefined || selection.pageDates.length <= 1
      ? [selection.date]
      : selection.pageDates;
  };
  return all().filter((d) => !published.has(d));
}

export interface GateRun {
  adapter: SourceAdapter;
  store: DayStore;
  /** The last page's raw copy: kept when no date of it passes (a page with no quotes has no date). */
  lastRaw?: RawRef;
}

/** The gate's failures for one date. */
function gateFailures(deps: IngestDeps, opts: IngestOptions, run: GateRun, date: string): GateFailure[] {
  const page = run.store.page(date);
  return validateQuotes(
    {
      source: run.adapter.id,
      quotes: run.store.quotes(date),
      rejectedRows: page.rejected,
      pageQuotes: page.quotes,
    },
    {
      date,
      minQuotes: opts.minQuotes ?? run.adapter.minQuotes,
      maxRejectedShare: opts.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE,
      now: deps.now(),
    },
  );
}

/** A range with no date of the pages in it (or only published ones, with --resume) is a usage mistake. */
export function noDatesError(opts: IngestOptions, selection: Omit<DateSelection, 'quotes'>): UsageError {
  const carries = `${selection.pageDates[0] ?? 'none'} … ${selection.pageDates.at(-1) ?? ''}`;
  return new UsageError(
    `ingest: the pages have no dates in ${opts.range?.from ?? '…'} – ${opts.range?.to ?? '…'}`,
    { hint: `they carry ${carries}; widen --from/--to` },
  );
}

/**
 * Runs the publish gate on every wanted date. Dates that fail are left out and logged; when none
 * passes (or the --date named fails), the page of the latest is kept under failed/ and its
 * ValidationError thrown.
 */
export async function gateDays(
  deps: IngestDeps,
  opts: IngestOptions,
  run: GateRun,
  selection: Omit<DateSelection, 'quotes'>,
  wanted: string[],
  fetchedAt: string,
): Promise<{ passed: string[]; refused: string[] }> {
  const passed: string[] = [];
  const refused: { date: string; failures: GateFailure[] }[] = [];
  for (const date of wanted) {
    const failures = [
      ...(date === selection.date && selection.mismatch ? [selection.mismatch] : []),
      ...gateFailures(deps, opts, run, date),
    ];
    if (failures.length === 0) passed.push(date);
    else refused.push({ date, failures });
  }
  if (passed.length > 0) {
    for (const r of refused) {
      deps.log.warn('date left out by the gate', {
        source: run.adapter.id,
        date: r.date,
        failures: r.failures,
      });
    }
    return { passed, refused: refused.map((r) => r.date) };
  }
  const last = refused.at(-1) ?? { date: selection.date, failures: [] };
  const ref = run.store.raw(last.date) ?? run.lastRaw;
  const failedKey = ref
    ? await keepFailedQuietly(deps, opts.bucket, {
        source: run.adapter.id,
        date: last.date,
        fetchedAt,
        raw: { body: await ref.load(), contentType: ref.contentType, ext: ref.ext },
      })
    : undefined;
  throw new ValidationError(run.adapter.id, last.date, last.failures, failedKey ? { failedKey } : {});
}
