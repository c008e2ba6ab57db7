// deploy-check's verdict, pure: DescribeServices answers in ECS's real shape → pass / named failure.
import assert from 'node:assert/strict';
import {
  evaluateDeployment,
  expectationFromOutputs,
  failureEvents,
  pullFailureHint,
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

  describe('what a CannotPullContainerError says is missing', () => {
    const pull = (tail: string) =>
      `CannotPullContainerError: pull image manifest has been retried 1 time(s): ${tail}`;
    it('a refused anonymous pull without credentials: make the package public or set credentials', () => {
      for (const tail of [
        '… 401 Unauthorized',
        '… 403 Forbidden',
        'failed to authorize: denied',
        'unauthorized: authentication required',
      ])
        assert.match(
          pullFailureHint(pull(tail), undefined) ?? '',
          /no pull credentials: a GHCR package is private until made public/,
          tail,
        );
    });
    it('refused credentials name the secret', () =>
      assert.match(
        pullFailureHint(pull('401 Unauthorized'), 'arn:s') ?? '',
        /refused the pull credentials in arn:s/,
      ));
    it('a timeout points at the network, not the package', () => {
      assert.match(
        pullFailureHint(pull('dial tcp 140.82.1.1:443: i/o timeout'), undefined) ?? '',
        /cannot reach the registry/,
      );
      assert.match(pullFailureHint(pull('context deadline exceeded'), 'arn:s') ?? '', /NAT gateway/);
    });
    it('says nothing about other reasons', () => {
      assert.equal(pullFailureHint('Essential container in task exited', undefined), undefined);
      assert.equal(pullFailureHint(pull('manifest unknown'), undefined), undefined);
    });
  });
});
