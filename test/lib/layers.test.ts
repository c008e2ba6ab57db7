// The shape of the house: imports run downwards only. Each top-level part has a rank; a file may import
// its own part and any part of lower rank, never a higher one, so no two parts form a loop. Shared types
// live in contract/ (plain constants and types both halves agree on) or lib/ (helpers with no app logic).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Lowest first. `release/state` is its own part: the durable documents the shift and the stacks share. */
const LAYERS = [
  'lib',
  'contract',
  'site',
  'ingest',
  'serve',
  'components',
  'release/state',
  'infra',
  'shift',
  'release',
  'local',
  'ci',
  'cli',
  'bin',
] as const;

/** Tests and benchmarks sit above everything and may import any part. */
const UNRANKED = ['test/', 'bench/'];

/** Within shift/, the controller decides and drivers act: nothing outside drivers/ imports a driver. */
const CONTROLLER_MAY_NOT_IMPORT = [/^shift\/drivers\//];

const root = resolve(import.meta.dirname, '../..');

function partOf(file: string): string | undefined {
  return [...LAYERS].sort((a, b) => b.length - a.length).find((l) => file === l || file.startsWith(`${l}/`));
}

function sourceFiles(): string[] {
  const out = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.js'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return out
    .split('\n')
    .filter((f) => f !== '' && !UNRANKED.some((u) => f.startsWith(u)) && !f.includes('node_modules/'))
    .filter((f) => partOf(f) !== undefined);
}

/** Relative imports of one file (static, dynamic and re-exports), as repository paths. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(resolve(root, file), 'utf8'), true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(root, resolve(root, dirname(file), s)));
}

describe('layout: imports run downwards only', () => {
  const files = sourceFiles();

  it('finds the parts it ranks (a renamed folder must be ranked again)', () => {
    for (const layer of LAYERS.filter((l) => l !== 'bin'))
      assert.ok(
        files.some((f) => partOf(f) === layer),
        `no file found in ${layer}/: rename it in LAYERS`,
      );
  });

  it('no file imports a part ranked above its own', () => {
    const up: string[] = [];
    for (const file of files) {
      const from = partOf(file) as string;
      for (const target of importsOf(file)) {
        const to = partOf(target);
        if (to === undefined || to === from) continue;
        if (LAYERS.indexOf(to as (typeof LAYERS)[number]) > LAYERS.indexOf(from as (typeof LAYERS)[number]))
          up.push(`${file} imports ${target} (${from} → ${to} points upwards)`);
      }
    }
    assert.deepEqual(
      up,
      [],
      `move what both need into a lower part (contract/ for shared types and constants, lib/ for helpers):\n${up.join('\n')}`,
    );
  });

  it('the shift controller never imports a driver (drivers implement shift/port.ts)', () => {
    const bad = files
      .filter((f) => f.startsWith('shift/') && !f.startsWith('shift/drivers/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((t) => CONTROLLER_MAY_NOT_IMPORT.some((re) => re.test(t)))
          .map((t) => `${f} → ${t}`),
      );
    assert.deepEqual(bad, [], `put what the controller needs in shift/port.ts:\n${bad.join('\n')}`);
  });

  it('the data path and the shift controller never import Pulumi; the infrastructure never imports app code', () => {
    // Only the AWS shift driver may run the Automation API (shift/drivers/pulumiStack.ts).
    const app = ['ingest', 'serve', 'site'];
    const bad: string[] = [];
    for (const file of files) {
      const part = partOf(file) as string;
      const specifiers = ts
        .preProcessFile(readFileSync(resolve(root, file), 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName);
      const controller = part === 'shift' && !file.startsWith('shift/drivers/');
      if ((app.includes(part) || controller) && specifiers.some((s) => s.startsWith('@pulumi/')))
        bad.push(`${file} imports Pulumi`);
      if (['components', 'infra'].includes(part))
        for (const t of importsOf(file))
          if (['ingest', 'serve', 'site', 'shift', 'local'].includes(partOf(t) ?? ''))
            bad.push(`${file} imports app code ${t}`);
    }
    assert.deepEqual(bad, [], bad.join('\n'));
  });
});
