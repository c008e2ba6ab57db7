// The Automation API adapter against a fake `pulumi` binary: the exact CLI calls, and clear errors.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverError } from '../../shift/errors.ts';
import { listenerOnly, selectStack } from '../../shift/drivers/pulumiStack.ts';
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

  it('with target, up passes --target <urn> (the Automation API option) and no --target-dependents', async () => {
    const stack = await selectStack({ workDir, stackName: 'shared', pulumiRoot: fake.root });
    const urn = 'urn:pulumi:shared::exchange-shared::aws:lb/listener:Listener::exchange-https';
    await listenerOnly(stack, { listenerUrn: urn }).up();
    const ups = (await fake.calls()).filter((c) => /^up /.test(c));
    assert.equal(ups.length, 1);
    assert.ok(ups[0]?.startsWith(`up --yes --skip-preview --target ${urn} `), ups[0]);
    assert.doesNotMatch(ups[0] ?? '', /--target-dependents|--exclude/);
  });

  it('a shared stack without a listener URN output is refused before any up, with the fix', async () => {
    const stack = await selectStack({ workDir, stackName: 'shared', pulumiRoot: fake.root });
    for (const outputs of [
      {},
      { listenerUrn: 'urn:pulumi:shared::exchange-shared::aws:lb/loadBalancer:LoadBalancer::exchange-alb' },
      { listenerUrn: 'exchange-http' },
    ])
      assert.throws(
        () => listenerOnly(stack, outputs),
        (e: unknown) =>
          e instanceof DriverError &&
          /exports no listener URN \(output "listenerUrn"/.test(e.message) &&
          /deploy-shared/.test(e.hint ?? ''),
      );
    assert.ok(!(await fake.calls()).some((c) => /^up /.test(c)), 'nothing may be applied');
    const nested = 'urn:pulumi:shared::exchange-shared::exchange:index:Alb$aws:lb/listener:Listener::main';
    assert.equal(listenerOnly(stack, { listenerUrn: nested }).listenerUrn, nested);
  });
});
