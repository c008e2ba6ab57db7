// A colour's serve process must not outlive the process that started it, however that one ends.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';
import { processAlive } from '../helpers/spawn.ts';

const PARENT = fileURLToPath(new URL('./fixtures/serveParent.ts', import.meta.url));

const until = async (ok: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
};

describe('serve child process', function () {
  this.timeout(20_000);
  let s3: TestS3;
  let dir: string;
  before(async () => {
    s3 = await startTestS3('orphan-test');
    dir = await mkdtemp(join(tmpdir(), 'exchange-serve-parent-'));
  });
  after(async () => {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops when its parent is SIGKILLed (no chance to clean up)', async () => {
    const pidFile = join(dir, 'serve.pid');
    // Run as a shell job is: its own process group, output to a file. With pipes to this test process
    // the orphan happened to die of a broken pipe, which hid the bug.
    const out = openSync(join(dir, 'parent.log'), 'w');
    const parent = spawn(process.execPath, ['--import', 'tsx', PARENT], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_NO_WARNINGS: '1',
        PID_FILE: pidFile,
        BUCKET: s3.bucket,
        S3_ENDPOINT: s3.server.endpoint,
      },
      stdio: ['ignore', out, out],
      detached: true,
    });
    closeSync(out);
    await until(() => existsSync(pidFile), 15_000);
    assert.ok(
      existsSync(pidFile),
      `the parent never started serve: ${readFileSync(join(dir, 'parent.log'), 'utf8')}`,
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(processAlive(pid));
    parent.kill('SIGKILL');
    await until(() => !processAlive(pid), 10_000);
    const orphan = processAlive(pid);
    if (orphan) process.kill(pid, 'SIGKILL');
    assert.equal(orphan, false, 'serve must not outlive a killed parent');
  });
});
