// The mutation run's two lists agree: Stryker's TypeScript checker refuses a mutant in a file its tsconfig
// does not include ("no watcher is registered for it") and stops the whole run, so tsconfig.mutation.json
// includes exactly the files stryker.config.json mutates. Each pattern must still match a file, so a rename
// cannot leave a mutate entry (or a test spec) that silently selects nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface StrykerConfig {
  mutate: string[];
  tsconfigFile: string;
  mochaOptions: { spec: string[] };
}
const stryker = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as StrykerConfig;
const tsconfig = JSON.parse(readFileSync(stryker.tsconfigFile, 'utf8')) as { include: string[] };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** A glob with `**`, `*` and `{a,b}` as a RegExp over repository paths. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const TOP = ['shift', 'ingest', 'serve', 'release', 'components', 'test'];
const repoFiles = TOP.flatMap((d) => files(d));

describe('mutation testing configuration (stryker.config.json, tsconfig.mutation.json)', () => {
  it('globRegExp reads the patterns as Stryker and tsc do', () => {
    assert.ok(globRegExp('shift/judge/**/*.ts').test('shift/judge/judge.ts'));
    assert.ok(globRegExp('shift/judge/**/*.ts').test('shift/judge/a/b.ts'));
    assert.ok(!globRegExp('shift/*.ts').test('shift/judge/judge.ts'));
    assert.ok(globRegExp('test/{a,b}/*.test.ts').test('test/b/x.test.ts'));
  });

  it('the checker project includes exactly what Stryker mutates', () => {
    assert.deepEqual(
      tsconfig.include,
      stryker.mutate,
      `make ${stryker.tsconfigFile} "include" the same list as stryker.config.json "mutate"`,
    );
  });

  it('every mutate pattern and every test spec matches a file', () => {
    for (const pattern of [...stryker.mutate, ...stryker.mochaOptions.spec]) {
      const re = globRegExp(pattern);
      assert.ok(
        repoFiles.some((f) => re.test(f)),
        `${pattern} in stryker.config.json matches no file: fix or remove it`,
      );
    }
  });
});
