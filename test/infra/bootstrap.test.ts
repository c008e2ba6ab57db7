// The documented bootstrap (infra/README.md), each step under the mock runtime, each step's real
// outputs feeding the next: (1) shared without environments → (2) blue → (3) green → (4) shared with weights.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import {
  ENV_OUTPUTS,
  ENV_PROJECT,
  SHARED_OUTPUTS,
  SHARED_PROJECT,
  SHARED_STACK,
  TEST_ROUTE_PRIORITY,
} from '../../contract/stacks.ts';
import { NO_ENVIRONMENT_MESSAGE } from '../../infra/shared/traffic.ts';
import { loadStackConfig, toRuntimeConfig } from '../../infra/synth/stackConfig.ts';
import { defaultStackFile } from '../../infra/synth/synth.ts';
import {
  createMocks,
  installMocks,
  promiseOf,
  settle,
  type CapturedResource,
} from '../../infra/testing/mocks.ts';

const SHARED_NAME = `organization/${SHARED_PROJECT}/${SHARED_STACK}`;
const ENV_NAME = {
  blue: `organization/${ENV_PROJECT}/blue`,
  green: `organization/${ENV_PROJECT}/green`,
} as const;
const LISTENER = 'aws:lb/listener:Listener';

// unknownStack 'throw': referencing a stack that does not exist yet fails, as it does on the engine.
const harness = createMocks({ unknownStack: 'throw' });

async function resolveAll(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs).map(async ([k, v]) => [k, await promiseOf(v)] as const),
  );
  return Object.fromEntries(entries);
}

async function useStack(project: string, stack: string, overrides: Record<string, unknown>): Promise<void> {
  harness.reset();
  const file = defaultStackFile(stack as 'blue' | 'green' | 'shared');
  pulumi.runtime.setAllConfig(toRuntimeConfig({ ...loadStackConfig(file), ...overrides }).config);
  await installMocks(harness, { project, stack });
}

async function deployShared(overrides: Record<string, unknown>) {
  await useStack(SHARED_PROJECT, SHARED_STACK, overrides);
  const { runSharedProgram } = await import('../../infra/shared/program.ts');
  const outputs = await resolveAll({ ...(await runSharedProgram()).outputs });
  await settle();
  return { outputs, resources: [...harness.resources] };
}

async function deployEnvironment(color: 'blue' | 'green') {
  await useStack(ENV_PROJECT, color, {});
  const { readEnvironmentConfig } = await import('../../infra/environment/config.ts');
  const { environmentProgram } = await import('../../infra/environment/program.ts');
  const outputs = await resolveAll({ ...environmentProgram(readEnvironmentConfig()).outputs });
  await settle();
  return { outputs, resources: [...harness.resources] };
}

const urns = (list: CapturedResource[]) => list.map((r) => r.urn).sort();

