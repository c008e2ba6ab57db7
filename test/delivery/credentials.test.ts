// Who gets AWS credentials in the pipelines, and what runs while they exist. Rules over both pipeline
// files (.gitlab-ci.yml and its release child ci/release.yml):
// - only a job that calls AWS has an id_token or an AWS role, and every job that calls AWS has both;
// - a job that writes (pulumi up, the release record, the shift, ingest-now) assumes the deploy role,
//   one that only reads (preview, stack outputs) the read-only preview role;
// - every install runs with --ignore-scripts and without any secret in its environment, and the
//   web-identity token file exists only after it: each credentialed job's before_script is run in bash
//   with a stub npm that records what the install could see;
// - no merge-request job needs what GitLab withholds from feature-branch merge requests (protected
//   variables; gitlab-org&17186).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expand } from '../../ci/lib/imagePins.ts';
import { runBeforeScript } from './jobShell.ts';
import { jobsOf, readPipeline, scriptLines, type Job } from './pipelineModel.ts';

const files = ['.gitlab-ci.yml', 'ci/release.yml'];
const docs = Object.fromEntries(files.map((f) => [f, readPipeline(f)]));
const jobs: [string, string, Job][] = files.flatMap((f) =>
  Object.entries(jobsOf(docs[f] ?? {})).map(([n, j]): [string, string, Job] => [f, n, j]),
);

const CALLS_AWS =
  /pulumi (up|preview|stack|refresh|destroy|import)\b|exchange (deploy-check|ingest-now|shift|capacity)\b|ci\/record-release\.ts|\baws /;
const WRITES_AWS =
  /pulumi (up|refresh|destroy|import)\b|exchange (ingest-now|shift|capacity (scale-down|prepare|release))\b|ci\/record-release\.ts/;
const INSTALL = /\bnpm (ci|install|i)\b|ci\/sbom\.sh/;

/** Masked CI/CD variables of README "CI/CD variables and AWS roles": the secrets no install may see. */
function readmeSecrets(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### CI/CD variables and AWS roles'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| Variable')));
  return table
    .split('\n')
    .filter((row) => /\|\s*[^|]*masked[^|]*\|\s*$/.test(row))
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? ''));
}

const idTokenNames = (j: Job) => Object.keys((j.id_tokens as Record<string, unknown> | undefined) ?? {});
const roleOf = (j: Job) => (j.variables as Record<string, string> | undefined)?.AWS_ROLE_ARN;
const credentialed = jobs.filter(([, , j]) => idTokenNames(j).length > 0 || roleOf(j) !== undefined);
const secrets = [...new Set([...readmeSecrets(), ...jobs.flatMap(([, , j]) => idTokenNames(j))])];

