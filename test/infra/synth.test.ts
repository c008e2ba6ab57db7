// `exchange synth`: redaction, stack config files, the synthesized resources of every stack, and the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redact, REDACTED } from '../../infra/synth/redact.ts';
import {
  loadStackConfig,
  parseStackConfig,
  StackConfigError,
  toRuntimeConfig,
} from '../../infra/synth/stackConfig.ts';
import { defaultStackFile, synthesize, type SynthResource } from '../../infra/synth/synth.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'hunter2' };

describe('synth', () => {
  describe('redact', () => {
    const cases: [string, unknown, unknown][] = [
      [
        'a value Pulumi marks secret',
        { password: 'x', token: SECRET, plain: SECRET },
        { password: REDACTED, token: REDACTED, plain: REDACTED },
      ],
      [
        'secret-looking keys, any depth',
        { a: { dbPassword: 'p', apiKey: 'k', privateKey: 'pk', other: 'ok' } },
        { a: { dbPassword: REDACTED, apiKey: REDACTED, privateKey: REDACTED, other: 'ok' } },
      ],
      [
        'numbers and booleans under secret keys',
        { secretCount: 3, tokenEnabled: true },
        { secretCount: REDACTED, tokenEnabled: REDACTED },
      ],
      [
        'ARNs of secrets stay visible',
        { repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' } },
        { repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' } },
      ],
      [
        'name/value pairs named like a secret',
        [
          { name: 'GHCR_TOKEN', value: 't' },
          { name: 'PORT', value: '8080' },
        ],
        [
          { name: 'GHCR_TOKEN', value: REDACTED },
          { name: 'PORT', value: '8080' },
        ],
      ],
      [
        'inside JSON text',
        { containerDefinitions: '[{"environment":[{"name":"DB_PASSWORD","value":"p"}]}]' },
        { containerDefinitions: '[{"environment":[{"name":"DB_PASSWORD","value":"[secret]"}]}]' },
      ],
      [
        'JSON text without secrets is kept byte for byte',
        { policy: '{ "Version": "2012-10-17" }' },
        { policy: '{ "Version": "2012-10-17" }' },
      ],
      ['null and plain values', { a: null, b: 1, c: 'x' }, { a: null, b: 1, c: 'x' }],
    ];
    for (const [label, input, expected] of cases) it(label, () => assert.deepEqual(redact(input), expected));
  });

  describe('stack config files', () => {
    it('reads the config map of a Pulumi stack file, stringifying structured values', () => {
      const map = parseStackConfig(
        'encryptionsalt: v1:abc\nconfig:\n  aws:region: eu-west-1\n  exchange-shared:weights:\n    blue: 100\n  exchange-shared:azCount: 2\n  exchange-shared:token:\n    secure: v1:ciphertext\n',
        'f.yaml',
      );
      assert.deepEqual(toRuntimeConfig(map), {
        config: {
          'aws:region': 'eu-west-1',
          'exchange-shared:weights': '{"blue":100}',
          'exchange-shared:azCount': '2',
          'exchange-shared:token': REDACTED,
        },
        secretKeys: ['exchange-shared:token'],
      });
    });
    it('accepts a bare JSON map', () => {
      assert.deepEqual(parseStackConfig('{"exchange:color":"green"}', 'f.json'), {
        'exchange:color': 'green',
      });
    });
    const bad: [string, string, RegExp][] = [
      ['not YAML', 'config: [', /f is not valid YAML\/JSON/],
      ['no map', '- a\n- b', /f has no config map/],
      ['key without namespace', 'config:\n  color: green', /config key "color" is not "<namespace>:<key>"/],
    ];
    for (const [label, text, message] of bad) {
      it(`rejects ${label}`, () =>
        assert.throws(
          () => parseStackConfig(text, 'f'),
          (e: unknown) => e instanceof StackConfigError && message.test(e.message),
        ));
    }
    it('names a missing file', () =>
      assert.throws(
        () => loadStackConfig('/nonexistent/Pulumi.x.yaml'),
        /cannot read config file \/nonexistent\/Pulumi\.x\.yaml: ENOENT/,
      ));
  });

  describe('synthesized stacks', function () {
    this.timeout(30000);
    const out: Record<string, SynthResource[]> = {};
    before(async () => {
      for (const stack of ['blue', 'green', 'shared'] as const) {
        // Both programs reject unknown keys of their own namespace, so the secure value rides in another one.
        const extra = { 'aws:secretKey': { secure: 'v1:DO-NOT-LEAK' } };
        out[stack] = await synthesize(stack, { ...loadStackConfig(defaultStackFile(stack)), ...extra });
      }
    });

    it('each environment declares its component, target group, service, schedule, bucket and test route', () => {
      for (const color of ['blue', 'green'] as const) {
        const list = out[color] ?? [];
        const types = new Set(list.map((r) => r.type));
        for (const t of [
          'exchange:index:ExchangeEnvironment',
          'aws:lb/targetGroup:TargetGroup',
          'aws:ecs/service:Service',
          'aws:ecs/taskDefinition:TaskDefinition',
          'aws:scheduler/schedule:Schedule',
          'aws:s3/bucket:Bucket',
          'aws:s3/bucketPolicy:BucketPolicy',
          'aws:lb/listenerRule:ListenerRule',
          'pulumi:pulumi:StackReference',
        ]) {
          assert.ok(types.has(t), `${color} lacks ${t}`);
        }
        const tg = list.find((r) => r.type === 'aws:lb/targetGroup:TargetGroup');
        assert.equal(tg?.parent, `exchange:index:ExchangeEnvironment::exchange-${color}`);
        assert.equal(list.find((r) => r.type === 'exchange:index:ExchangeEnvironment')?.parent, null);
      }
    });

    it('shared declares the VPC, cluster, ALB, listener, OIDC provider and both roles', () => {
      const names = (out.shared ?? []).map((r) => `${r.type}::${r.name}`);
      for (const n of [
        'awsx:ec2:Vpc::exchange-vpc',
        'aws:ecs/cluster:Cluster::exchange',
        'aws:lb/loadBalancer:LoadBalancer::exchange-alb',
        'aws:lb/listener:Listener::exchange-http',
        'aws:iam/openIdConnectProvider:OpenIdConnectProvider::gitlab',
        'aws:iam/role:Role::exchange-deploy',
        'aws:iam/role:Role::exchange-preview',
        'pulumi:pulumi:StackReference::organization/exchange/blue',
      ]) {
        assert.ok(names.includes(n), `shared lacks ${n}`);
      }
    });

    it('is sorted by type then name, and the same on every run', async () => {
      const shared = out.shared ?? [];
      const keys = shared.map((r) => `${r.type}\u0000${r.name}`);
      assert.deepEqual(keys, [...keys].sort());
      const again = await synthesize('shared', {
        ...loadStackConfig(defaultStackFile('shared')),
        'aws:secretKey': { secure: 'v1:DO-NOT-LEAK' },
      });
      assert.deepEqual(again, shared);
    });

    it('never prints an encrypted value or a Pulumi secret marker', () => {
      const text = JSON.stringify(out);
      assert.ok(!text.includes('DO-NOT-LEAK'));
      assert.ok(!text.includes('1b47061264138c4ac30d75fd1eb44270'));
    });
  });

  describe('CLI', function () {
    this.timeout(30000);
    const exchange = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/exchange.js', 'synth', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'error' },
      });

    it('synth --stack green prints the resources as JSON and exits 0', () => {
      const r = exchange('--stack', 'green', '--allow-placeholders');
      assert.equal(r.status, 0, r.stderr);
      const list = JSON.parse(r.stdout) as SynthResource[];
      assert.ok(list.some((x) => x.type === 'aws:ecs/service:Service' && x.name === 'exchange-green-svc'));
      assert.ok(
        list.every(
          (x) =>
            typeof x.type === 'string' &&
            typeof x.name === 'string' &&
            'parent' in x &&
            typeof x.inputs === 'object',
        ),
      );
    });

    it('--stack purple is a usage error (exit 2) naming the allowed stacks', () => {
      const r = exchange('--stack', 'purple');
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /--stack "purple" is not one of blue, green, shared/);
    });

    const withConfig = (stack: 'blue' | 'shared', edit: (c: Record<string, unknown>) => void) => {
      const dir = mkdtempSync(join(tmpdir(), 'synth-'));
      try {
        const cfg = loadStackConfig(defaultStackFile(stack));
        edit(cfg);
        writeFileSync(join(dir, 'c.json'), JSON.stringify({ config: cfg }));
        return exchange('--stack', stack, '--config', join(dir, 'c.json'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    it('refuses (exit 2) what the Pulumi engine refuses before the program: a list key stored as text', () => {
      const r = withConfig('shared', (c) => (c['exchange-shared:environments'] = '[]'));
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /configuration key 'environments' must be of type 'array<string>'/);
    });

    it('refuses (exit 2) a stack file that lacks a key with no default in Pulumi.yaml', () => {
      const r = withConfig('blue', (c) => delete c['exchange:version']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /Stack 'blue' is missing configuration value\(s\) 'version'/);
    });

    it('refuses (exit 2) a sharedStack it cannot resolve, instead of fabricating its outputs', () => {
      const r = withConfig('blue', (c) => (c['exchange:sharedStack'] = 'acme/exchange-shared/shared'));
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /names no stack of this repository/);
    });

    it('refuses (exit 2) the committed placeholders without --allow-placeholders', () => {
      const r = exchange('--stack', 'blue');
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /exchange:image .* is the committed placeholder digest/);
      assert.match(r.stderr, /203\.0\.113\.0\/24 is a documentation range/);
    });

    it('--config with an invalid value exits 2 naming the key, and prints nothing', () => {
      const dir = mkdtempSync(join(tmpdir(), 'synth-'));
      try {
        const file = join(dir, 'shared.json');
        const cfg = {
          ...loadStackConfig(defaultStackFile('shared')),
          'exchange-shared:weights': { blue: 0, green: 0 },
        };
        writeFileSync(file, JSON.stringify({ config: cfg }));
        const r = exchange('--stack', 'shared', '--config', file);
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(
          r.stderr,
          /exchange-shared:weights = \{"blue":0,"green":0\} is invalid; allowed: \{ blue: 0–999, green: 0–999 \} integers, not all zero/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
