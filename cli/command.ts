// The CLI's command contract and argument helpers. Commands only parse and wire; logic lives in modules.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What every command receives from `main`. */
export interface CommandContext {
  /** Structured logger (stderr). */
  log: Logger;
  /** Data output (stdout). */
  stdout: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT); long-running commands await it. */
  stopSignal: Promise<string>;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text (usage, flags, environment). */
  help: string;
  options: OptionSpec;
  /** Allow positional arguments. @default false */
  positionals?: boolean;
  /**
   * Stop (stopSignal resolves with "parent-exit") when the process that started this one goes away:
   * for commands that own child processes, so none is left orphaned. Not for `serve`, which may be
   * started detached on purpose. @default false
   */
  stopsWithParent?: boolean;
  /** Returns the exit code (0 when omitted). Throw ExchangeError subclasses for failures. */
  run(values: Record<string, unknown>, positionals: string[], ctx: CommandContext): Promise<number | void>;
}

/** An AbortSignal that aborts with `reason(signal)` when the process is asked to stop (SIGTERM/SIGINT). */
export function abortOnStop(ctx: CommandContext, reason: (signal: string) => Error): AbortSignal {
  const stop = new AbortController();
  void ctx.stopSignal.then((sig) => stop.abort(reason(sig)));
  return stop.signal;
}

/**
 * `--bake -1` as `--bake=-1`: node's parseArgs refuses a value that starts with "-" as ambiguous, but a
 * negative number after a string flag is its value — the command then says what is wrong with it.
 */
function joinNegativeValues(cmd: Command, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const option = arg.startsWith('--') ? cmd.options[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

/** Parse argv for a command; unknown flags and missing values become UsageError (exit 2). */
export function parseCommandArgs(
  cmd: Command,
  argv: string[],
): { values: Record<string, unknown>; positionals: string[]; help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(cmd, argv),
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: cmd.positionals ?? false,
      strict: true,
    });
    const { help, ...rest } = values as Record<string, unknown>;
    return { values: rest, positionals, help: help === true };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${cmd.name}: ${msg.split('\n')[0]}`, { hint: `run "exchange ${cmd.name} --help"` });
  }
}

/** A required string flag, or a UsageError naming it. */
export function requireString(values: Record<string, unknown>, flag: string, cmd: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v === '') {
    throw new UsageError(`${cmd}: --${flag} is required`, { hint: `run "exchange ${cmd} --help"` });
  }
  return v;
}

/** An optional integer flag within [min, max], or a UsageError naming it. */
export function optionalInt(
  values: Record<string, unknown>,
  flag: string,
  cmd: string,
  range: { min: number; max: number },
): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < range.min || n > range.max) {
    throw new UsageError(`${cmd}: --${flag} "${String(v)}" is not an integer in ${range.min}–${range.max}`, {
      hint: `pass e.g. --${flag} ${range.min}`,
    });
  }
  return n;
}
