// Typed stack config: the real stack files parse to the expected values, defaults apply, and every
// bad value fails before any resource is registered, naming the key and the allowed values.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { DEFAULTS } from '../../components/exchangeEnvironment/args.ts';
import { AUTO_SCALING_DEFAULTS } from '../../components/exchangeEnvironment/scalingArgs.ts';
import { CONFIG_KEYS, parseEnvironmentConfig, type RawConfig } from '../../infra/environment/config.ts';
import { createMocks, installMocks, settle, type MockHarness } from '../../infra/testing/mocks.ts';
import { sharedStackOutputs } from '../../infra/testing/stackOutputs.ts';
import { stackFileConfig } from './environment.helpers.ts';

const SHARED = 'organization/exchange-shared/shared';

describe('environment config', () => {
  it('parses Pulumi.blue.yaml into typed config', () => {
    assert.deepEqual(parseEnvironmentConfig(stackFileConfig('blue'), 'blue'), {
      color: 'blue',
      image: 'ghcr.io/acme/exchange@sha256:3f8a1c0e9b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19',
      version: '0.1.0',
      stateBucket: 'acme-exchange-pulumi-state',
      statePrefix: 'exchange',
      source: 'dse',
      schedule: 'cron(30 15 ? * SUN-THU *)',
      scheduleTimezone: 'Asia/Dhaka',
      cpu: 256,
      memory: 512,
      desiredCount: 2,
      autoScaling: AUTO_SCALING_DEFAULTS,
      standbyTasks: 0,
      logRetentionDays: 30,
      maxDataAge: '96h',
      sharedStack: SHARED,
      alertEmail: '',
      allowTargetGroupReplacement: false,
      imagePublic: true,
      testRouteSourceCidrs: ['203.0.113.0/24'],
    });
  });

  it('Pulumi.yaml declares exactly the keys the program reads, with the same defaults', () => {
    type Decl = { type: string; description: string; default?: unknown };
    const project = load(readFileSync(new URL('../../Pulumi.yaml', import.meta.url), 'utf8')) as {
      name: string;
      main: string;
      runtime: { name: string; options: Record<string, unknown> };
      config: Record<string, Decl>;
    };
    assert.equal(project.name, 'exchange');
    assert.equal(project.main, 'infra/environment/index.ts');
    assert.deepEqual(project.runtime, {
      name: 'nodejs',
      options: { typescript: false, nodeargs: '--import tsx' },
    });
    assert.deepEqual(Object.keys(project.config).sort(), [...CONFIG_KEYS].sort());
    for (const [key, decl] of Object.entries(project.config)) assert.ok(decl.description.length > 20, key);
    const defaults = Object.fromEntries(
      Object.entries(project.config)
        .filter(([, d]) => 'default' in d)
        .map(([k, d]) => [k, d.default]),
    );
    assert.deepEqual(defaults, {
      scheduleTimezone: DEFAULTS.scheduleTimezone,
      cpu: DEFAULTS.cpu,
      memory: DEFAULTS.memory,
      desiredCount: DEFAULTS.desiredCount,
      minCapacity: AUTO_SCALING_DEFAULTS.minCapacity,
      maxCapacity: AUTO_SCALING_DEFAULTS.maxCapacity,
      requestsPerTaskPerMinute: AUTO_SCALING_DEFAULTS.requestsPerTaskPerMinute,
      targetCpuPercent: AUTO_SCALING_DEFAULTS.cpuPercent,
      scaleOutCooldownSeconds: AUTO_SCALING_DEFAULTS.scaleOutCooldownSeconds,
      scaleInCooldownSeconds: AUTO_SCALING_DEFAULTS.scaleInCooldownSeconds,
      standbyTasks: 0,
      logRetentionDays: DEFAULTS.logRetentionDays,
      maxDataAge: DEFAULTS.maxDataAge,
      registryCredentialsSecretArn: '',
      alertEmail: DEFAULTS.alertEmail,
      allowTargetGroupReplacement: false,
      imagePublic: false,
      testRouteSourceCidrs: [],
      testRouteSecret: '',
      statePrefix: '',
    });
  });

  it('applies defaults to the optional keys and accepts YAML numbers', () => {
    const cfg = parseEnvironmentConfig(
      {
        'exchange:color': 'green',
        'exchange:image': 'ghcr.io/acme/exchange:1.4.2',
        'exchange:version': '1.4.2',
        'exchange:stateBucket': 'acme-exchange-pulumi-state',
        'exchange:source': 'dse',
        'exchange:schedule': 'rate(1 day)',
        'exchange:sharedStack': SHARED,
        'exchange:desiredCount': 1,
        'exchange:minCapacity': 1,
        'exchange:standbyTasks': 0,
        'exchange:registryCredentialsSecretArn': '',
        'exchange:imagePublic': 'true',
        'aws:region': 'eu-west-1',
      },
      'green',
    );
    assert.deepEqual(
      [
        cfg.scheduleTimezone,
        cfg.cpu,
        cfg.memory,
        cfg.desiredCount,
        cfg.logRetentionDays,
        cfg.maxDataAge,
        cfg.registryCredentialsSecretArn,
      ],
      ['UTC', 256, 512, 1, 30, '96h', undefined],
    );
  });

  describe('how ECS pulls the image (a new GHCR package is private)', () => {
    const green = (over: RawConfig) =>
      parseEnvironmentConfig(
        { ...stackFileConfig('green'), 'exchange:imagePublic': undefined, ...over },
        'green',
      );
    it('refuses a GHCR image with neither imagePublic nor registry credentials, naming both fixes', () =>
      assert.throws(
        () => green({}),
        (e: unknown) =>
          e instanceof EnvironmentArgError &&
          e.arg === 'exchange:image' &&
          /set exchange:imagePublic true once the package is public, or exchange:registryCredentialsSecretArn/.test(
            e.message,
          ) &&
          /private when first published/.test(e.oneLine()),
      ));
    it('accepts either declaration, and ECR images (pulled with the execution role) without one', () => {
      assert.equal(green({ 'exchange:imagePublic': 'true' }).imagePublic, true);
      const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghcr-pull-AbCdEf';
      assert.equal(green({ 'exchange:registryCredentialsSecretArn': arn }).registryCredentialsSecretArn, arn);
      const ecr = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/exchange@sha256:${'0a'.repeat(32)}`;
      assert.equal(green({ 'exchange:image': ecr }).image, ecr);
      assert.throws(() => green({ 'exchange:imagePublic': 'false' }), /exchange:imagePublic true/);
    });
  });

  const cases: [string, RawConfig, string, string[]][] = [
    ['unknown colour', { 'exchange:color': 'red' }, 'exchange:color', ['"red"', 'blue, green']],
    [
      'colour other than the stack',
      { 'exchange:color': 'blue' },
      'exchange:color',
      ['"blue"', '"green" (the stack name)'],
    ],
    ['missing colour', { 'exchange:color': undefined }, 'exchange:color', ['null', 'blue, green']],
    [
      'invalid cpu/memory pair',
      { 'exchange:memory': '4096' },
      'exchange:memory',
      ['4096', 'for cpu 256: 512, 1024, 2048'],
    ],
    [
      'unknown cpu',
      { 'exchange:cpu': '300' },
      'exchange:cpu',
      ['300', '256, 512, 1024, 2048, 4096, 8192, 16384'],
    ],
    ['fractional cpu', { 'exchange:cpu': '0.25' }, 'exchange:cpu', ['"0.25"', 'a whole number']],
    [
      'negative desired count',
      { 'exchange:desiredCount': '-1' },
      'exchange:desiredCount',
      ['"-1"', 'a whole number'],
    ],
    [
      'too many tasks',
      { 'exchange:desiredCount': '9999' },
      'exchange:desiredCount',
      ['9999', 'from 0 to 5000'],
    ],
    [
      'Unix cron schedule',
      { 'exchange:schedule': '30 15 * * 0-4' },
      'exchange:schedule',
      ['30 15 * * 0-4', 'cron(min hour'],
    ],
    [
      'cron with both day fields',
      { 'exchange:schedule': 'cron(30 15 * * SUN-THU *)' },
      'exchange:schedule',
      ['"?" in one day field'],
    ],
    ['missing schedule', { 'exchange:schedule': undefined }, 'exchange:schedule', ['cron(']],
    [
      'bad time zone',
      { 'exchange:scheduleTimezone': 'Dhaka' },
      'exchange:scheduleTimezone',
      ['"Dhaka"', 'IANA'],
    ],
    [
      'missing shared stack',
      { 'exchange:sharedStack': undefined },
      'exchange:sharedStack',
      ['<organization>/<project>/<stack>'],
    ],
    [
      'shared stack without organization',
      { 'exchange:sharedStack': 'exchange-shared/shared' },
      'exchange:sharedStack',
      ['"exchange-shared/shared"'],
    ],
    [
      'moving image tag',
      { 'exchange:image': 'ghcr.io/acme/exchange:latest' },
      'exchange:image',
      [':latest', '@sha256:<64 hex>'],
    ],
    [
      'untagged image',
      { 'exchange:image': 'ghcr.io/acme/exchange' },
      'exchange:image',
      ['x.y.z release tag', 'no tag'],
    ],
    [
      'log retention AWS refuses',
      { 'exchange:logRetentionDays': '45' },
      'exchange:logRetentionDays',
      ['45', '30, 60, 90'],
    ],
    ['bad source id', { 'exchange:source': 'Dhaka Stock Exchange' }, 'exchange:source', ['[a-z][a-z0-9-]']],
    [
      'bad registry secret',
      { 'exchange:registryCredentialsSecretArn': 'ghcr-token' },
      'exchange:registryCredentialsSecretArn',
      ['Secrets Manager'],
    ],
    ['typo in a key', { 'exchange:desiredcount': '2' }, 'exchange:desiredcount', ['exchange:desiredCount']],
  ];

  for (const [what, override, key, mentions] of cases) {
    it(`rejects ${what}, naming ${key}`, () => {
      const raw = { ...stackFileConfig('green'), ...override };
      assert.throws(
        () => parseEnvironmentConfig(raw, 'green'),
        (err: unknown) => {
          assert.ok(err instanceof EnvironmentArgError, String(err));
          assert.equal(err.arg, key);
          for (const m of mentions)
            assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
          return true;
        },
      );
    });
  }

  describe('through the stack entry point (mocks)', () => {
    let h: MockHarness;
    let program: () => unknown;
    // The spec is loaded through require() and dynamic import() gets ESM copies: take the class from there.
    let ArgError: typeof EnvironmentArgError;
    before(async () => {
      h = createMocks({ stackOutputs: { [SHARED]: sharedStackOutputs() } });
      await installMocks(h, { project: 'exchange', stack: 'green' });
      program = (await import('../../infra/environment/index.ts')).default;
      ArgError = (await import('../../components/exchangeEnvironment/errors.ts')).EnvironmentArgError;
    });
    beforeEach(() => h.reset());
    after(() => pulumi.runtime.setAllConfig({}));

    for (const [what, override, key] of cases) {
      it(`${what}: throws before any resource is registered`, async () => {
        const raw = { ...stackFileConfig('green'), ...override };
        const defined = Object.entries(raw).filter(
          (e): e is [string, string | number | boolean] => e[1] !== undefined,
        );
        pulumi.runtime.setAllConfig(Object.fromEntries(defined.map(([k, v]) => [k, String(v)])));
        assert.throws(
          () => program(),
          (err: unknown) => err instanceof ArgError && err.arg === key,
        );
        await settle();
        assert.deepEqual(h.resources, []);
        assert.deepEqual(h.calls, []);
      });
    }
  });
});
