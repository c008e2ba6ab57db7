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

/**
 * The page nests elements deeper than any real quotes page: htmlparser2 keeps open elements in an
 * array it `unshift`s, so parse time grows with the square of the depth (a 2 MB page of nested
 * elements took 43 s). Refused at the budget instead.
 */
export class NestingTooDeepError extends ExchangeError {
  override name = 'NestingTooDeepError';
  constructor(
    readonly source: string,
    readonly limit: number,
  ) {
    super(
      `${source}: page nests elements deeper than ${limit} levels; refused (real quotes pages nest < 100)`,
      {
        hint: 'check the URL returns the quotes page; a page this deep is broken or hostile',
      },
    );
  }
}

/** Deepest element nesting a page may have; real pages here nest under 40. */
export const MAX_NESTING_DEPTH = 512;

/**
 * Throws NestingTooDeepError when well-formed markup (XML) nests deeper than `limit`. Linear: one
 * pass over the tags, before a DOM parser whose cost grows with the square of the depth.
 */
export function checkXmlDepth(text: string, source: string, limit = MAX_NESTING_DEPTH): void {
  let depth = 0;
  const tag = /<(\/?)[A-Za-z_][^<>]*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[1]) depth--;
    else if (!m[2] && ++depth > limit) throw new NestingTooDeepError(source, limit);
  }
}
