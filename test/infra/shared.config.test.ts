// Config of the shared stack: every default, every accepted shape and every rejection names the key.
import assert from 'node:assert/strict';
import { parseSharedConfig, SharedConfigError, type RawSharedConfig } from '../../infra/shared/config.ts';

const GITLAB = JSON.stringify({ url: 'https://gitlab.example.com', projectPath: 'acme/exchange' });
const base: RawSharedConfig = {
  weights: '{"blue":100,"green":0}',
  gitlab: GITLAB,
  stateBucket: 'acme-state',
};
const both: RawSharedConfig = {
  ...base,
  environments: '["green","blue"]',
  environmentStacks: '{"blue":"organization/exchange/blue","green":"organization/exchange/green"}',
};

function rejects(raw: RawSharedConfig, key: string, allowedPart: string): void {
  assert.throws(
    () => parseSharedConfig(raw),
    (err: unknown) => {
      assert.ok(err instanceof SharedConfigError, String(err));
      assert.equal(err.key, key);
      assert.match(err.message, new RegExp(`^exchange-shared:${key.replace('.', '\\.')} = `));
      assert.ok(err.allowed.includes(allowedPart), `${err.allowed} should mention ${allowedPart}`);
      return true;
    },
  );
}

describe('shared config', () => {
  it('applies the documented defaults to the minimal config', () => {
    const cfg = parseSharedConfig(base);
    assert.deepEqual(cfg, {
      weights: { blue: 100, green: 0 },
      natStrategy: 'single',
      azCount: 2,
      vpcCidr: '10.0.0.0/16',
      environments: [],
      environmentStacks: {},
      gitlab: {
        url: 'https://gitlab.example.com',
        projectPath: 'acme/exchange',
        protectedBranch: 'main',
        audience: 'https://gitlab.example.com',
      },
      stateBucket: 'acme-state',
      statePrefix: '',
      albDeletionProtection: true,
      albLogRetentionDays: 90,
    });
  });

  it('reads strings as Pulumi passes them and values as tests pass them', () => {
    const cfg = parseSharedConfig({
      ...both,
      weights: { blue: 10, green: 990 },
      stickinessSeconds: '300',
      natStrategy: 'one-per-az',
      azCount: '3',
      vpcCidr: '10.20.0.0/20',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-1234567890ab',
      domainName: 'quotes.example.com',
      statePrefix: 'exchange',
    });
    assert.deepEqual(cfg.weights, { blue: 10, green: 990 });
    assert.equal(cfg.stickinessSeconds, 300);
    assert.equal(cfg.natStrategy, 'one-per-az');
    assert.equal(cfg.azCount, 3);
    assert.deepEqual(cfg.environments, ['blue', 'green'], 'listed in COLORS order');
    assert.equal(cfg.environmentStacks.green, 'organization/exchange/green');
    assert.equal(cfg.domainName, 'quotes.example.com');
  });

  it('accepts weights stored as digit text (pulumi config set --path)', () => {
    assert.deepEqual(parseSharedConfig({ ...base, weights: '{"blue":"90","green":"10"}' }).weights, {
      blue: 90,
      green: 10,
    });
  });

  it('treats a missing colour weight as 0', () => {
    assert.deepEqual(parseSharedConfig({ ...base, weights: '{"green":5}' }).weights, { blue: 0, green: 5 });
  });

  const cases: [string, RawSharedConfig, string, string][] = [
    ['weights missing', { ...base, weights: undefined }, 'weights', 'not all zero'],
    ['weights all zero', { ...base, weights: '{"blue":0,"green":0}' }, 'weights', 'not all zero'],
    ['weight above 999', { ...base, weights: '{"blue":1000}' }, 'weights.blue', '0–999'],
    ['negative weight', { ...base, weights: '{"blue":-1,"green":5}' }, 'weights.blue', '0–999'],
    ['fractional weight', { ...base, weights: '{"blue":0.5,"green":5}' }, 'weights.blue', 'integer'],
    ['weight as non-numeric text', { ...base, weights: '{"blue":"fifty"}' }, 'weights.blue', 'integer'],
    ['unknown colour', { ...base, weights: '{"purple":50}' }, 'weights.purple', 'blue, green'],
    ['weights not JSON', { ...base, weights: 'blue=100' }, 'weights', 'YAML map'],
    ['weights a list', { ...base, weights: '[100,0]' }, 'weights', 'not all zero'],
    [
      'weight on undeployed colour',
      {
        ...base,
        environments: '["blue"]',
        environmentStacks: '{"blue":"o/p/blue"}',
        weights: '{"blue":0,"green":100}',
      },
      'weights.green',
      'environments',
    ],
    ['unknown environment', { ...base, environments: '["purple"]' }, 'environments', 'blue, green'],
    ['duplicate environment', { ...base, environments: '["blue","blue"]' }, 'environments', 'distinct'],
    [
      'missing stack name for listed colour',
      { ...base, environments: '["blue"]' },
      'environmentStacks.blue',
      'organization/exchange/blue',
    ],
    [
      'stack name without org',
      { ...base, environments: '["blue"]', environmentStacks: '{"blue":"exchange/blue"}' },
      'environmentStacks.blue',
      'org/project/stack',
    ],
    ['negative stickiness', { ...base, stickinessSeconds: '-1' }, 'stickinessSeconds', '1–604800'],
    ['stickiness over a week', { ...base, stickinessSeconds: '604801' }, 'stickinessSeconds', '1–604800'],
    ['unknown NAT strategy', { ...base, natStrategy: 'per-az' }, 'natStrategy', 'none | single | one-per-az'],
    ['one AZ', { ...base, azCount: '1' }, 'azCount', '2–6'],
    ['CIDR too small', { ...base, vpcCidr: '10.0.0.0/24' }, 'vpcCidr', '/16 to /20'],
    ['CIDR octet', { ...base, vpcCidr: '10.0.300.0/16' }, 'vpcCidr', 'IPv4'],
    [
      'certificate not ACM',
      { ...base, certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' },
      'certificateArn',
      'ACM',
    ],
    [
      'domain without certificate',
      { ...base, domainName: 'quotes.example.com' },
      'domainName',
      'certificateArn',
    ],
    ['gitlab missing', { ...base, gitlab: undefined }, 'gitlab', 'projectPath'],
    [
      'gitlab http',
      { ...base, gitlab: '{"url":"http://gitlab.example.com","projectPath":"a/b"}' },
      'gitlab.url',
      'https://',
    ],
    [
      'gitlab trailing slash',
      { ...base, gitlab: '{"url":"https://gitlab.example.com/","projectPath":"a/b"}' },
      'gitlab.url',
      'trailing slash',
    ],
    [
      'project wildcard',
      { ...base, gitlab: '{"url":"https://gitlab.com","projectPath":"acme/*"}' },
      'gitlab.projectPath',
      'no wildcards',
    ],
    [
      'branch wildcard',
      { ...base, gitlab: '{"url":"https://gitlab.com","projectPath":"a/b","protectedBranch":"*"}' },
      'gitlab.protectedBranch',
      'no wildcards',
    ],
    [
      'bad provider ARN',
      { ...base, gitlab: '{"url":"https://gitlab.com","projectPath":"a/b","existingProviderArn":"x"}' },
      'gitlab.existingProviderArn',
      'OIDC',
    ],
    ['state bucket missing', { ...base, stateBucket: undefined }, 'stateBucket', 'S3 bucket name'],
    ['state bucket upper case', { ...base, stateBucket: 'Acme_State' }, 'stateBucket', 'S3 bucket name'],
  ];
  for (const [label, raw, key, allowed] of cases) {
    it(`rejects ${label} naming ${key}`, () => rejects(raw, key, allowed));
  }

  it('allows weight on undeployed colours during bootstrap (no environments yet: the listener serves 503)', () => {
    assert.deepEqual(parseSharedConfig({ ...base, weights: '{"green":100}' }).environments, []);
  });
});
