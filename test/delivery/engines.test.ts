// package.json promises a Node version (engines.node); every installed package must accept it, or
// `npm ci` warns EBADENGINE and the promise is false (http-proxy-3 2.x wanted Node ≥ 22; 1.23.3, the
// last line for Node ≥ 18, keeps it). Checked against the lock file, so a new dependency cannot break it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import semver from 'semver';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
};

describe('engines', () => {
  it('the Node version package.json promises is one every locked package accepts', () => {
    const floor = semver.minVersion(pkg.engines.node);
    assert.ok(floor, `engines.node "${pkg.engines.node}" is not a range`);
    const refused = Object.entries(lock.packages)
      .filter(([path, p]) => {
        const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
        return path !== '' && range !== undefined && !semver.satisfies(floor, range);
      })
      .map(([path, p]) => `${path.replace(/^node_modules\//, '')} (node ${JSON.stringify(p.engines)})`);
    assert.deepEqual(
      refused,
      [],
      `these packages refuse Node ${floor.version}: pin a version that supports it, or raise engines.node to what the tests run on`,
    );
  });

  it('the tests run on a Node the promise covers', () => {
    assert.ok(semver.satisfies(process.versions.node, pkg.engines.node), `Node ${process.versions.node}`);
  });
});