describe('bootstrap from nothing (each documented step)', function () {
  this.timeout(30000);
  let step1: Awaited<ReturnType<typeof deployShared>>;
  let blue: Awaited<ReturnType<typeof deployEnvironment>>;
  let green: Awaited<ReturnType<typeof deployEnvironment>>;

  it('1. shared with no environments: a 503 default action and no reference to any environment stack', async () => {
    // `pulumi config rm environments`: the engine then applies the project default [] (infra/shared/Pulumi.yaml).
    step1 = await deployShared({ 'exchange-shared:environments': [] });
    const listener = harness.one(LISTENER);
    assert.deepEqual(listener.inputs.defaultActions, [
      {
        type: 'fixed-response',
        fixedResponse: { contentType: 'text/plain', statusCode: '503', messageBody: NO_ENVIRONMENT_MESSAGE },
      },
    ]);
    assert.deepEqual(harness.ofType('pulumi:pulumi:StackReference'), []);
    assert.equal(step1.outputs.liveColor, 'none');
    assert.deepEqual(step1.outputs.weights, { blue: 0, green: 0 });
    for (const key of Object.values(SHARED_OUTPUTS))
      assert.notEqual(step1.outputs[key], undefined, `shared output ${key}`);
  });

  it('2. blue deploys against the shared outputs: its test route sits on the shared listener', async () => {
    harness.setStackOutputs(SHARED_NAME, step1.outputs);
    blue = await deployEnvironment('blue');
    const rule = harness.one('aws:lb/listenerRule:ListenerRule');
    assert.equal(rule.inputs.listenerArn, step1.outputs.listenerArn);
    assert.equal(rule.inputs.priority, TEST_ROUTE_PRIORITY.blue.sourceIp);
    assert.equal(harness.one('aws:lb/targetGroup:TargetGroup').inputs.vpcId, step1.outputs.vpcId);
    const network = harness.one('aws:ecs/service:Service').inputs.networkConfiguration as {
      subnets: string[];
      assignPublicIp: boolean;
    };
    assert.deepEqual(network.subnets, step1.outputs.privateSubnetIds);
    assert.equal(network.assignPublicIp, false);
    assert.match(String(blue.outputs[ENV_OUTPUTS.targetGroupArn]), /:targetgroup\/exchange-blue-tg-/);
  });

  it('3. green deploys the same way, on its own test-route priority and target group', async () => {
    green = await deployEnvironment('green');
    assert.equal(
      harness.one('aws:lb/listenerRule:ListenerRule').inputs.priority,
      TEST_ROUTE_PRIORITY.green.sourceIp,
    );
    assert.notEqual(TEST_ROUTE_PRIORITY.green.sourceIp, TEST_ROUTE_PRIORITY.blue.sourceIp);
    assert.match(String(green.outputs[ENV_OUTPUTS.targetGroupArn]), /:targetgroup\/exchange-green-tg-/);
    assert.notEqual(green.outputs[ENV_OUTPUTS.targetGroupArn], blue.outputs[ENV_OUTPUTS.targetGroupArn]);
  });

  it('4. shared with both environments: weighted forward over both TGs with the configured weights, nothing replaced', async () => {
    harness.setStackOutputs(ENV_NAME.blue, blue.outputs);
    harness.setStackOutputs(ENV_NAME.green, green.outputs);
    const step4 = await deployShared({}); // the committed Pulumi.shared.yaml: environments [blue, green], weights 100/0
    assert.deepEqual(harness.one(LISTENER).inputs.defaultActions, [
      {
        type: 'forward',
        forward: {
          targetGroups: [
            { arn: blue.outputs[ENV_OUTPUTS.targetGroupArn], weight: 100 },
            { arn: green.outputs[ENV_OUTPUTS.targetGroupArn], weight: 0 },
          ],
        },
      },
    ]);
    assert.equal(step4.outputs.liveColor, 'blue');
    assert.deepEqual(step4.outputs.weights, { blue: 100, green: 0 });
    // Same URNs as step 1 plus the two references: the listener is updated in place, never replaced.
    const added = urns(step4.resources).filter((u) => !urns(step1.resources).includes(u));
    assert.deepEqual(
      added,
      [ENV_NAME.blue, ENV_NAME.green].map(
        (n) => `urn:pulumi:shared::exchange-shared::pulumi:pulumi:StackReference::${n}`,
      ),
    );
    assert.equal(step4.outputs.listenerArn, step1.outputs.listenerArn);
  });

  it('then a shift changes only the weights (green 90 / blue 10)', async () => {
    const shifted = await deployShared({ 'exchange-shared:weights': { blue: 10, green: 90 } });
    const forward = (
      harness.one(LISTENER).inputs.defaultActions as { forward: { targetGroups: { weight: number }[] } }[]
    )[0]?.forward;
    assert.deepEqual(
      forward?.targetGroups.map((t) => t.weight),
      [10, 90],
    );
    assert.equal(shifted.outputs.liveColor, 'green');
  });
});
