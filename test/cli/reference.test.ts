// Each command's flags, its --help and the README's command reference are one list: a flag a command
// accepts is described in its --help and shown in the README row for that command, with the same
// brackets (optional) or none (required) as the help's usage line — so neither drifts from the code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../cli/registry.ts';
import type { Command } from '../../cli/command.ts';
import { runCli } from '../helpers/spawn.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** Flags named in a usage text, each marked optional when inside [ ]. */
export function usageFlags(text: string): Map<string, 'optional' | 'required'> {
  const out = new Map<string, 'optional' | 'required'>();
  let depth = 0;
  for (const token of text.matchAll(/\[|\]|--[a-z][a-z0-9-]*/g)) {
    if (token[0] === '[') depth++;
    else if (token[0] === ']') depth = Math.max(0, depth - 1);
    else if (!out.has(token[0]) || depth === 0) out.set(token[0], depth > 0 ? 'optional' : 'required');
  }
  return out;
}

/** The usage lines of a help text (from "Usage:" to the first blank line). */
function usageOf(help: string): string {
  return help.slice(help.indexOf('Usage:')).split(/\n\s*\n/)[0] ?? '';
}

/** Flags listed in the help's "Flags:" section (a line starting with the flag, "-h, --help" included). */
function flagSection(help: string): Set<string> {
  const start = help.indexOf('\nFlags:\n');
  assert.ok(start >= 0, 'the help has a "Flags:" section');
  const out = new Set<string>();
  for (const line of help.slice(start + 8).split('\n')) {
    if (line.trim() === '') break;
    const m = /^\s{2}(?:-h, )?(--[a-z][a-z0-9-]*)(?:,\s*(--[a-z][a-z0-9-]*))?/.exec(line);
    if (m) for (const f of m.slice(1)) if (f) out.add(f);
  }
  return out;
}

/** The README command-reference row of a command (its first cell). */
function readmeRow(name: string): string {
  const section = README.slice(README.indexOf('## Command reference'));
  const row = section
    .split('\n')
    .find((l) => l.startsWith(`| \`exchange ${name} `) || l.startsWith(`| \`exchange ${name}\``));
  assert.ok(row, `README.md "Command reference" has no row for "exchange ${name}": add one`);
  return row.split(' | ')[0] ?? row;
}

describe('command reference: flags, --help and README agree', () => {
  for (const [name, entry] of Object.entries(COMMANDS)) {
    it(`${name}`, async () => {
      const cmd: Command = await entry.load();
      const options = new Set(Object.keys(cmd.options).map((o) => `--${o}`));
      const flags = flagSection(cmd.help);
      for (const o of options)
        assert.ok(flags.has(o), `${name} --help does not describe ${o}: add it under "Flags:"`);
      for (const f of flags) {
        if (f !== '--help')
          assert.ok(options.has(f), `${name} --help describes ${f}, which ${name} does not accept`);
      }
      const usage = usageFlags(usageOf(cmd.help));
      const row = usageFlags(readmeRow(name));
      for (const o of options) {
        assert.ok(
          row.has(o),
          `README's row for "exchange ${name}" lacks ${o}: add it (as in ${name} --help)`,
        );
        const inHelp = usage.get(o);
        if (inHelp) {
          assert.equal(
            row.get(o),
            inHelp,
            `${o} of ${name} is ${inHelp} in --help but ${row.get(o)} in README: use ${inHelp === 'optional' ? '[…]' : 'no brackets'} in both`,
          );
        }
      }
      for (const f of row.keys())
        assert.ok(
          options.has(f),
          `README's row for "exchange ${name}" names ${f}, which ${name} does not accept`,
        );
    });
  }

  it('usageFlags tells optional from required', () => {
    assert.deepEqual(
      [...usageFlags('exchange s3 --dir <dir> [--port <p>] [--bucket <name>]…')],
      [
        ['--dir', 'required'],
        ['--port', 'optional'],
        ['--bucket', 'optional'],
      ],
    );
  });

  it('exchange --version prints the version and exits 0', async function () {
    this.timeout(30_000);
    const r = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(r.stdout, `exchange ${pkg.version}\n`);
  });
});
