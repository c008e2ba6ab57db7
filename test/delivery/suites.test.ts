// Two suites, told apart by the file name alone: `npm test` runs test/**/*.test.ts, `npm run test:system`
// runs test/**/*.system.ts (whole-system tests: real processes, the router's real health-check intervals,
// minutes on two cores). A file with tests under any other name would run in neither; a suite that CI or
// the pipeline forgot would never run.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
  .scripts;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : filesUnder(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** A file that declares tests: a describe() or it() at the start of a line. */
const declaresTests = (path: string): boolean => /^\s*(describe|it)\(/m.test(readFileSync(path, 'utf8'));

describe('test suites: every test file runs in exactly one suite, and CI runs both', () => {
  it('a file that declares tests is named *.test.ts or *.system.ts', () => {
    const stray = filesUnder('test').filter(
      (f) => declaresTests(f) && !f.endsWith('.test.ts') && !f.endsWith('.system.ts'),
    );
    assert.deepEqual(stray, [], `rename to .test.ts (npm test) or .system.ts (npm run test:system)`);
  });

  it('npm test and test:junit take *.test.ts; test:system and its JUnit twin *.system.ts', () => {
    for (const name of ['test', 'test:junit'])
      assert.match(
        scripts[name] ?? '',
        /mocha 'test\/\*\*\/\*\.test\.ts'/,
        `${name} must run test/**/*.test.ts`,
      );
    for (const name of ['test:system', 'test:system:junit'])
      assert.match(
        scripts[name] ?? '',
        /mocha 'test\/\*\*\/\*\.system\.ts'/,
        `${name} must run test/**/*.system.ts`,
      );
    assert.ok(
      filesUnder('test').some((f) => f.endsWith('.system.ts')),
      'the system suite is not empty',
    );
  });

  it('.ci/run runs both suites; the pipeline has a job for each, and the image build needs both', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    assert.match(ci, /^npm test$/m, '.ci/run must run npm test');
    assert.match(ci, /^npm run test:system$/m, '.ci/run must run npm run test:system');
    const jobs = load(readFileSync('.gitlab-ci.yml', 'utf8')) as Record<
      string,
      { script?: string[]; needs?: string[] }
    >;
    assert.ok(
      jobs['unit-tests']?.script?.includes('npm run test:junit'),
      'unit-tests runs npm run test:junit',
    );
    assert.ok(
      jobs['system-tests']?.script?.includes('npm run test:system:junit'),
      'system-tests runs npm run test:system:junit',
    );
    for (const job of ['unit-tests', 'system-tests'])
      assert.ok(jobs['build-image']?.needs?.includes(job), `build-image must need ${job}`);
  });
});
