// The one error type the component and the stack config raise: it names the argument, the bad
// value and what is allowed, so a failed preview says how to fix it without reading the code.
// Infra may not import lib/ (it shares only contract/ with the app), so this mirrors the shape of
// lib/errors.ts ExchangeError (hint, oneLine(), exitCode 2 like ConfigError).

export class EnvironmentArgError extends Error {
  override name = 'EnvironmentArgError';
  readonly exitCode = 2;

  constructor(
    /** The argument or config key, e.g. `cpu` or `exchange:cpu`. */
    readonly arg: string,
    /** The rejected value, as given. */
    readonly value: unknown,
    /** What is allowed, in words or as a list. */
    readonly allowed: string,
    readonly hint?: string,
  ) {
    super(`${arg}: ${JSON.stringify(value) ?? String(value)} is not allowed; allowed: ${allowed}`);
  }

  oneLine(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }

  /** Same error under another name, e.g. the component arg `cpu` reported as config key `exchange:cpu`. */
  renamed(arg: string): EnvironmentArgError {
    return new EnvironmentArgError(arg, this.value, this.allowed, this.hint);
  }
}
