import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mirrorFromSources } from './container/aptMirror.ts';
import { baseKey, cacheFresh, type BaseSpec } from './container/baseImage.ts';
import { pinnedBase, stepImageIds } from './container/image.ts';
import { sbomMismatch } from './container/sbomCheck.ts';

const DEB822 = `Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main
`;

describe('container test: base image inputs', () => {
  it('takes the Debian mirror from deb822 sources, skipping security, updates and deb-src', () => {
    assert.equal(mirrorFromSources(DEB822, 'bookworm'), 'http://mirror.example/debian');
  });

  it('takes the mirror from one-line sources.list, with or without options', () => {
    const text = '# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main\n';
    assert.equal(mirrorFromSources(text, 'bookworm'), 'http://one.example/debian');
    assert.equal(
      mirrorFromSources(text, 'trixie'),
      undefined,
      'a suite the machine has no source for gives none',
    );
  });

  it('builds the stand-in for the exact Node version and suite the Dockerfile pins', () => {
    const pinned = pinnedBase(readFileSync('Dockerfile', 'utf8'));
    assert.match(pinned.nodeVersion, /^24\.\d+\.\d+$/, 'the Dockerfile must pin Node 24 LTS');
    assert.throws(
      () => pinnedBase('ARG NODE_IMAGE=node:24-slim\nFROM ${NODE_IMAGE}\n'),
      /has no "ARG NODE_IMAGE/,
    );
  });

  const spec: BaseSpec = {
    suite: 'bookworm',
    mirror: 'http://m/debian',
    nodeVersion: '24.1.0',
    npmVersion: '11.0.0',
  };
  const now = new Date('2026-12-01T00:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it('reuses a cached base only when made from the same inputs and under a week old', () => {
    assert.equal(cacheFresh(spec, baseKey(spec), daysAgo(1), now), true);
    assert.equal(
      cacheFresh(spec, baseKey(spec), daysAgo(8), now),
      false,
      'a week-old base misses security updates: rebuild',
    );
    assert.equal(
      cacheFresh(spec, baseKey({ ...spec, nodeVersion: '24.2.0' }), daysAgo(1), now),
      false,
      'a Node bump must rebuild',
    );
    assert.equal(
      cacheFresh(spec, baseKey({ ...spec, mirror: 'http://other/debian' }), daysAgo(1), now),
      false,
    );
    assert.equal(
      cacheFresh({ ...spec, maxAgeDays: 0 }, baseKey(spec), daysAgo(0), now),
      false,
      '--fresh (max age 0) always rebuilds',
    );
  });

  it("keeps the last build's step images (cache hits included) as the layer cache", () => {
    const out = [
      '[1/3] STEP 1/4: FROM localhost/base AS build',
      'STEP 2/4: WORKDIR /app',
      `--> Using cache ${'a'.repeat(64)}`,
      '--> aaaaaaaaaaa',
      'STEP 3/4: RUN npm run build',
      '--> 0123456789a',
      'Successfully tagged localhost/exchange:t',
    ].join('\n');
    assert.deepEqual(stepImageIds(out), ['a'.repeat(64), 'aaaaaaaaaaa', '0123456789a']);
  });

  it('the image must hold exactly the SBOM’s packages: a missing or an extra one is named', () => {
    const sbom = ['@aws-sdk/core@3.981.2', 'got@14.6.5'];
    assert.deepEqual(sbomMismatch(sbom, [...sbom].reverse()), []);
    assert.deepEqual(sbomMismatch(sbom, ['got@14.6.5']), [
      '@aws-sdk/core@3.981.2 is in the SBOM but not in the image',
    ]);
    assert.deepEqual(sbomMismatch(sbom, [...sbom, 'typescript@6.0.3']), [
      'typescript@6.0.3 is in the image but not in the SBOM',
    ]);
    assert.deepEqual(sbomMismatch(sbom, ['@aws-sdk/core@3.981.1', 'got@14.6.5']), [
      '@aws-sdk/core@3.981.1 is in the image but not in the SBOM',
      '@aws-sdk/core@3.981.2 is in the SBOM but not in the image',
    ]);
  });
});
