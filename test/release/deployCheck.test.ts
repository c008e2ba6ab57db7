// deploy-check's verdict, pure: DescribeServices answers in ECS's real shape → pass / named failure.
import assert from 'node:assert/strict';
import {
  evaluateDeployment,
  expectationFromOutputs,
  failureEvents,
  regionOf,
} from '../../release/deployCheck.ts';
import {
  completed,
  expectation,
  inProgress,
  PREVIOUS,
  RELEASED,
  rolledBack,
  stackOutputs,
} from './deployCheck.fixtures.ts';

describe('deploy-check verdict', () => {
  it('passes when the PRIMARY deployment runs the exported revision with rollout COMPLETED', () => {
    const r = evaluateDeployment(expectation, completed);
    assert.ok(r.ok, r.summary);
    assert.match(r.summary, /runs exchange-blue:7, rollout COMPLETED \(2\/2 tasks\)/);
  });

  it('fails on a circuit-breaker rollback, naming both revisions, the reason and the schedule', () => {
    const r = evaluateDeployment(expectation, rolledBack);
    assert.equal(r.ok, false, 'a rolled-back service must not pass (this is what `up` reports as success)');
    assert.equal(!r.ok && r.reason, 'rolled-back');
    assert.match(r.summary, /runs exchange-blue:6, not the released exchange-blue:7/);
    assert.match(r.summary, /deployment failed: tasks failed to start/);
    assert.match(r.summary, /scheduled ingest now targets exchange-blue:7.*pulumi up --stack blue/);
  });

  it('fails while the rollout is IN_PROGRESS (retryable), and on FAILED with its reason', () => {
    const r = evaluateDeployment(expectation, inProgress);
    assert.equal(!r.ok && r.reason, 'in-progress');
    const failed = structuredClone(inProgress);
    Object.assign(failed.deployments![0]!, {
      rolloutState: 'FAILED',
      rolloutStateReason: 'tasks failed to start',
    });
    const f = evaluateDeployment(expectation, failed);
    assert.equal(!f.ok && f.reason, 'failed');
    assert.match(f.summary, /is FAILED: tasks failed to start/);
  });

  it('fails on a missing or inactive service', () => {
    assert.equal(evaluateDeployment(expectation, undefined).ok, false);
    assert.equal(evaluateDeployment(expectation, { ...completed, status: 'INACTIVE' }).ok, false);
  });

  it('keeps only the newest events that explain a failure', () => {
    assert.deepEqual(failureEvents(rolledBack.events).length, 3);
    assert.match(failureEvents(rolledBack.events)[0]!, /rolling back/);
    assert.deepEqual(failureEvents(completed.events), []);
  });

  describe('expectations from `pulumi stack output --json`', () => {
    it('reads cluster, service and revision, and the region from the cluster ARN', () => {
      const e = expectationFromOutputs(stackOutputs, 'blue', 'stdin');
      assert.deepEqual(e, expectation);
      assert.equal(regionOf(e.clusterArn), 'eu-west-1');
    });
    it("refuses the other colour's outputs", () =>
      assert.throws(
        () => expectationFromOutputs(stackOutputs, 'green', 'stdin'),
        /output of the "blue" stack, not green/,
      ));
    it('refuses a task definition without revision, naming the command to produce the outputs', () =>
      assert.throws(
        () =>
          expectationFromOutputs(
            { ...stackOutputs, taskDefinitionArn: RELEASED.replace(/:7$/, '') },
            'blue',
            'o.json',
          ),
        /o\.json: output "taskDefinitionArn".*pulumi stack output --json --stack blue/,
      ));
    it('refuses an unknown colour', () =>
      assert.throws(() => expectationFromOutputs(stackOutputs, 'red', 'x')));
  });

  it('PREVIOUS and RELEASED differ only in revision (fixture sanity)', () =>
    assert.equal(PREVIOUS.replace(/:6$/, ':7'), RELEASED));
});
