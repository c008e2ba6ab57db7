import assert from 'node:assert/strict';
import { TARGET_HEALTH } from '../../../contract/index.ts';
import { healthSettings, nextHealth, type TargetHealth } from '../../../local/router/health.ts';

const t = { healthyThreshold: 2, unhealthyThreshold: 3 };

function run(passes: boolean[], from: TargetHealth = { state: 'initial', streak: 0 }): TargetHealth {
  return passes.reduce((h, p) => nextHealth(h, p, t, p ? undefined : '503'), from);
}

describe('router target health (the ALB threshold rule)', () => {
  it('turns a new target healthy only after healthyThreshold consecutive passes', () => {
    assert.equal(run([true]).state, 'initial', 'one pass must not be enough with a threshold of 2');
    assert.equal(run([true, true]).state, 'healthy');
    assert.equal(run([true, false, true]).state, 'initial', 'a failure in between must restart the streak');
  });

  it('turns a healthy target unhealthy only after unhealthyThreshold consecutive failures', () => {
    const healthy = run([true, true]);
    assert.equal(
      run([false, false], healthy).state,
      'healthy',
      'two failures must not flip it with a threshold of 3',
    );
    const sick = run([false, false, false], healthy);
    assert.equal(sick.state, 'unhealthy');
    assert.equal(sick.reason, '503', 'the last failure reason must be kept for the admin API');
    assert.equal(
      run([true, true], sick).state,
      'healthy',
      'an unhealthy target recovers after healthyThreshold passes',
    );
  });

  it('takes the target group numbers from the contract and scales only the times', () => {
    const s = healthSettings(0.1);
    assert.equal(s.path, TARGET_HEALTH.path);
    assert.equal(s.intervalMs, TARGET_HEALTH.intervalSeconds * 100);
    assert.equal(s.timeoutMs, TARGET_HEALTH.timeoutSeconds * 100);
    assert.equal(s.healthyThreshold, TARGET_HEALTH.healthyThreshold);
    assert.equal(s.unhealthyThreshold, TARGET_HEALTH.unhealthyThreshold);
  });
});
