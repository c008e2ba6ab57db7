// CLI dispatcher: picks the command, parses flags, maps errors to one stderr line and an exit code.
// 0 success, 1 failure, 2 usage error. Only this module and the entry print errors.
import { ExchangeError } from '../lib/errors.ts';
import { createLogger } from '../lib/log.ts';
import { appInfo } from '../ingest/run/version.ts';
import { parentExit } from '../lib/parentWatch.ts';
import { parseCommandArgs, type CommandContext } from './command.ts';
import { COMMANDS } from './registry.ts';

function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: exchange <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "exchange <command> --help" for the flags of one command; "exchange --version" for the version.',
    'Exit codes: 0 success, 1 failure, 2 usage error. Logs are JSON lines on stderr.',
    '',
  ].join('\n');
}

/**
 * The package a failed dynamic import could not find, or undefined. The image installs only what
 * serve and ingest load (npm ci --omit=dev), so dev-only commands (synth, shift, start, deploy-check…)
 * fail this way in the image; that is a missing install, not a bug to report.
 */
export function missingPackage(err: unknown): string | undefined {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND')
    return undefined;
  return /Cannot find package '([^']+)'/.exec(err.message)?.[1];
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve(sig));
  });
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`exchange ${appInfo(process.env).version}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`exchange: unknown command "${name}" — run "exchange --help" for the list\n`);
    return 2;
  }
  try {
    const cmd = await entry.load();
    const { values, positionals, help } = parseCommandArgs(cmd, rest);
    if (help) {
      process.stdout.write(cmd.help.endsWith('\n') ? cmd.help : `${cmd.help}\n`);
      return 0;
    }
    const ctx: CommandContext = {
      log: createLogger({ base: { cmd: name } }),
      stdout: (text) => process.stdout.write(text),
      env: process.env,
      stopSignal: cmd.stopsWithParent ? Promise.race([stopSignal(), parentExit()]) : stopSignal(),
    };
    return (await cmd.run(values, positionals, ctx)) ?? 0;
  } catch (err) {
    if (err instanceof ExchangeError) {
      // Modules often name the command themselves ("ingest: …"); print that prefix once.
      const line = err.oneLine().replace(new RegExp(`^${name}: `), '');
      process.stderr.write(`exchange ${name}: ${line}\n`);
      return err.exitCode;
    }
    const pkg = missingPackage(err);
    if (pkg !== undefined) {
      process.stderr.write(
        `exchange ${name}: needs the package ${pkg}, which this install lacks (the production image carries ` +
          'only what serve and ingest load) — run it from a checkout after "npm ci"\n',
      );
      return 1;
    }
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    process.stderr.write(`exchange ${name}: unexpected error: ${msg.split('\n')[0]} — please report it\n`);
    if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
