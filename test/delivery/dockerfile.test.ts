import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dockerfileProblems, dockerignoreProblems } from './dockerfileRules.ts';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const dockerignore = readFileSync('.dockerignore', 'utf8');

function mutated(from: string | RegExp, to: string): string {
  const out = dockerfile.replace(from, to);
  assert.notEqual(
    out,
    dockerfile,
    `the Dockerfile no longer contains ${String(from)}: update this test's mutation`,
  );
  return out;
}

function assertFlags(text: string, pattern: RegExp): void {
  const problems = dockerfileProblems(text);
  assert.ok(
    problems.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern}, got ${JSON.stringify(problems)}`,
  );
}

describe('Dockerfile', () => {
  it('follows every image rule (pinned ARG base, stages, non-root, exec form, labels, no secrets)', () => {
    assert.deepEqual(dockerfileProblems(dockerfile), [], 'fix the Dockerfile as each line says');
  });

  it('rejects a base that is not declared by ARG before the first FROM', () => {
    assertFlags(mutated(/^ARG NODE_IMAGE=.*$/m, ''), /no "ARG NODE_IMAGE/);
  });

  it('rejects a floating base tag', () => {
    assertFlags(mutated(/node:24\S*/, 'node:24-slim'), /not Node 24 pinned/);
    assertFlags(mutated(/node:24\S*/, 'node:latest'), /not Node 24 pinned/);
  });

  it('accepts the base pinned by version, by digest, or both', () => {
    const digest = `@sha256:${'a'.repeat(64)}`;
    for (const ref of ['node:24.1.2-bookworm-slim', `node:24.1.2-bookworm-slim${digest}`])
      assert.deepEqual(dockerfileProblems(mutated(/node:24\S*/, ref)), [], ref);
  });

  it('rejects a stage FROM an image other than the ARG', () => {
    assertFlags(
      mutated('FROM ${NODE_IMAGE} AS runtime', 'FROM node:24 AS runtime'),
      /bypasses the pinned base/,
    );
  });

  it('rejects running as root', () => {
    assertFlags(mutated(/^USER node$/m, ''), /runs as root/);
    assertFlags(mutated(/^USER node$/m, 'USER 0'), /runs as 0/);
  });

  it('rejects a shell-form ENTRYPOINT or CMD', () => {
    assertFlags(
      mutated(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node bin/exchange.js'),
      /ENTRYPOINT is missing or shell form/,
    );
    assertFlags(mutated(/^CMD .*$/m, 'CMD serve'), /CMD is missing or shell form/);
  });

  it('requires NODE_ENV=production and the OCI labels', () => {
    assertFlags(mutated('NODE_ENV=production', 'NODE_ENV=development'), /NODE_ENV=production/);
    assertFlags(
      mutated(/org\.opencontainers\.image\.revision/, 'x.revision'),
      /LABEL org\.opencontainers\.image\.revision/,
    );
  });

  it('rejects secrets in ENV, ARG or copied files', () => {
    assertFlags(mutated(/^ARG VERSION=/m, 'ARG NPM_TOKEN=\nARG VERSION='), /ARG NPM_TOKEN bakes a secret/);
    assertFlags(
      mutated('COPY package.json ./\nCOPY bin bin', 'COPY .npmrc ./\nCOPY bin bin'),
      /copies a credentials file/,
    );
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, .git, dist, state and env files out of the build context', () => {
    assert.deepEqual(dockerignoreProblems(dockerignore), []);
  });

  it('names each missing exclusion', () => {
    const without = dockerignore.replace(/^\.pulumi$/m, '');
    assert.deepEqual(dockerignoreProblems(without), [
      '.dockerignore does not exclude ".pulumi": add a line ".pulumi"',
    ]);
    assert.match(dockerignoreProblems(undefined)[0] ?? '', /missing/);
  });
});
