// AWS limits are inclusive at both ends (issue 19): the maximum and the minimum themselves are valid,
// one past either is refused with the argument, the value and the allowed range.
import assert from 'node:assert/strict';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import {
  checkFargateSize,
  checkImage,
  checkIntRange,
  checkLogRetention,
  checkScheduleExpression,
  checkTimezone,
  FARGATE_MEMORY,
  immutableImageProblem,
} from '../../components/exchangeEnvironment/limits.ts';

const refused = (fn: () => void, text: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof EnvironmentArgError && text.test(err.oneLine()));

describe('component limits: boundaries', () => {
  it('values at the maximum and the minimum are accepted (stopTimeoutSeconds 2 and 120)', () => {
    assert.doesNotThrow(() => checkIntRange('stopTimeoutSeconds', 120, 2, 120));
    assert.doesNotThrow(() => checkIntRange('stopTimeoutSeconds', 2, 2, 120));
    refused(
      () => checkIntRange('stopTimeoutSeconds', 121, 2, 120),
      /stopTimeoutSeconds.*121.*an integer from 2 to 120/,
    );
    refused(() => checkIntRange('stopTimeoutSeconds', 1, 2, 120), /an integer from 2 to 120/);
    refused(() => checkIntRange('stopTimeoutSeconds', 30.5, 2, 120), /an integer from 2 to 120/);
  });

  it('Fargate memory: the table’s first and last value per cpu, in its steps', () => {
    assert.deepEqual(FARGATE_MEMORY[256], [512, 1024, 2048]);
    assert.deepEqual(FARGATE_MEMORY[512], [1024, 2048, 3072, 4096]);
    assert.equal(FARGATE_MEMORY[4096]?.[0], 8192);
    assert.equal(FARGATE_MEMORY[4096]?.at(-1), 30720);
    assert.equal(FARGATE_MEMORY[8192]?.[1], 16384 + 4096);
    assert.equal(FARGATE_MEMORY[16384]?.at(-1), 122880);
    assert.doesNotThrow(() => checkFargateSize(1024, 8192));
    refused(() => checkFargateSize(1024, 9216), /for cpu 1024: 2048–8192 in steps of 1024/);
    refused(() => checkFargateSize(256, 4096), /for cpu 256: 512, 1024, 2048/);
    refused(() => checkFargateSize(300, 512), /256, 512, 1024, 2048, 4096, 8192, 16384 — Fargate cpu units$/);
    refused(() => checkFargateSize(1024, 9216), /— Fargate cpu\/memory pairs \(MiB\)$/);
  });

  it('log retention: only CloudWatch’s values, the first and the last included', () => {
    assert.doesNotThrow(() => checkLogRetention(1));
    assert.doesNotThrow(() => checkLogRetention(3653));
    refused(() => checkLogRetention(0), /logRetentionDays/);
    refused(
      () => checkLogRetention(2, 'x'),
      /^x: 2 is not allowed; allowed: 1, 3, 5, .*3653 — CloudWatch Logs retention values$/,
    );
  });

  it('rate(): 1 takes a singular unit, more a plural; 0 never', () => {
    assert.doesNotThrow(() => checkScheduleExpression('rate(1 day)'));
    assert.doesNotThrow(() => checkScheduleExpression('rate(2 hours)'));
    refused(() => checkScheduleExpression('rate(1 days)'), /singular unit for 1/);
    refused(() => checkScheduleExpression('rate(2 hour)'), /plural otherwise/);
    refused(() => checkScheduleExpression('rate(0 minutes)'), /n ≥ 1/);
  });

  it('cron(): six fields with "?" in exactly one day field', () => {
    assert.doesNotThrow(() => checkScheduleExpression('cron(30 15 ? * SUN-THU *)'));
    assert.doesNotThrow(() => checkScheduleExpression('cron(0 6 1 * ? *)'));
    refused(() => checkScheduleExpression('cron(30 15 * * SUN-THU *)'), /e\.g\. cron/);
    refused(() => checkScheduleExpression('cron(30 15 ? * ? *)'), /e\.g\. cron/);
    refused(() => checkScheduleExpression('cron(30 15 ? * SUN)'), /e\.g\. cron/);
    refused(() => checkScheduleExpression('cron(3x 15 ? * SUN *)'), /e\.g\. cron/);
    refused(() => checkScheduleExpression('xcron(0 6 1 * ? *)'), /e\.g\. cron/);
    refused(() => checkScheduleExpression('cron(0 6 1 * ? *)x'), /e\.g\. cron/);
    assert.doesNotThrow(
      () => checkScheduleExpression('cron(0  6 1 * ? *)'),
      'runs of spaces separate fields',
    );
    assert.doesNotThrow(
      () => checkScheduleExpression('cron( 0 6 1 * ? * )'),
      'spaces inside the parentheses are not fields',
    );
  });

  it('time zones: IANA names only, never empty', () => {
    assert.doesNotThrow(() => checkTimezone('Europe/Warsaw'));
    refused(() => checkTimezone(''), /IANA time zone/);
    refused(() => checkTimezone('Mars/Olympus'), /scheduleTimezone/);
  });

  it('images: a digest or a full x.y.z tag; anything that can move is refused with the reason', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.equal(immutableImageProblem(`ghcr.io/acme/exchange@${digest}`), undefined);
    assert.equal(immutableImageProblem('ghcr.io/acme/exchange:v1.2.3'), undefined);
    assert.equal(immutableImageProblem('ghcr.io/acme/exchange:1.2.3-rc.1+b7'), undefined);
    assert.match(immutableImageProblem('localhost:5000/exchange') ?? '', /no tag/);
    assert.match(immutableImageProblem('ghcr.io/acme/exchange:1.2') ?? '', /uses tag "1\.2"/);
    assert.match(immutableImageProblem('ghcr.io/acme/exchange@sha256:abc') ?? '', /malformed digest/);
    assert.doesNotThrow(() => checkImage(`ghcr.io/acme/exchange@${digest}`));
    refused(() => checkImage('ghcr.io/acme/exchange:latest'), /this one uses tag "latest"/);
    refused(() => checkImage('Exchange:1.2.3'), /e\.g\. ghcr\.io/);
    refused(() => checkImage('ghcr.io/acme/exchange:latest'), /pin it so rollbacks redeploy the same bytes$/);
  });

  it('an image with no repository path, no tag or a digest only is described exactly', () => {
    assert.equal(immutableImageProblem(`@sha256:${'b'.repeat(64)}`), undefined, 'a digest alone is pinned');
    assert.equal(immutableImageProblem('exchange'), 'has no tag (implicitly "latest")');
    assert.equal(immutableImageProblem('ghcr.io/acme/exchange'), 'has no tag (implicitly "latest")');
  });

  it('a semver tag Docker cannot hold (1.2.3+build) or a malformed digest is malformed, not merely movable', () => {
    refused(() => checkImage('ghcr.io/acme/exchange:1.2.3+b7'), /e\.g\. ghcr\.io\/acme\/exchange@sha256:…$/);
    refused(
      () => checkImage('ghcr.io/acme/exchange@sha256:abc'),
      /e\.g\. ghcr\.io\/acme\/exchange@sha256:…$/,
    );
    refused(() => checkImage(`ghcr.io/acme/exchange:${'a'.repeat(129)}`), /e\.g\. ghcr\.io/);
  });
});
