// The publish gate's typed failure: carries every problem found so callers and tests branch on
// `failures[].check`, while the one-line message summarises them for a person.
import { ExchangeError } from '../../lib/errors.ts';

export type GateCheck =
  | 'min-quotes'
  | 'core-field-share'
  | 'rejected-share'
  | 'duplicate-symbol'
  | 'missing-symbol'
  | 'low-above-high'
  | 'price-outside-range'
  | 'non-positive-price'
  | 'negative-count'
  | 'not-finite'
  | 'undecodable-text'
  | 'bad-date'
  | 'future-date'
  | 'date-mismatch';

export interface GateFailure {
  check: GateCheck;
  /** Names the bad value. */
  message: string;
  symbol?: string;
}

const SHOWN = 3;

export class ValidationError extends ExchangeError {
  override name = 'ValidationError';
  readonly failures: GateFailure[];

  constructor(
    readonly source: string,
    readonly date: string,
    failures: GateFailure[],
    options: { failedKey?: string } = {},
  ) {
    const shown = failures.slice(0, SHOWN).map((f) => f.message);
    const more = failures.length > SHOWN ? `; and ${failures.length - SHOWN} more` : '';
    const kept = options.failedKey ? `the page is kept at ${options.failedKey}; ` : '';
    super(`${source} ${date}: publish gate failed, nothing published: ${shown.join('; ')}${more}`, {
      hint: `${kept}${hintFor(failures)}`,
    });
    this.failures = failures;
  }
}

function hintFor(failures: GateFailure[]): string {
  const checks = new Set(failures.map((f) => f.check));
  if (checks.has('min-quotes')) {
    return 'check the URL serves the full quotes table for that date, or lower --min-quotes on purpose';
  }
  if (checks.has('core-field-share')) {
    return 'the page lost values it always carries (a layout or data change at the source); inspect it with "exchange parse"';
  }
  if (checks.has('rejected-share')) {
    return 'inspect the rejected rows with "exchange parse", or raise --max-rejected-share on purpose';
  }
  if (checks.has('undecodable-text')) {
    return 'the page was decoded with the wrong charset; check the Content-Type charset the server sends';
  }
  if (checks.has('future-date') || checks.has('bad-date') || checks.has('date-mismatch')) {
    return 'check --date (YYYY-MM-DD, not in the future) against the dates the page carries';
  }
  return 'inspect the page with "exchange parse"; the source sent inconsistent values';
}
