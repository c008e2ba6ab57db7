// Which trading date an ingest publishes. Series pages (NSE history, ECB 90-day) carry many dates:
// publish --date when given, else the latest date on the page. Pure.
import type { Quote } from '../../contract/quote.ts';
import type { GateFailure } from '../validate/errors.ts';

export interface DateSelection {
  date: string;
  /** The quotes of that date, in page order. */
  quotes: Quote[];
  /** Every date the page carries, ascending. */
  pageDates: string[];
  /** Set when --date names a day the page has no quotes for. */
  mismatch?: GateFailure;
}

/**
 * `fallbackDate` is used only when the page yields no quotes at all (the gate then fails on the
 * count), so the failure is still filed under a sensible day.
 */
export function selectDate(
  quotes: Quote[],
  requested: string | undefined,
  fallbackDate: string,
): DateSelection {
  const dates = selectDates([...new Set(quotes.map((q) => q.date))].sort(), requested, fallbackDate);
  return { ...dates, quotes: quotes.filter((q) => q.date === dates.date) };
}

/** selectDate over the page's dates alone (ascending), for a run that holds its days elsewhere. */
export function selectDates(
  pageDates: string[],
  requested: string | undefined,
  fallbackDate: string,
): Omit<DateSelection, 'quotes'> {
  const date = requested ?? pageDates.at(-1) ?? fallbackDate;
  const selection: Omit<DateSelection, 'quotes'> = { date, pageDates };
  if (requested !== undefined && pageDates.length > 0 && !pageDates.includes(requested)) {
    const shown =
      pageDates.length > 5
        ? `${pageDates.slice(0, 2).join(', ')} … ${pageDates.at(-1)}`
        : pageDates.join(', ');
    selection.mismatch = {
      check: 'date-mismatch',
      message: `the page has no quotes for ${requested}; it carries ${shown}`,
    };
  }
  return selection;
}
