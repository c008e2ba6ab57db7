// Number and time formatting for the page, in the exchange's locale. Pure; missing values are "—".

/** What a missing value looks like everywhere on the page. */
export const MISSING = '—';

export interface Formats {
  /** The locale actually used (the requested one, or "en" when the runtime does not know it). */
  locale: string;
  /** The currency used for totals, when known. */
  currency: string | undefined;
  price(value: number | null | undefined): string;
  /** Signed price change: "+1.20", "−0.50", "0.00". */
  change(value: number | null | undefined): string;
  /** Signed percent from a percent number (1.5 → "+1.50%"). */
  percent(value: number | null | undefined): string;
  /** Whole numbers with grouping (volume, trades, turnover cells). */
  integer(value: number | null | undefined): string;
  /** Money total, compact ("BDT 5.2B"), for the summary. */
  moneyCompact(value: number | null | undefined): string;
  /** Money total, in full, for titles and screen readers. */
  money(value: number | null | undefined): string;
  /** A rate at fixed decimals (each currency its own); `price` when none is given. */
  fixed(value: number | null | undefined, places?: number): string;
  /** The same, signed ("+0.0125", "−0.68"); `change` when no decimals are given. */
  signedFixed(value: number | null | undefined, places?: number): string;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A locale the runtime supports, else "en": a bad adapter locale must not break a publish. */
export function safeLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
  } catch {
    return 'en';
  }
}

/** An ISO 4217 code the runtime accepts, else undefined (then totals are shown without a currency). */
export function safeCurrency(currency: string | null | undefined): string | undefined {
  if (!currency || !/^[A-Z]{3}$/.test(currency)) return undefined;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency });
    return currency;
  } catch {
    return undefined;
  }
}

/** A formatted value is a pure function of the number: each distinct one is formatted once. */
function memoFormat(nf: Intl.NumberFormat): (n: number) => string {
  const seen = new Map<number, string>();
  return (n) => {
    // Map keys treat -0 as 0, but Intl prints "-0.00" for -0: never share that entry.
    if (n === 0) return nf.format(n);
    let text = seen.get(n);
    if (text === undefined) {
      text = nf.format(n);
      seen.set(n, text);
    }
    return text;
  };
}

/** Formats by locale and currency: building the Intl formatters costs more than a day's page. */
const FORMATS = new Map<string, Formats>();

export function createFormats(locale: string, currency?: string | null): Formats {
  const key = `${locale} ${currency ?? ''}`;
  let f = FORMATS.get(key);
  if (!f) FORMATS.set(key, (f = buildFormats(locale, currency)));
  return f;
}

function buildFormats(locale: string, currency?: string | null): Formats {
  const loc = safeLocale(locale);
  const cur = safeCurrency(currency);
  const price = new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  const change = new Intl.NumberFormat(loc, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 4,
    signDisplay: 'exceptZero',
  });
  const percent = new Intl.NumberFormat(loc, {
    style: 'percent',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  const integer = new Intl.NumberFormat(loc, { maximumFractionDigits: 0 });
  const moneyOpts: Intl.NumberFormatOptions = cur ? { style: 'currency', currency: cur } : {};
  const money = new Intl.NumberFormat(loc, {
    ...moneyOpts,
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  });
  const compact = new Intl.NumberFormat(loc, {
    ...moneyOpts,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  // Prices repeat across the open/high/low/close columns and changes across rows.
  const priceText = memoFormat(price);
  const changeText = memoFormat(change);
  const fixedFormats = new Map<string, (n: number) => string>();
  const fixedText = (places: number, signed: boolean): ((n: number) => string) => {
    const key = `${places}${signed ? '±' : ''}`;
    let fn = fixedFormats.get(key);
    if (!fn) {
      fn = memoFormat(
        new Intl.NumberFormat(loc, {
          minimumFractionDigits: places,
          maximumFractionDigits: places,
          ...(signed ? { signDisplay: 'exceptZero' as const } : {}),
        }),
      );
      fixedFormats.set(key, fn);
    }
    return fn;
  };
  const guard =
    (fn: (n: number) => string) =>
    (value: number | null | undefined): string =>
      isNumber(value) ? fn(value) : MISSING;
  return {
    locale: loc,
    currency: cur,
    price: guard(priceText),
    change: guard(changeText),
    percent: guard((n) => percent.format(n / 100)),
    integer: guard((n) => integer.format(n)),
    moneyCompact: guard((n) => compact.format(n)),
    money: guard((n) => money.format(n)),
    fixed: (value, places) =>
      isNumber(value) ? (places === undefined ? priceText(value) : fixedText(places, false)(value)) : MISSING,
    signedFixed: (value, places) =>
      isNumber(value) ? (places === undefined ? changeText(value) : fixedText(places, true)(value)) : MISSING,
  };
}

const TRADING_DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: 'UTC' });

/** "2026-04-23" → "Thursday, 23 April 2026" (English prose, whatever the number locale). */
export function formatTradingDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d.getTime())) return date;
  return TRADING_DATE.format(d);
}

/** An ISO instant as "2026-04-24 02:03 UTC"; anything unparsable is shown as given. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The host of a URL for link text ("https://www.dsebd.org/x" → "dsebd.org"), or the input. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}
