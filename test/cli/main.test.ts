// The dispatcher: command list, unknown commands and flags, exit codes 0/2, one-line errors.
import assert from 'node:assert/strict';
import { missingPackage } from '../../cli/run.ts';
import { runCli } from '../helpers/spawn.ts';

describe('exchange (dispatcher)', function () {
  this.timeout(30_000);

  it('--help lists every command and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const cmd of ['parse', 'ingest', 's3', 'serve', 'synth', 'start']) {
      assert.match(r.stdout, new RegExp(`^  ${cmd} `, 'm'));
    }
  });

  it('no command prints the usage and exits 2', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^Usage: exchange <command>/);
  });

  it('an unknown command is one stderr line and exit 2', async () => {
    const r = await runCli(['deploy']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'exchange: unknown command "deploy" — run "exchange --help" for the list\n');
  });

  it('backfill --file of a missing file is one line naming it and the fix, exit 1 (not "unexpected error")', async () => {
    const r = await runCli(['backfill', '--source', 'dse', '--bucket', 'b', '--file', 'no/such/page.html']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'exchange backfill: cannot read page "no/such/page.html": no such file — check the path and permissions\n',
    );
  });

  it('an unknown flag is a usage error naming the flag, exit 2', async () => {
    const r = await runCli(['serve', '--colour', 'blue']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^exchange serve: .*--colour.* — run "exchange serve --help"\n$/);
  });

  it('every command answers --help with its usage on stdout and exit 0', async () => {
    for (const cmd of ['parse', 'ingest', 's3', 'serve', 'synth', 'start']) {
      const r = await runCli([cmd, '--help']);
      assert.equal(r.code, 0, cmd);
      assert.match(r.stdout, new RegExp(`^Usage: exchange ${cmd}`), cmd);
      assert.equal(r.stderr, '', cmd);
    }
  });
});

describe('exchange (dispatcher) in the production image', () => {
  it('names the package a dev-only command lacks (npm ci --omit=dev), not an "unexpected error"', async () => {
    // The real error Node raises when the image runs `synth` without @pulumi/pulumi installed.
    const err: unknown = await import('@pulumi/not-installed-in-the-image' as string).catch(
      (e: unknown) => e,
    );
    assert.equal(
      missingPackage(err),
      '@pulumi/not-installed-in-the-image',
      'a missing package must be reported as a missing install with the fix, not as a bug',
    );
    assert.equal(
      missingPackage(new Error("Cannot find package 'x'")),
      undefined,
      'only ERR_MODULE_NOT_FOUND',
    );
  });
});
