import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { COMMANDS } from '../../cli/registry.ts';
import { sandbox, type Sandbox } from './gitlabCiLocal.ts';
import {
  exchangeVerbs,
  jobsOf,
  needNames,
  npmScripts,
  readPipeline,
  repoFiles,
  scriptLines,
  type Job,
} from './pipelineModel.ts';

const parent = readPipeline('.gitlab-ci.yml');
const child = readPipeline('ci/release.yml');
const parentJobs = jobsOf(parent);
const childJobs = jobsOf(child);
const allJobs: [string, Job][] = [...Object.entries(parentJobs), ...Object.entries(childJobs)];
const allLines = allJobs.flatMap(([, j]) => scriptLines(j));

describe('GitLab pipeline: GitLab CI schema and needs (gitlab-ci-local 4.73.0)', function () {
  this.timeout(60_000);
  let box: Sandbox;
  before(async () => {
    box = await sandbox(['.gitlab-ci.yml', 'ci', 'package.json']);
  });
  after(() => box.close());

  const list = async (args: string[]) => {
    const r = await box.gcl(['--list-json', ...args]);
    assert.equal(r.code, 0, `gitlab-ci-local rejected the pipeline:\n${r.stdout}\n${r.stderr}`);
    return (JSON.parse(r.stdout) as { name: string; when: string }[])
      .filter((j) => j.when !== 'never')
      .map((j) => j.name);
  };

  it('.gitlab-ci.yml passes the schema and needs checks, and runs build + release on the default branch only', async () => {
    const names = await list([]);
    assert.deepEqual(names, [
      'lint',
      'typecheck',
      'unit-tests',
      'system-tests',
      'audit-signatures',
      'image-pins',
      'sbom',
      'build-image',
      'release',
    ]);
  });

  it('merge requests run the checks and synth of every stack (no preview: it needs protected variables), and never build or release', async () => {
    const names = await list([
      '--variable',
      'CI_PIPELINE_SOURCE=merge_request_event',
      '--unset-variable',
      'CI_COMMIT_BRANCH',
    ]);
    for (const want of [
      'lint',
      'typecheck',
      'unit-tests',
      'system-tests',
      'audit-signatures',
      'image-pins',
      'synth: [blue]',
      'synth: [green]',
      'synth: [shared]',
    ])
      assert.ok(names.includes(want), `MR pipeline lacks ${want}: ${names.join(', ')}`);
    for (const never of ['build-image', 'sbom', 'release'])
      assert.ok(!names.includes(never), `MR pipeline must not run ${never}: ${names.join(', ')}`);
    assert.ok(
      !names.some((n) => n.startsWith('preview')),
      `a merge-request preview can never pass: ${names.join(', ')}`,
    );
  });

  it('merge requests run the incremental mutation run; the default branch does not', async () => {
    const mr = await list([
      '--variable',
      'CI_PIPELINE_SOURCE=merge_request_event',
      '--unset-variable',
      'CI_COMMIT_BRANCH',
    ]);
    assert.ok(
      mr.includes('mutation-incremental'),
      `MR pipeline lacks mutation-incremental: ${mr.join(', ')}`,
    );
    assert.ok(!mr.includes('mutation-full'), 'the full run is for schedules only');
  });

  it('a scheduled pipeline runs the full mutation run only: never builds, releases or repeats the checks', async () => {
    const names = await list(['--variable', 'CI_PIPELINE_SOURCE=schedule']);
    assert.deepEqual(names, ['mutation-full']);
  });

  it('ci/release.yml (the child pipeline) passes the schema and needs checks', async () => {
    const r = await box.gcl(['--list', '--file', 'ci/release.yml', '--variable', 'PARENT_PIPELINE_ID=1']);
    assert.equal(r.code, 0, `gitlab-ci-local rejected ci/release.yml:\n${r.stdout}\n${r.stderr}`);
  });

  it('the validation does fail on a need that names no job', async () => {
    await box.write(
      'broken.yml',
      readFileSync('.gitlab-ci.yml', 'utf8').replace('needs: [build-image]', 'needs: [build-imag]'),
    );
    const r = await box.gcl(['--list', '--file', 'broken.yml']);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /build-imag\] for release could not be found/);
  });
});

