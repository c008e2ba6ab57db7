// The production image installs `dependencies` only (npm ci --omit=dev): they must be exactly the
// packages `serve` and `ingest` load at run time, found by walking the static imports from the CLI.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const ENTRIES = ['cli/main.ts', 'cli/commands/serve.ts', 'cli/commands/ingest.ts'];
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Bare package names reachable from `entries` through value imports (type-only imports erase). */
export function runtimePackages(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec = ''] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (spec.startsWith('.')) queue.push(normalize(join(dirname(file), spec)));
      else if (!spec.startsWith('node:'))
        packages.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec),
        );
    }
  }
  return packages;
}

describe('production dependencies', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };

  it('are exactly what serve and ingest import at run time (everything else is a devDependency)', () => {
    const used = [...runtimePackages(ENTRIES)].sort();
    const declared = Object.keys(pkg.dependencies).sort();
    for (const p of used)
      assert.ok(
        declared.includes(p),
        `serve/ingest import ${p}: move it to "dependencies" or the image fails to start`,
      );
    for (const p of declared)
      assert.ok(
        used.includes(p),
        `${p} is a production dependency but serve/ingest never import it: move it to devDependencies`,
      );
  });

  it('commands behind the lazy registry (synth: Pulumi) stay out of the image', () => {
    const synth = runtimePackages(['infra/synth/synth.ts']);
    assert.ok(synth.has('@pulumi/pulumi'), 'the walk follows relative imports into infra/');
    assert.ok(
      !runtimePackages(ENTRIES).has('@pulumi/pulumi'),
      'serve/ingest must not load Pulumi: keep registry imports dynamic',
    );
  });
});
