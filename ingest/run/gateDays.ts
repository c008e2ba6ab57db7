// The publish gate over the dates of one page: --date's alone, a backfill range's, or every date a
// series page carries. Dates that fail are left out and logged; when none passes, the page is kept
// under failed/ and the latest date's ValidationError is thrown.
import { UsageError } from '../../lib/errors.ts';
import type { FetchedPage } from '../fetch/fetchPage.ts';
import type { Day } from '../history/plan.ts';
import type { RawPage } from '../publish/files.ts';
import type { ParseResult, Quote } from '../../contract/quote.ts';
import type { SourceAdapter } from '../source/types.ts';
import { ValidationError, type GateFailure } from '../validate/errors.ts';
import { DEFAULT_MAX_REJECTED_SHARE, validateQuotes } from '../validate/gate.ts';
import { keepFailedQuietly } from './failedPage.ts';
import type { DateSelection } from './selectDate.ts';
import type { IngestDeps, IngestOptions } from '../pipeline.ts';

/** The dates to gate: --date's alone, a range's, else every date the page carries. */
function wantedDates(opts: IngestOptions, selection: DateSelection): string[] {
  if (opts.range) {
    const { from = '0000-00-00', to = '9999-99-99' } = opts.range;
    return selection.pageDates.filter((d) => d >= from && d <= to);
  }
  return opts.date !== undefined || selection.pageDates.length <= 1 ? [selection.date] : selection.pageDates;
}

/** The gate's failures for one date of the page. */
function gateFailures(
  deps: IngestDeps,
  opts: IngestOptions,
  parsed: { result: ParseResult; adapter: SourceAdapter },
  day: Day,
): GateFailure[] {
  const { adapter, result } = parsed;
  return validateQuotes(
    {
      source: adapter.id,
      quotes: day.quotes,
      rejectedRows: result.rejected.length,
      pageQuotes: result.quotes.length,
    },
    {
      date: day.date,
      minQuotes: opts.minQuotes ?? adapter.minQuotes,
      maxRejectedShare: opts.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE,
      now: deps.now(),
    },
  );
}

/**
 * Runs the publish gate on every date to publish: --date's alone, else every date the page carries
 * (a series page carries many). Dates that fail are left out and logged; when none passes (or the
 * --date named fails) the page is kept under failed/ and the latest date's ValidationError thrown.
 */
export async function gateDays(
  deps: IngestDeps,
  opts: IngestOptions,
  parsed: { result: ParseResult; adapter: SourceAdapter },
  selection: DateSelection,
  fetched: { page: FetchedPage; raw: RawPage },
): Promise<{ days: Day[]; refused: string[] }> {
  const wanted = wantedDates(opts, selection);
  if (wanted.length === 0) {
    throw new UsageError(
      `ingest: the page has no dates in ${opts.range?.from ?? '…'} – ${opts.range?.to ?? '…'}`,
      {
        hint: `it carries ${selection.pageDates[0] ?? 'none'} … ${selection.pageDates.at(-1) ?? ''}; widen --from/--to`,
      },
    );
  }
  const byDate = groupByDate(parsed.result.quotes);
  const days: Day[] = [];
  const refused: { date: string; failures: GateFailure[] }[] = [];
  for (const date of wanted) {
    const day = { date, quotes: byDate.get(date) ?? [] };
    const failures = [
      ...(date === selection.date && selection.mismatch ? [selection.mismatch] : []),
      ...gateFailures(deps, opts, parsed, day),
    ];
    if (failures.length === 0) days.push(day);
    else refused.push({ date, failures });
  }
  if (days.length > 0) {
    for (const r of refused) {
      deps.log.warn('date left out by the gate', {
        source: parsed.adapter.id,
        date: r.date,
        failures: r.failures,
      });
    }
    return { days, refused: refused.map((r) => r.date) };
  }
  const last = refused.at(-1) ?? { date: selection.date, failures: [] };
  const failed = {
    source: parsed.adapter.id,
    date: last.date,
    fetchedAt: fetched.page.fetchedAt,
    raw: fetched.raw,
  };
  const failedKey = await keepFailedQuietly(deps, opts.bucket, failed);
  throw new ValidationError(parsed.adapter.id, last.date, last.failures, failedKey ? { failedKey } : {});
}

function groupByDate(quotes: readonly Quote[]): Map<string, Quote[]> {
  const out = new Map<string, Quote[]>();
  for (const q of quotes) {
    const list = out.get(q.date);
    if (list) list.push(q);
    else out.set(q.date, [q]);
  }
  return out;
}
