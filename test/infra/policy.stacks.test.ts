// The guardrails over what every stack really declares (mock runtime): no violations, every policy
// applies to something, and a realistic resource broken on purpose is caught.
import assert from 'node:assert/strict';
import { evaluatePolicies, type PolicyTarget } from '../../infra/policy/evaluate.ts';
import { policies } from '../../infra/policy/policies.ts';
import { evaluateStackRules, stackRules } from '../../infra/policy/stackRules.ts';
import { loadStackConfig } from '../../infra/synth/stackConfig.ts';
import { defaultStackFile, synthesize } from '../../infra/synth/synth.ts';
import type { SynthStack } from '../../infra/synth/stacks.ts';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-1234567890ab';

describe('policy pack over every stack', function () {
  const declared: Record<string, PolicyTarget[]> = {};

  before(async function () {
    this.timeout(30000);
    const variants: [string, SynthStack, Record<string, unknown>][] = [
      ['blue', 'blue', {}],
      ['green', 'green', {}],
      ['shared', 'shared', {}],
      [
        'shared-https',
        'shared',
        {
          'exchange-shared:certificateArn': CERT,
          'exchange-shared:stickinessSeconds': 600,
          'exchange-shared:natStrategy': 'none',
        },
      ],
      ['shared-bootstrap', 'shared', { 'exchange-shared:environments': [] }],
    ];
    for (const [label, stack, overrides] of variants) {
      declared[label] = await synthesize(stack, {
        ...loadStackConfig(defaultStackFile(stack)),
        ...overrides,
      });
    }
  });

  for (const label of ['blue', 'green', 'shared', 'shared-https', 'shared-bootstrap']) {
    it(`${label}: zero violations`, async () => {
      const targets = declared[label] ?? [];
      assert.ok(targets.length > 5, `${label} declared ${targets.length} resources`);
      assert.deepEqual((await evaluatePolicies(policies, targets)).violations, []);
      assert.deepEqual(evaluateStackRules(stackRules, targets), [], 'multi-resource rules');
    });
  }

  it('every policy applies to at least one declared resource (no vacuous pass)', async () => {
    const all = Object.values(declared).flat();
    const { applied } = await evaluatePolicies(policies, all);
    const idle = Object.entries(applied)
      .filter(([, n]) => n === 0)
      .map(([name]) => name);
    assert.deepEqual(idle, []);
  });

  it('catches real resources broken on purpose', async () => {
    const green = declared.green ?? [];
    const shared = declared.shared ?? [];
    const find = (list: PolicyTarget[], type: string) => {
      const r = list.find((x) => x.type === type);
      assert.ok(r, type);
      return r;
    };
    const service = find(green, 'aws:ecs/service:Service');
    const taskDef = find(green, 'aws:ecs/taskDefinition:TaskDefinition');
    const listener = find(shared, 'aws:lb/listener:Listener');
    const containers = JSON.parse(String(taskDef.inputs.containerDefinitions)) as { image: string }[];
    const broken: PolicyTarget[] = [
      { ...service, inputs: { ...service.inputs, waitForSteadyState: false } },
      {
        ...taskDef,
        inputs: {
          ...taskDef.inputs,
          memory: '4096',
          containerDefinitions: JSON.stringify(
            containers.map((c) => ({ ...c, image: 'ghcr.io/acme/exchange:latest' })),
          ),
        },
      },
      {
        ...listener,
        inputs: {
          ...listener.inputs,
          defaultActions: [{ type: 'forward', forward: { targetGroups: [{ arn: 'arn:x', weight: 0 }] } }],
        },
      },
    ];
    const messages = (await evaluatePolicies(policies, broken)).violations.map(
      (v) => `${v.policy}: ${v.message}`,
    );
    assert.deepEqual(messages, [
      'fargate-cpu-memory: Fargate cpu 256 / memory 4096 is not a valid pair (e.g. 256/512, 512/1024, 1024/2048).',
      'forward-weights: All forward weights are 0: the listener would route nowhere.',
      'ecs-service-safe-deploys: waitForSteadyState must be true so `pulumi up` waits for the rollout (and ' +
        'fails when it times out); a rollback still reports success, so run `exchange deploy-check` after `up`.',
      'container-image-pinned: Container "exchange" image "ghcr.io/acme/exchange:latest" uses tag "latest", ' +
        'which can move (not a digest or a full x.y.z version); pin a digest or an x.y.z release tag.',
    ]);
  });
});