describe('GitLab pipeline: what it calls exists', () => {
  it('every npm script a job runs is in package.json', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    for (const s of npmScripts(allLines))
      assert.ok(scripts[s], `a job runs "npm run ${s}" but package.json has no such script`);
  });

  it('every exchange verb a job runs is registered in cli/registry.ts', () => {
    const verbs = [...new Set(exchangeVerbs(allLines))];
    assert.ok(verbs.length >= 4, `expected the release verbs, found ${verbs.join(', ')}`);
    for (const v of verbs)
      assert.ok(COMMANDS[v], `a job runs "exchange ${v}" but cli/registry.ts has no such command`);
  });

  it('every flag a job passes to a registered exchange verb is one the command accepts', async () => {
    const calls = allLines.flatMap((l) => [...l.matchAll(/npx exchange ([a-z][\w-]*)([^|;&]*)/g)]);
    for (const [, verb = '', rest = ''] of calls) {
      const entry = COMMANDS[verb];
      if (!entry) continue; // unregistered verbs fail the test above
      const options = (await entry.load()).options;
      for (const [, flag = ''] of rest.matchAll(/--([a-z][\w-]*)/g))
        assert.ok(flag in options, `a job runs "exchange ${verb} --${flag}" but ${verb} has no --${flag}`);
    }
  });

  it('every repository script a job runs exists', () => {
    const files = repoFiles(allLines);
    assert.ok(files.length > 0);
    for (const f of files) assert.ok(existsSync(f), `a job runs ${f}, which does not exist`);
  });
});

