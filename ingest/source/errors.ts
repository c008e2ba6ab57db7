// Typed errors of the source adapters: layout changes, unknown sources, pages that carry no date.
import { ConfigError, ExchangeError } from '../../lib/errors.ts';

/** The page is not the layout its adapter expects (a required column or the table is missing). */
export class LayoutError extends ExchangeError {
  override name = 'LayoutError';
  constructor(
    readonly source: string,
    readonly missing: string[],
    detail: string,
  ) {
    super(`${source}: page layout changed: ${detail}`, {
      hint: `update the ${source} adapter or its mapping for the new layout (nothing was guessed)`,
    });
  }
}

/** `--source` / getSource() named an id no adapter has. Exit 2: it is a usage mistake. */
export class UnknownSourceError extends ConfigError {
  override name = 'UnknownSourceError';
  constructor(
    readonly id: string,
    readonly known: string[],
  ) {
    super(`unknown source "${id}"`, { hint: `use one of: ${known.join(', ')}` });
  }
}

/** No adapter recognized the page. */
export class UndetectedSourceError extends ExchangeError {
  override name = 'UndetectedSourceError';
  constructor(
    readonly known: string[],
    where?: string,
  ) {
    super(`no source adapter recognizes the page${where ? ` ${where}` : ''}`, {
      hint: `pass --source <id> (known: ${known.join(', ')}) or --mapping <file.json> for a new layout`,
    });
  }
}

/** More than one adapter claims the page: detection rules overlap, so refuse rather than pick one. */
export class AmbiguousSourceError extends ExchangeError {
  override name = 'AmbiguousSourceError';
  constructor(readonly matches: string[]) {
    super(`page matches several sources: ${matches.join(', ')}`, { hint: 'pass --source <id>' });
  }
}

/** The page has no trading date and the caller gave none. */
export class MissingDateError extends ExchangeError {
  override name = 'MissingDateError';
  constructor(readonly source: string) {
    super(`${source}: page carries no trading date`, { hint: 'pass --date YYYY-MM-DD' });
  }
}

/** A generic-table mapping is malformed. Exit 2: it is configuration. */
export class MappingError extends ConfigError {
  override name = 'MappingError';
  constructor(
    readonly path: string,
    problem: string,
    allowed?: string,
  ) {
    super(`mapping ${path}: ${problem}`, {
      hint: allowed ? `allowed: ${allowed}` : 'see ingest/source/mappings/*.json',
    });
  }
}

/**
 * The page was parsed with --source <named>, whose layout it does not have, but it is recognisably
 * another source's page: say which, rather than "update the <named> adapter".
 */
export class WrongSourceError extends ExchangeError {
  override name = 'WrongSourceError';
  constructor(
    readonly named: string,
    readonly detected: string,
    cause: unknown,
  ) {
    super(`the page is a ${detected} page, not ${named} (its layout is ${detected}'s)`, {
      cause,
      hint: `pass --source ${detected}, or leave --source out to detect it`,
    });
  }
  /** Parse failures are filed under the source the page was named for. */
  get source(): string {
    return this.named;
  }
}

/** The page is larger than the cap of the source that would parse it. */
export class PageTooLargeForSourceError extends ExchangeError {
  override name = 'PageTooLargeForSourceError';
  constructor(
    readonly source: string,
    readonly bytes: number,
    readonly maxBytes: number,
    kind: string,
  ) {
    super(`the page is ${bytes} bytes, larger than the ${maxBytes}-byte limit for ${kind}`, {
      hint: 'check it is the quotes page; a whole history needs a series source (e.g. --source ecb-hist), whose limit is larger',
    });
  }
}
