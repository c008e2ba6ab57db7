// Typed errors of the pure parsing helpers: each names the bad value and says what is accepted.
import { ExchangeError } from '../../lib/errors.ts';

/** A page declares a charset label TextDecoder does not know. */
export class CharsetError extends ExchangeError {
  override name = 'CharsetError';
  constructor(
    readonly label: string,
    readonly declaredBy: string,
  ) {
    super(`unknown charset "${label}" declared by the ${declaredBy}`, {
      hint: 'use a WHATWG encoding label (utf-8, windows-1250, iso-8859-2, …) or fix the page/Content-Type',
    });
  }
}

/** A cell that should hold a number does not parse in the configured locale. */
export class NumberFormatError extends ExchangeError {
  override name = 'NumberFormatError';
  constructor(
    readonly raw: string,
    readonly locale: string,
    detail: string,
  ) {
    super(`"${raw}" is not a number in locale ${locale}: ${detail}`, {
      hint: 'check the number locale of the mapping (en, en-IN, pl) and its missing markers',
    });
  }
}

/** A date text does not match its declared format or names an impossible day. */
export class DateFormatError extends ExchangeError {
  override name = 'DateFormatError';
  constructor(
    readonly raw: string,
    readonly format: string,
  ) {
    super(`"${raw}" is not a valid date in format ${format}`, {
      hint: 'check the date format of the mapping or pass --date YYYY-MM-DD',
    });
  }
}
