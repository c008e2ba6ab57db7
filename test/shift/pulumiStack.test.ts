// The Automation API adapter against a fake `pulumi` binary: the exact CLI calls, and clear errors.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverError } from '../../shift/errors.ts';
import { selectStack } from '../../shift/drivers/pulumiStack.ts';
import { createFakePulumi, type FakePulumi } from './fakePulumi.ts';

describe('pulumi stack adapter (fake CLI)', () => {
  let fake: FakePulumi;
  let workDir: string;
  beforeEach(async () => {
    fake = await createFakePulumi();
    workDir = await mkdtemp(join(tmpdir(), 'shift-proj-'));
    await writeFile(join(workDir, 'Pulumi.yaml'), 'name: exchange-shared\nruntime: nodejs\n');
  });
  afterEach(async () => {
    await fake.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('selects the existing stack (never creates one), runs up, reads outputs', async () => {
    await fake.setOutputs({ listenerArn: 'arn:l', url: 'http://alb' });
    const stack = await selectStack({ workDir, stackName: 'shared', pulumiRoot: fake.root });
    await stack.up();
    assert.deepEqual(await stack.outputs(), { listenerArn: 'arn:l', url: 'http://alb' });
    const calls = await fake.calls();
    assert.ok(
      calls.some((c) => /^stack select --stack shared\b/.test(c)),
      `stack select expected in ${calls.join(' | ')}`,
    );
    assert.ok(
      !calls.some((c) => /stack init|stack select .*--create/.test(c)),
      'a shift must never create a stack',
    );
    assert.ok(
      calls.some((c) => /^up --yes --skip-preview .*--stack shared/.test(c)),
      `up expected in ${calls.join(' | ')}`,
    );
    assert.ok(calls.some((c) => /^stack output --json --show-secrets .*--stack shared/.test(c)));
  });

  it('a failing up is one DriverError line with the CLI’s error', async () => {
    await fake.failUp('error: the stack is currently locked by 1 lock(s)');
    const stack = await selectStack({ workDir, stackName: 'shared', pulumiRoot: fake.root });
    await assert.rejects(
      stack.up(),
      (e: unknown) =>
        e instanceof DriverError &&
        /pulumi up --stack shared failed: .*locked/.test(e.message) &&
        !e.message.includes('\n'),
    );
  });

  it('a stack that does not exist fails at select with the fix', async () => {
    await fake.failSelect();
    await assert.rejects(
      selectStack({ workDir, stackName: 'shraed', pulumiRoot: fake.root }),
      (e: unknown) =>
        e instanceof DriverError &&
        /cannot select stack "shraed"/.test(e.message) &&
        /PULUMI_BACKEND_URL/.test(e.hint ?? ''),
    );
  });
});