describe('GitLab pipeline: rules a release depends on', () => {
  it('workflow: MRs, default branch, tags, and no branch pipeline beside an MR pipeline', () => {
    const rules = ((parent.workflow as { rules: { if: string; when?: string }[] }).rules ?? []).map(
      (r) => `${r.if}|${r.when ?? ''}`,
    );
    assert.deepEqual(rules, [
      '$CI_PIPELINE_SOURCE == "merge_request_event"|',
      '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS|never',
      '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH|',
      '$CI_COMMIT_TAG|',
    ]);
  });

  it('interruptible only on lint, test and build jobs', () => {
    const allowed = new Set([
      'lint',
      'typecheck',
      'unit-tests',
      'system-tests',
      'audit-signatures',
      'image-pins',
      'synth',
      'sbom',
      'build-image',
      'mutation-incremental',
    ]);
    for (const [name, job] of allJobs)
      if (job.interruptible === true)
        assert.ok(
          allowed.has(name),
          `${name} is interruptible: only lint/test/build may be cancelled midway`,
        );
    for (const name of allowed)
      assert.equal(parentJobs[name]?.interruptible, true, `${name} should be interruptible`);
  });

  it('retry only for runner failures, and never on a release job', () => {
    const runner = new Set([
      'runner_system_failure',
      'stuck_or_timeout_failure',
      'scheduler_failure',
      'unknown_failure',
    ]);
    for (const [name, job] of allJobs) {
      const retry = job.retry as { when?: string[] } | undefined;
      if (retry === undefined) continue;
      assert.ok(
        !(name in childJobs) && name !== 'release',
        `${name} retries: deploy jobs must never run twice by accident`,
      );
      for (const w of retry.when ?? ['always'])
        assert.ok(runner.has(w), `${name} retries on ${w}: only runner failures`);
    }
  });

  it('AWS only through OIDC id_tokens; no static keys; GHCR token only via --password-stdin', () => {
    const text = readFileSync('.gitlab-ci.yml', 'utf8') + readFileSync('ci/release.yml', 'utf8');
    assert.doesNotMatch(
      text,
      /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|CI_JOB_JWT/,
      'use id_tokens and web identity',
    );
    for (const [name, job] of allJobs.filter(([, j]) =>
      scriptLines(j).some((l) =>
        /pulumi (up|preview|stack)|exchange (deploy-check|ingest-now|shift)/.test(l),
      ),
    ))
      assert.ok(job.id_tokens, `${name} calls AWS without id_tokens`);
    const tokenLines = allLines.filter((l) => /\$\{?GHCR_TOKEN\b/.test(l));
    assert.ok(
      tokenLines.length > 0 &&
        tokenLines.every((l) => /printf '%s' "\$GHCR_TOKEN" \| \S+ login .*--password-stdin/.test(l)),
      tokenLines.join('\n'),
    );
  });

  it('unit tests publish a JUnit report even when they fail; the npm cache is keyed on package-lock.json', () => {
    const ut = parentJobs['unit-tests'] as Job & { artifacts: { when: string; reports: { junit: string } } };
    assert.equal(ut.artifacts.when, 'always');
    const script =
      (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts[
        'test:junit'
      ] ?? '';
    assert.ok(
      script.includes(`output=${ut.artifacts.reports.junit}`),
      `test:junit must write ${ut.artifacts.reports.junit}`,
    );
    const cache = parentJobs.lint?.cache as { key: { files: string[] }; paths: string[] };
    assert.deepEqual(cache.key.files, ['package-lock.json']);
    assert.ok(!cache.paths.includes('node_modules/'), 'cache the npm cache, not node_modules');
  });

  it('the build pushes by digest and hands IMAGE_REF (…@sha256) to the release as a dotenv artifact', () => {
    const build = parentJobs['build-image'] as Job & { artifacts: { reports: { dotenv: string } } };
    const lines = scriptLines(build).join('\n');
    assert.match(lines, /push --digestfile image\.digest/);
    assert.match(lines, /IMAGE_REF=%s@%s/);
    assert.equal(build.artifacts.reports.dotenv, 'build.env');
    assert.doesNotMatch(
      String(build.image) + JSON.stringify(build.services ?? ''),
      /dind|docker:/,
      'no docker-in-docker',
    );
  });
});

describe('release child pipeline: job graph', () => {
  const stages = child.stages as string[];
  const order = (n: string) => stages.indexOf(childJobs[n]?.stage ?? '');

  it('the trigger job holds resource_group production and waits for the child (strategy depend)', () => {
    const rel = parentJobs.release as Job & {
      resource_group: string;
      trigger: { include: string; strategy: string };
      variables: Record<string, string>;
    };
    assert.equal(rel.resource_group, 'production', 'without it two releases interleave');
    assert.deepEqual(rel.trigger, { include: 'ci/release.yml', strategy: 'depend' });
    assert.deepEqual(needNames(rel), ['build-image']);
    assert.equal(
      rel.variables.PARENT_PIPELINE_ID,
      '${CI_PIPELINE_ID}',
      'the child fetches the digest from the parent pipeline',
    );
  });

  it('runs idle-colour → preview → deploy-shared → deploy → seed → verify → shift → rollback, each needing the step before', () => {
    const expected: Record<string, string[]> = {
      'idle-colour': ['build-image'],
      preview: ['idle-colour'],
      'deploy-shared': ['preview'],
      deploy: ['idle-colour', 'deploy-shared', 'sbom'],
      seed: ['idle-colour', 'deploy'],
      verify: ['idle-colour', 'seed'],
      shift: ['idle-colour', 'verify'],
      'revert-deploy': ['idle-colour', 'deploy'],
      rollback: ['idle-colour', 'shift'],
      'scale-down': [],
    };
    assert.deepEqual(Object.keys(childJobs), Object.keys(expected));
    for (const [name, needs] of Object.entries(expected)) {
      assert.deepEqual(needNames(childJobs[name] ?? {}), needs, `${name}'s needs`);
      for (const n of needs.filter((x) => x in childJobs))
        assert.ok(order(n) < order(name), `${name} needs ${n} from a later stage`);
    }
    const names = Object.keys(expected).filter((n) => n !== 'revert-deploy');
    for (let i = 1; i < names.length; i++)
      assert.ok(
        order(names[i - 1] ?? '') < order(names[i] ?? ''),
        `${names[i]} must come after ${names[i - 1]}`,
      );
  });

  it('scales the idle colour down last, whatever the outcome, under a resource group of its own', () => {
    const job = childJobs['scale-down'] as Job & { resource_group: string; environment: { action: string } };
    assert.equal(job.when, 'always', 'after a rollback or a reverted deploy too');
    assert.equal(order('scale-down'), stages.length - 1, 'the last stage: after the rollback');
    assert.ok(
      job.resource_group && job.resource_group !== 'production',
      'production is held by the trigger job',
    );
    assert.equal(job.environment.action, 'access', 'it changes no deployment');
    assert.ok(scriptLines(job).some((l) => /npx exchange capacity scale-down/.test(l)));
    const deploy = scriptLines(childJobs.deploy ?? {});
    const at = (re: RegExp) => deploy.findIndex((l) => re.test(l));
    assert.ok(at(/exchange capacity prepare --to "\$IDLE_COLOR"/) >= 0, 'deploy prepares capacity');
    assert.ok(at(/exchange capacity prepare/) < at(/pulumi up/), 'before the up');
  });

  it('rolls back only when the shift fails, with exchange shift abort', () => {
    const rb = childJobs.rollback ?? {};
    assert.equal(rb.when, 'on_failure');
    assert.ok(scriptLines(rb).some((l) => /npx exchange shift abort/.test(l)));
    for (const [name, job] of Object.entries(childJobs))
      if (name !== 'rollback' && name !== 'revert-deploy') assert.notEqual(job.when, 'on_failure', name);
  });

  it('a failed deploy reverts the colour to its previous image and ups again, so the schedule leaves the rejected revision', () => {
    const job = childJobs['revert-deploy'] ?? {};
    assert.equal(job.when, 'on_failure', 'revert-deploy must run only when deploy fails');
    assert.deepEqual(needNames(job), ['idle-colour', 'deploy'], 'on_failure of deploy, not of the shift');
    const lines = scriptLines(job);
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const revert = at(/record-release\.ts .*--revert "\$IMAGE_REF"/);
    assert.ok(revert >= 0 && revert < at(/pulumi up/), 'revert the record first, guarded by this image');
    assert.ok(
      at(/pulumi up/) > 0 && at(/exchange deploy-check/) > at(/pulumi up/),
      'then up and check again',
    );
    assert.equal(job.retry, undefined, 'a deploy never retries');
  });

  it('deploy records the release durably before pulumi up, then runs deploy-check', () => {
    const lines = scriptLines(childJobs.deploy ?? {});
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    assert.ok(
      at(/ci\/record-release\.ts/) >= 0 && at(/ci\/record-release\.ts/) < at(/pulumi up/),
      'record before up: a later up from a fresh checkout keeps this image',
    );
    assert.ok(at(/exchange deploy-check/) > at(/pulumi up/));
  });

  it('deploy, seed, verify, shift and rollback name the production environment with a URL', () => {
    for (const name of ['deploy-shared', 'deploy', 'seed', 'verify', 'shift', 'revert-deploy', 'rollback']) {
      const env = childJobs[name]?.environment as
        { name: string; url: string; deployment_tier: string } | undefined;
      assert.ok(
        env?.name.startsWith('production') && env.url && env.deployment_tier === 'production',
        `${name}: ${JSON.stringify(env)}`,
      );
    }
  });
});
