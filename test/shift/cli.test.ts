// `exchange shift` on the command line as a new user types it: missing or wrong arguments are one line
// saying what to type, and no Pulumi CLI on the machine says so and how to run without AWS.
import assert from 'node:assert/strict';
import shiftCommand, { parseVerbOptions } from '../../cli/commands/shift.ts';
import { parseCommandArgs } from '../../cli/command.ts';
import { UsageError } from '../../lib/errors.ts';
import { selectStack } from '../../shift/drivers/pulumiStack.ts';
import { DriverError } from '../../shift/errors.ts';
import { errorLines, runCli } from '../helpers/spawn.ts';

const ctx = {
  log: { debug() {}, info() {}, warn() {}, error() {} },
  stdout: () => undefined,
  env: {},
  stopSignal: new Promise<string>(() => undefined),
};

function usage(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.match(e.oneLine(), pattern);
    return true;
  });
}

describe('exchange shift: arguments', () => {
  it('no verb: says a verb is needed and lists them', async () => {
    await assert.rejects(shiftCommand.run({}, [], ctx as never), (e: UsageError) => {
      assert.match(
        e.oneLine(),
        /^shift: which verb\? plan, start, status, pause, resume, promote, abort or reset/,
      );
      assert.doesNotMatch(e.oneLine(), /""/);
      return true;
    });
  });

  it('two verbs or an unknown one: named', async () => {
    await assert.rejects(shiftCommand.run({}, ['rollout'], ctx as never), /"rollout" is not a verb/);
    await assert.rejects(
      shiftCommand.run({}, ['start', 'now'], ctx as never),
      /one verb at a time, got "start now"/,
    );
  });

  it('--to missing or wrong: says it is required and what it takes, never "got null"', () => {
    usage(
      () => parseVerbOptions('start', {}),
      /^start: --to is required: blue or green — e\.g\. exchange shift start --to green/,
    );
    usage(() => parseVerbOptions('reset', {}), /^reset: --to is required: blue or green/);
    usage(
      () => parseVerbOptions('plan', { to: 'red' }),
      /^plan: --to "red" is not a colour: use blue or green/,
    );
  });

  it('--bake -1 is a bad duration, not an "ambiguous argument"', () => {
    const { values } = parseCommandArgs(shiftCommand, ['plan', '--to', 'green', '--bake', '-1']);
    assert.equal(values.bake, '-1');
    assert.throws(
      () => parseVerbOptions('plan', values),
      (e: Error & { oneLine(): string }) => /duration "-1" is not understood/.test(e.oneLine()),
    );
    usage(() => parseCommandArgs(shiftCommand, ['plan', '--bake', '--to']), /--bake/);
  });

  it('no Pulumi CLI: says it is missing, how to install or point at it, and --local for the local system', async () => {
    await assert.rejects(
      selectStack({ workDir: '.', stackName: 'shared', pulumiRoot: '/nonexistent' }),
      (e: unknown) => {
        assert.ok(e instanceof DriverError);
        assert.match(e.oneLine(), /the pulumi CLI was not found \(\/nonexistent\/bin\/pulumi\)/);
        assert.match(e.oneLine(), /--pulumi-root/);
        return true;
      },
    );
    const r = await runCli(['shift', 'status'], { PATH: '/usr/bin:/bin' });
    const line = errorLines(r.stderr).join('\n');
    assert.equal(r.code, 1, line);
    assert.match(line, /pulumi CLI was not found .*"exchange shift status --local"/);
    assert.doesNotMatch(line, /spawn pulumi ENOENT —/);
  });
});
