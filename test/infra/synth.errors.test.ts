// synth's failures are one line naming the file to fix (issue 16 §5): an error thrown inside an apply (the
// target-group guard) instead of an unhandled rejection, a shared-stack key the program never reads (what
// `pulumi config set` stores without --path), and a bad value in the *other* colour's file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { parseEnvironmentConfig } from '../../infra/environment/config.ts';
import { rejectUnknownSharedKeys, SharedConfigError } from '../../infra/shared/configFields.ts';
import { crossStackViolations, OtherStackError } from '../../infra/synth/guardrails.ts';
import { environmentsOfStackFile, resolveReferences } from '../../infra/synth/references.ts';
import { loadStackConfig, parseStackConfig, StackConfigError } from '../../infra/synth/stackConfig.ts';
import { defaultStackFile, isConfigError, synthesize } from '../../infra/synth/synth.ts';
import { stackFileConfig } from './environment.helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('synth: errors name the file to fix', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'synth-errors-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const synthCli = (stack: 'green' | 'shared', edit: (c: Record<string, unknown>) => void) => {
    const cfg = loadStackConfig(defaultStackFile(stack));
    edit(cfg);
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ config: cfg }));
    return spawnSync(
      process.execPath,
      ['bin/exchange.js', 'synth', '--stack', stack, '--config', join(dir, 'c.json'), '--allow-placeholders'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'error' } },
    );
  };

  it('allowTargetGroupReplacement while the shared stack forwards to the colour: exit 2, one line, no stack trace', () => {
    const r = synthCli('green', (c) => (c['exchange:allowTargetGroupReplacement'] = true));
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
    assert.match(
      r.stderr,
      /allowTargetGroupReplacement is true but the shared listener still forwards to green/,
    );
    assert.doesNotMatch(r.stderr, /error serializing property|Pulumi runtime detected|\n\s+at /);
  });

  it('the stand-in shared stack forwards to the colours the committed shared file lists', () => {
    mkdirSync(join(dir, 'infra/shared'), { recursive: true });
    writeFileSync(
      join(dir, 'infra/shared/Pulumi.shared.yaml'),
      'config:\n  aws:region: eu-west-1\n  exchange-shared:environments:\n    - blue\n',
    );
    assert.deepEqual(environmentsOfStackFile(join(dir, 'infra/shared/Pulumi.shared.yaml')), ['blue']);
    assert.deepEqual(environmentsOfStackFile(join(dir, 'missing.yaml')), []);
    const outputs = resolveReferences(
      { 'aws:region': 'eu-west-1', 'exchange:sharedStack': 'organization/exchange-shared/shared' },
      'Pulumi.green.yaml',
      `${dir}/`,
    );
    assert.deepEqual(outputs['organization/exchange-shared/shared']?.forwardedColors, ['blue']);
  });

  it('a synth after such a failure runs normally (the runtime is reset)', async () => {
    const config = {
      ...loadStackConfig(defaultStackFile('green')),
      'exchange:allowTargetGroupReplacement': true,
    };
    await assert.rejects(synthesize('green', config), (e: unknown) => isConfigError(e));
    const resources = await synthesize('green', loadStackConfig(defaultStackFile('green')));
    assert.ok(resources.some((r) => r.type === 'aws:ecs/service:Service'));
  });

  it('a shared key stored without --path (weights.green) is refused with the --path fix', () => {
    const r = synthCli('shared', (c) => (c['exchange-shared:weights.green'] = 10));
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /exchange-shared:weights\.green = "10" is invalid; allowed: only keys this project reads/,
    );
    assert.match(r.stderr, /pulumi config set --path 'weights\.green' <value>/);
  });

  it('an unknown shared key is refused (a typo), a known one is not', () => {
    assert.throws(
      () => rejectUnknownSharedKeys({ 'exchange-shared:natStratgy': 'none', 'aws:region': 'eu-west-1' }),
      (e: unknown) =>
        e instanceof SharedConfigError && /no such key \(typo\?\); the keys are weights/.test(e.message),
    );
    rejectUnknownSharedKeys({ 'exchange-shared:natStrategy': 'none', 'aws:region': 'eu-west-1' });
  });

  it('a colour key stored without --path names the --path fix too', () => {
    assert.throws(
      () =>
        parseEnvironmentConfig(
          { ...stackFileConfig('green'), 'exchange:testRouteSourceCidrs[0]': '198.51.100.0/24' },
          'green',
        ),
      (e: unknown) =>
        e instanceof EnvironmentArgError &&
        /pulumi config set --path 'testRouteSourceCidrs\[0\]' <value>/.test(e.oneLine()),
    );
  });

  it('a bad value in Pulumi.blue.yaml is reported against Pulumi.blue.yaml by synth --stack green', async () => {
    const blue = join(dir, 'Pulumi.blue.yaml');
    writeFileSync(
      blue,
      JSON.stringify({ config: { ...loadStackConfig(defaultStackFile('blue')), 'exchange:cpu': 300 } }),
    );
    const green = await synthesize('green', loadStackConfig(defaultStackFile('green')));
    await assert.rejects(
      crossStackViolations('green', green, (s) => (s === 'blue' ? blue : defaultStackFile(s))),
      (e: unknown) =>
        e instanceof OtherStackError &&
        e.file === blue &&
        e.configError &&
        e.message.includes(`synthesizes blue from ${blue}`) &&
        /exchange:cpu: 300 is not allowed/.test(e.message),
    );
  });

  describe('secrets a CI checkout can decrypt', () => {
    const secret = '  exchange:testRouteSecret:\n    secure: v1:bm9uY2U=:Y2lwaGVy\n';
    const file = (head: string) => `${head}config:\n  aws:region: eu-west-1\n${secret}`;
    it('refuses a secure value without the encryptionsalt it was encrypted under', () =>
      assert.throws(
        () => parseStackConfig(file(''), 'Pulumi.green.yaml'),
        (e: unknown) =>
          e instanceof StackConfigError &&
          /^Pulumi\.green\.yaml: exchange:testRouteSecret is encrypted \(secure:\) but the file has no encryptionsalt/.test(
            e.message,
          ) &&
          /commit the stack file exactly as pulumi config set --secret left it/.test(e.message),
      ));
    it('accepts it with the salt, or with a cloud provider and its encryptedkey', () => {
      parseStackConfig(file('encryptionsalt: v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy\n'), 'f');
      parseStackConfig(file('secretsprovider: awskms://alias/exchange\nencryptedkey: ZW5j\n'), 'f');
    });
    it('a cloud provider without its encryptedkey is refused, naming encryptedkey', () =>
      assert.throws(
        () => parseStackConfig(file('secretsprovider: awskms://alias/exchange\n'), 'f'),
        /no encryptedkey/,
      ));
    it('the committed stack files (no secrets, no salt) pass', () => {
      for (const stack of ['blue', 'green', 'shared'] as const) loadStackConfig(defaultStackFile(stack));
    });
  });
});
