// An `up` of the shared stack from a fresh checkout after a shift: the committed Pulumi.shared.yaml
// still says blue 100, the durable store (embedded S3) says green 100 — the listener must keep green.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { SHARED_PROJECT } from '../../contract/stacks.ts';
import { loadStackConfig, toRuntimeConfig } from '../../infra/synth/stackConfig.ts';
import { createMocks, installMocks, settle } from '../../infra/testing/mocks.ts';
import { s3DocumentStore } from '../../release/state/store.ts';
import { parseWeightsDocument, recordWeights, WEIGHTS_DOCUMENT } from '../../release/state/traffic.ts';
import type { DurableWeightsReader } from '../../infra/shared/weightsSource.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';

const BLUE_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-blue-tg-1/aaa';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-green-tg-2/bbb';
const harness = createMocks({
  stackOutputs: {
    'organization/exchange/blue': { targetGroupArn: BLUE_TG },
    'organization/exchange/green': { targetGroupArn: GREEN_TG },
  },
});

describe('shared stack weights at up (durable store, mocks)', () => {
  let s3: TestS3;
  let program: typeof import('../../infra/shared/program.ts');
  // The committed stack file, as a fresh checkout has it (blue 100, green 0).
  const committed = loadStackConfig('infra/shared/Pulumi.shared.yaml');
  const { stateBucket, statePrefix } = {
    stateBucket: String(committed[`${SHARED_PROJECT}:stateBucket`]),
    statePrefix: String(committed[`${SHARED_PROJECT}:statePrefix`] ?? ''),
  };

  before(async () => {
    s3 = await startTestS3(stateBucket);
    await installMocks(harness, { project: SHARED_PROJECT, stack: 'shared' });
    program = await import('../../infra/shared/program.ts');
  });
  after(async () => s3.close());

  const reader: DurableWeightsReader = async (loc) =>
    (await s3DocumentStore(s3.client, loc).read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value.weights;

  async function upListenerWeights(read?: DurableWeightsReader): Promise<unknown> {
    harness.reset();
    pulumi.runtime.setAllConfig(toRuntimeConfig(committed).config);
    await program.runSharedProgram(new pulumi.Config(SHARED_PROJECT), read);
    await settle();
    const actions = harness.one('aws:lb/listener:Listener').inputs.defaultActions as {
      forward: { targetGroups: unknown };
    }[];
    return actions[0]?.forward.targetGroups;
  }

  it('before any shift the committed bootstrap weights apply', async () => {
    assert.deepEqual(await upListenerWeights(reader), [
      { arn: BLUE_TG, weight: 100 },
      { arn: GREEN_TG, weight: 0 },
    ]);
  });

  it('after a shift recorded green 100, an up from the committed files keeps green 100', async () => {
    const store = s3DocumentStore(s3.client, { bucket: stateBucket, prefix: statePrefix });
    await recordWeights(store, { blue: 0, green: 100 }, 'shift test', new Date('2026-12-01T05:00:00Z'));
    assert.deepEqual(
      await upListenerWeights(reader),
      [
        { arn: BLUE_TG, weight: 0 },
        { arn: GREEN_TG, weight: 100 },
      ],
      'the durable weights must win over the committed Pulumi.shared.yaml, or an up undoes the shift',
    );
  });
});
