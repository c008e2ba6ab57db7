// The Pulumi engine's project-config rules, applied offline (infra/engine/): each rule is shown failing
// on the broken form the engine rejects, and the repository's own files and documented commands pass.
import assert from 'node:assert/strict';
import { checkDocumentCommands, checkRepository } from '../../infra/engine/check.ts';
import { applyCommand, extractConfigCommands, shellWords } from '../../infra/engine/configCommands.ts';
import {
  parseProjectSchema,
  storedFromYaml,
  validateProjectSchema,
  validateStackConfig,
  type StoredValue,
} from '../../infra/engine/projectConfig.ts';

const schema = (config: string) => parseProjectSchema(`name: demo\nconfig:\n${config}`, 'Pulumi.yaml');
const text = (t: string): StoredValue => ({ kind: 'text', text: t });
const rules = (vs: { rule: string }[]) => vs.map((v) => v.rule);

function stackRules(config: string, values: Record<string, StoredValue>): string[] {
  return rules(validateStackConfig(schema(config), 'dev', 'Pulumi.dev.yaml', values));
}

describe('Pulumi engine config rules (offline)', () => {
  describe('stack values', () => {
    it('a project key without default that the stack does not set is missing (Stack ... is missing configuration value)', () => {
      const vs = validateStackConfig(schema('  name: { type: string }'), 'dev', 'Pulumi.dev.yaml', {});
      assert.deepEqual(rules(vs), ['missing-value'], 'a typed key with no default must be set');
      assert.match(vs[0]!.message, /missing configuration value\(s\) 'name'.*default:/);
      assert.deepEqual(stackRules('  name: { type: string, default: x }', {}), [], 'a default satisfies it');
      // pkg/workspace/config.go mergeConfig: the check does not look at the type at all.
      assert.deepEqual(stackRules('  name: { description: untyped }', {}), ['missing-value'], 'untyped too');
    });
    it('an array key set from the CLI without --path is text, not a list', () => {
      const arr = '  envs: { type: array, items: { type: string } }';
      assert.deepEqual(stackRules(arr, { 'demo:envs': text('[]') }), ['type'], 'the text "[]" is no list');
      assert.deepEqual(stackRules(arr, { 'demo:envs': storedFromYaml([]) }), [], 'a YAML list is');
      assert.deepEqual(stackRules(arr, { 'demo:envs': storedFromYaml([1]) }), ['type'], 'items are typed');
    });
    it('an integer key accepts YAML numbers and digit text only', () => {
      const int = '  n: { type: integer }';
      assert.deepEqual(stackRules(int, { 'demo:n': storedFromYaml(256) }), []);
      assert.deepEqual(stackRules(int, { 'demo:n': text('256') }), []);
      assert.deepEqual(stackRules(int, { 'demo:n': text('2.5') }), ['type']);
      assert.deepEqual(stackRules(int, { 'demo:n': text('many') }), ['type']);
    });
    it('a boolean key accepts true/false only; a string key refuses a map', () => {
      assert.deepEqual(stackRules('  b: { type: boolean }', { 'demo:b': text('yes') }), ['type']);
      assert.deepEqual(stackRules('  b: { type: boolean }', { 'demo:b': storedFromYaml(true) }), []);
      assert.deepEqual(stackRules('  s: { type: string }', { 'demo:s': storedFromYaml({ a: 1 }) }), ['type']);
    });
    it('a secret key must be stored encrypted', () => {
      const sec = '  token: { type: string, secret: true }';
      assert.deepEqual(stackRules(sec, { 'demo:token': text('plain') }), ['secret-plaintext']);
      assert.deepEqual(stackRules(sec, { 'demo:token': storedFromYaml({ secure: 'v1:abc' }) }), []);
      // The engine applies the default (in plaintext) first, then validates: unset + default fails too.
      const withDefault = "  token: { type: string, secret: true, default: '' }";
      assert.deepEqual(stackRules(withDefault, {}), ['secret-plaintext']);
    });
  });

  describe('project schema', () => {
    const cases: [string, string, string][] = [
      ['default and value together', '  a: { type: string, default: x, value: y }', 'default-and-value'],
      ['an array without items', '  a: { type: array }', 'array-no-items'],
      ['a default of the wrong type', '  a: { type: integer, default: many }', 'default-type'],
      ['a type on another namespace', '  "aws:region": { type: string }', 'foreign-typed'],
      ['another namespace without value', '  "aws:region": { description: x }', 'foreign-no-value'],
      ['an unknown type', '  a: { type: map }', 'bad-type'],
      [
        'a description promising a default it lacks',
        '  a: { type: integer, description: "Default 2." }',
        'promised-default',
      ],
    ];
    for (const [what, config, rule] of cases)
      it(`refuses ${what} (${rule})`, () =>
        assert.ok(rules(validateProjectSchema(schema(config))).includes(rule)));
    it('accepts a well-formed schema', () =>
      assert.deepEqual(
        validateProjectSchema(schema('  a: { type: array, items: { type: string }, default: [] }')),
        [],
      ));
  });

  describe('documented commands', () => {
    it('splits shell words with quotes and comments, and keeps a subshell cd to its line', () => {
      assert.deepEqual(shellWords(`pulumi config set --path 'weights.green' 10 # shift`), [
        'pulumi',
        'config',
        'set',
        '--path',
        'weights.green',
        '10',
      ]);
      const cmds = extractConfigCommands(
        '```sh\n(cd infra/shared && pulumi config set a 1)\npulumi config set b 2\n```\n',
      );
      assert.deepEqual(
        cmds.map((c) => [c.key, c.cwd]),
        [
          ['a', 'infra/shared'],
          ['b', ''],
        ],
      );
    });
    it('stores --path leaves as the CLI does: integers as numbers, lists from [n]', () => {
      const [w, e] = extractConfigCommands(
        "```sh\npulumi config set --path weights.green 10\npulumi config set --path 'envs[0]' blue\n```",
      );
      assert.deepEqual(applyCommand(undefined, w!), { kind: 'object', value: { green: 10 } });
      assert.deepEqual(applyCommand(undefined, e!), { kind: 'object', value: ['blue'] });
    });
    it("refuses the old bootstrap step `pulumi config set environments '[]'`", () => {
      const vs = checkDocumentCommands(
        'doc.md',
        "```sh\npulumi config set environments '[]' --stack shared\n```",
      );
      assert.deepEqual(rules(vs), ['type'], vs.join('\n'));
      assert.match(vs[0]!.toString(), /doc\.md:2 .*environments.*array<string>.*--path/);
    });
    it('refuses a command whose stack cannot be told', () => {
      const vs = checkDocumentCommands('doc.md', '```sh\ncd somewhere\npulumi config set a 1\n```');
      assert.deepEqual(rules(vs), ['unknown-stack']);
    });
  });

  it('every committed stack file and every README command passes the engine rules', () => {
    const vs = checkRepository();
    assert.deepEqual(vs.map(String), [], 'fix the named file (see infra/README.md "Bootstrap")');
  });
});