describe('pipeline credentials: only where AWS is called, never during an install', function () {
  this.timeout(30_000);

  it('the README names the secrets (masked variables) the rules below protect', () => {
    for (const s of ['GHCR_TOKEN', 'PULUMI_CONFIG_PASSPHRASE', 'EXCHANGE_TEST_KEY'])
      assert.ok(secrets.includes(s), `README's CI/CD variable table must mark ${s} masked`);
    assert.ok(secrets.includes('AWS_ID_TOKEN'));
  });

  it('a job has an id_token and an AWS role exactly when it calls AWS', () => {
    assert.ok(credentialed.length >= 8, `expected the release's AWS jobs, found ${credentialed.length}`);
    for (const [file, name, job] of jobs) {
      const calls = scriptLines(job).some((l) => CALLS_AWS.test(l));
      const where = `${file} ${name}`;
      assert.equal(
        idTokenNames(job).length > 0,
        calls,
        `${where}: id_tokens ${calls ? 'missing' : 'without an AWS call'}`,
      );
      assert.equal(
        roleOf(job) !== undefined,
        calls,
        `${where}: AWS_ROLE_ARN ${calls ? 'missing' : 'without an AWS call'}`,
      );
    }
  });

  it('writers assume the deploy role; jobs that only read assume the read-only preview role', () => {
    for (const [file, name, job] of credentialed) {
      const writes = scriptLines(job).some((l) => WRITES_AWS.test(l));
      assert.equal(
        roleOf(job),
        writes ? '${AWS_DEPLOY_ROLE_ARN}' : '${AWS_PREVIEW_ROLE_ARN}',
        `${file} ${name} ${writes ? 'writes' : 'only reads'}`,
      );
    }
  });

  it('every install line, in every job, ignores install scripts and unsets every secret', () => {
    const lines = jobs.flatMap(([file, name, j]) =>
      scriptLines(j)
        .filter((l) => INSTALL.test(l))
        .map((l) => [`${file} ${name}`, l]),
    );
    assert.ok(lines.length >= 5, lines.join('\n'));
    for (const [where, line = ''] of lines) {
      if (/\bnpm (ci|install|i)\b/.test(line)) assert.match(line, /--ignore-scripts/, `${where}: ${line}`);
      for (const s of secrets)
        assert.match(
          line,
          new RegExp(`env (-u \\w+ )*-u ${s}\\b`),
          `${where} installs with ${s} set: ${line}`,
        );
    }
    const sbomInstall = readFileSync('ci/sbom.sh', 'utf8')
      .split('\n')
      .filter((l) => /^\s*npm ci\b/.test(l));
    assert.equal(sbomInstall.length, 1);
    assert.match(sbomInstall[0] ?? '', /--omit=dev .*--ignore-scripts/);
  });

  for (const [file, name, job] of credentialed)
    it(`${file} ${name}: the install sees no token or secret and no token file; the token file exists after`, async () => {
      const env: Record<string, string> = {
        AWS_ID_TOKEN: 'eyJ.test-id-token.sig',
        AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/exchange-deploy',
        AWS_PREVIEW_ROLE_ARN: 'arn:aws:iam::123456789012:role/exchange-preview',
        ...Object.fromEntries(secrets.filter((s) => s !== 'AWS_ID_TOKEN').map((s) => [s, `secret-${s}`])),
      };
      env.AWS_ROLE_ARN = expand(roleOf(job) ?? '', env);
      const run = await runBeforeScript(job, env, secrets);
      try {
        assert.equal(
          run.installs.length,
          1,
          `${name}: one npm ci expected, saw ${JSON.stringify(run.installs)}`,
        );
        const [install] = run.installs;
        assert.match(install?.argv ?? '', /^ci .*--ignore-scripts/);
        assert.deepEqual(install?.secretsInEnv, [], 'secrets in the install environment');
        assert.deepEqual(install?.tokenFiles, [], 'the token was on disk during the install');
        const file = run.after.AWS_WEB_IDENTITY_TOKEN_FILE ?? '';
        assert.equal(readFileSync(file, 'utf8'), env.AWS_ID_TOKEN, 'the SDKs read the token from this file');
        assert.ok(file.startsWith(run.projectDir));
        assert.equal(run.after.AWS_ROLE_ARN, env.AWS_ROLE_ARN);
        assert.equal(run.after.AWS_ID_TOKEN, undefined, 'the token leaves the environment once on disk');
        assert.match(run.after.AWS_ROLE_SESSION_NAME ?? '', /^gitlab-42-4242$/);
      } finally {
        await run.close();
      }
    });

  it('the bash check does catch an install before the token file, or with the token set', async () => {
    const [, , sample] = credentialed[0] ?? [];
    const lines = sample?.before_script ?? [];
    const install = lines.find((l) => INSTALL.test(l)) ?? '';
    const env = { AWS_ID_TOKEN: 'tok', AWS_ROLE_ARN: 'arn:x' };
    const late = await runBeforeScript(
      { before_script: [...lines.filter((l) => l !== install), install] },
      env,
      ['AWS_ID_TOKEN'],
    );
    const bare = await runBeforeScript(
      { before_script: ['npm ci --ignore-scripts', ...lines.filter((l) => l !== install)] },
      env,
      ['AWS_ID_TOKEN'],
    );
    try {
      assert.equal(late.installs[0]?.tokenFiles.length, 1, 'token file written before the install is seen');
      assert.deepEqual(
        bare.installs[0]?.secretsInEnv,
        ['AWS_ID_TOKEN'],
        'a token in the environment is seen',
      );
    } finally {
      await late.close();
      await bare.close();
    }
  });

  it('no merge-request job needs a credential or a protected variable (GitLab withholds them from feature-branch MRs)', () => {
    const mrJobs = jobs.filter(
      ([file, , j]) =>
        file === '.gitlab-ci.yml' &&
        (j.rules ?? []).some((r) => String(r.if ?? '').includes('merge_request_event')),
    );
    assert.ok(
      mrJobs.some(([, n]) => n === 'synth'),
      'merge requests still check every stack offline (synth)',
    );
    for (const [, name, job] of mrJobs) {
      assert.equal(job.id_tokens, undefined, `${name} runs on merge requests with an id_token`);
      for (const line of scriptLines(job).filter((l) => !INSTALL.test(l)))
        assert.doesNotMatch(
          line,
          /pulumi |\$\{?(PULUMI_CONFIG_PASSPHRASE|GHCR_TOKEN|EXCHANGE_TEST_KEY|AWS_DEPLOY_ROLE_ARN)\b/,
          `${name} would be red by design on merge requests: ${line}`,
        );
    }
  });
});
