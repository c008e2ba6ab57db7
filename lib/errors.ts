// Typed error base: every failure a user can cause carries the problem and the fix, so `main`
// can print exactly one line and pick the exit code without parsing message text.

/** Base of every error the CLI reports as a one-line message (exit code 1 unless overridden). */
export class ExchangeError extends Error {
  override name = 'ExchangeError';
  /** Process exit code `main` uses for this error. */
  readonly exitCode: number = 1;
  /** How to fix it, appended to the one-line message. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }

  /** The single line printed on stderr: "problem — fix". */
  oneLine(): string {
    const msg = this.message.replace(/\s+/g, ' ').trim();
    return this.hint ? `${msg} — ${this.hint}` : msg;
  }
}

/** Bad command line: exit code 2. */
export class UsageError extends ExchangeError {
  override name = 'UsageError';
  override readonly exitCode = 2;
}

/** Bad configuration value (flag, env var, config file): exit code 2. */
export class ConfigError extends ExchangeError {
  override name = 'ConfigError';
  override readonly exitCode = 2;
}
