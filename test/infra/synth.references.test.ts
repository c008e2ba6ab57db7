// synth resolves only the stacks this repository defines, and only in one region: a typo in
// sharedStack/environmentStacks or a region mismatch is refused instead of fabricated.
import assert from 'node:assert/strict';
import { loadStackConfig, toRuntimeConfig } from '../../infra/synth/stackConfig.ts';
import { referencedStacks, resolveReferences, StackReferenceError } from '../../infra/synth/references.ts';
import { defaultStackFile } from '../../infra/synth/synth.ts';

const committed = (stack: 'blue' | 'shared') =>
  toRuntimeConfig(loadStackConfig(defaultStackFile(stack))).config;
const refuses = (config: Record<string, string>, pattern: RegExp) =>
  assert.throws(
    () => resolveReferences(config, 'Pulumi.x.yaml'),
    (err: unknown) => {
      assert.ok(err instanceof StackReferenceError, String(err));
      assert.match(err.message, pattern);
      return true;
    },
  );

describe('synth stack references', () => {
  it('resolves the committed references to stand-in outputs', () => {
    assert.deepEqual(Object.keys(resolveReferences(committed('blue'), 'Pulumi.blue.yaml')), [
      'organization/exchange-shared/shared',
    ]);
    assert.deepEqual(Object.keys(resolveReferences(committed('shared'), 'Pulumi.shared.yaml')).sort(), [
      'organization/exchange/blue',
      'organization/exchange/green',
    ]);
  });

  it('refuses a wrong organization in sharedStack', () =>
    refuses(
      { ...committed('blue'), 'exchange:sharedStack': 'acme/exchange-shared/shared' },
      /exchange:sharedStack = "acme\/exchange-shared\/shared" names no stack/,
    ));

  it('refuses a wrong stack name in environmentStacks', () =>
    refuses(
      {
        ...committed('shared'),
        'exchange-shared:environmentStacks': JSON.stringify({ blue: 'organization/exchange/blu' }),
      },
      /environmentStacks\.blue = "organization\/exchange\/blu".*use one of organization\/exchange-shared\/shared/,
    ));

  it('refuses an environment stack without aws:region', () => {
    const { 'aws:region': _r, ...noRegion } = committed('blue');
    refuses(noRegion, /aws:region is not set/);
  });

  it("refuses a region other than the shared stack's", () =>
    refuses(
      { ...committed('blue'), 'aws:region': 'us-east-1' },
      /aws:region is us-east-1 but organization\/exchange-shared\/shared .* eu-west-1/,
    ));

  it('reads stack names only from the keys that hold them (a three-part GitLab path is no stack)', () => {
    const config = {
      ...committed('shared'),
      'exchange-shared:gitlab': JSON.stringify({ projectPath: 'group/sub/project' }),
    };
    assert.deepEqual(
      referencedStacks(config)
        .map((r) => r.key)
        .sort(),
      ['exchange-shared:environmentStacks.blue', 'exchange-shared:environmentStacks.green'],
    );
  });
});
