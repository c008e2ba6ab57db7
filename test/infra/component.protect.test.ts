// §4: the target group is protected, so the engine refuses at preview to replace it (a protected resource
// whose diff needs a replacement is an error in pkg/resource/deploy/step_generator.go). Lifting the
// protection for a planned replacement is refused while the shared listener still forwards to the colour.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { SHARED_OUTPUTS } from '../../contract/stacks.ts';
import { parseEnvironmentConfig } from '../../infra/environment/config.ts';
import { createMocks, installMocks, promiseOf, settle, type MockHarness } from '../../infra/testing/mocks.ts';
import { sharedStackOutputs } from '../../infra/testing/stackOutputs.ts';
import { useComponentFixture } from './component.helpers.ts';
import { stackFileConfig } from './environment.helpers.ts';

const TG = 'aws:lb/targetGroup:TargetGroup';
const SHARED = 'organization/exchange-shared/shared';

describe('target group protection', () => {
  describe('component', () => {
    const f = useComponentFixture();
    it('registers the target group with protect: true by default, and only it', async () => {
      await f.build();
      assert.equal(f.h.one(TG).protect, true, 'the engine must receive protect for the target group');
      const others = f.h.resources.filter((r) => r.protect && r.type !== TG).map((r) => r.name);
      assert.deepEqual(others, [], 'nothing else is protected (destroying a colour stays possible)');
    });
    it('protectTargetGroup: false lifts it', async () => {
      await f.build({ protectTargetGroup: false });
      assert.equal(f.h.one(TG).protect, false);
    });
  });

  describe('stack program with exchange:allowTargetGroupReplacement', () => {
    let h: MockHarness;
    const run = async (forwardedColors: string[]) => {
      h = createMocks({
        stackOutputs: {
          [SHARED]: { ...sharedStackOutputs(), [SHARED_OUTPUTS.forwardedColors]: forwardedColors },
        },
      });
      await installMocks(h, { project: 'exchange', stack: 'green' });
      const program = await import('../../infra/environment/program.ts');
      const cfg = parseEnvironmentConfig(
        { ...stackFileConfig('green'), 'exchange:allowTargetGroupReplacement': 'true' },
        'green',
      );
      return program.environmentProgram(cfg);
    };
    after(() => pulumi.runtime.setAllConfig({}));

    it('is refused while the shared listener still forwards to the colour (the TG never registers)', async () => {
      await run(['blue', 'green']);
      // settle() would wait forever for the blocked registration: wait until registrations stop instead.
      for (let seen = -1; seen !== h.resources.length;) {
        seen = h.resources.length;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(h.ofType('aws:s3/bucket:Bucket').length === 1, 'the rest of the program did run');
      assert.equal(
        h.ofType(TG).length,
        0,
        'the target group must not be registered (no replacement planned)',
      );
      const { assertNotForwarded } = await import('../../infra/environment/program.ts');
      assert.throws(
        () => assertNotForwarded(['blue', 'green'], 'green'),
        /allowTargetGroupReplacement is true but the shared listener still forwards to green: set its weight to 0/,
      );
    });

    it('proceeds unprotected once the shared stack no longer forwards to it', async () => {
      const stack = await run(['blue']);
      await promiseOf(stack.environment.targetGroupArn);
      await settle();
      assert.equal(h.one(TG).protect, false);
    });
  });
});
