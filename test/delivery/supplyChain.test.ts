// What goes into a release and how it is recorded: the SBOM from ci/sbom.sh reaches GitLab (cyclonedx
// report), the image (label) and the release record (with a copy in the release state); npm's signature
// audit gates the build; the release previews every stack before its `up`; and every dependency install
// script is reviewed in package.json's allowScripts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { jobsOf, needNames, readPipeline, scriptLines, type Job } from './pipelineModel.ts';

const parent = jobsOf(readPipeline('.gitlab-ci.yml'));
const child = jobsOf(readPipeline('ci/release.yml'));
const lines = (j: Job | undefined) => scriptLines(j ?? {});
const at = (j: Job | undefined, re: RegExp) => lines(j).findIndex((l) => re.test(l));

describe('supply chain: the SBOM travels with the image', () => {
  const sbom = parent.sbom as Job & {
    artifacts: { paths: string[]; reports: { cyclonedx: string[]; dotenv: string } };
  };
  const file = /ci\/sbom\.sh (\S+) > (\S+)/.exec(lines(sbom).join('\n'));

  it('the sbom job writes it with ci/sbom.sh and hands it to GitLab as a cyclonedx report and an artifact', () => {
    assert.ok(
      file?.[1] && file[2],
      `the sbom job must run "sh ci/sbom.sh <file> > <dotenv>": ${lines(sbom).join(' | ')}`,
    );
    assert.match(file[1], /^gl-sbom-.*\.cdx\.json$/, "GitLab's SBOM report naming (gl-sbom-*.cdx.json)");
    assert.deepEqual(sbom.artifacts.reports.cyclonedx, [file[1]]);
    assert.ok(sbom.artifacts.paths.includes(file[1]), 'kept as an artifact the release fetches');
    assert.equal(sbom.artifacts.reports.dotenv, file[2], 'SBOM_DIGEST goes on as a dotenv variable');
    assert.match(readFileSync('ci/sbom.sh', 'utf8'), /printf 'SBOM_DIGEST=sha256:%s\\n'/);
  });

  it('the build waits for it and labels the image with its digest and the commit', () => {
    const build = parent['build-image'];
    assert.ok(needNames(build ?? {}).includes('sbom'));
    const text = lines(build).join('\n');
    assert.match(text, /--build-arg SBOM_DIGEST="\$SBOM_DIGEST"/);
    assert.match(text, /--build-arg REVISION="\$CI_COMMIT_SHA"/);
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    assert.match(dockerfile, /^ARG SBOM_DIGEST=/m);
    assert.match(dockerfile, /exchange\.sbom\.digest="\$\{SBOM_DIGEST\}"/);
    assert.match(dockerfile, /org\.opencontainers\.image\.revision="\$\{REVISION\}"/);
  });

  it('the deploy records the release with that SBOM file and digest, before pulumi up', () => {
    const deploy = child.deploy;
    assert.ok(
      (deploy?.needs ?? []).some(
        (n) => typeof n === 'object' && n.job === 'sbom' && n.pipeline === '$PARENT_PIPELINE_ID',
      ),
      "deploy must fetch the parent pipeline's sbom artifacts",
    );
    const rec = at(deploy, /ci\/record-release\.ts/);
    assert.ok(rec >= 0 && rec < at(deploy, /pulumi up/));
    assert.match(
      lines(deploy)[rec] ?? '',
      new RegExp(`--sbom ${file?.[1]?.replace(/\./g, '\\.')} --sbom-digest "\\$SBOM_DIGEST"`),
    );
  });
});

describe('supply chain: checks before anything is built', () => {
  it('npm audit signatures runs in the check stage, after an install, on MRs and the default branch, and gates the build', () => {
    const job = parent['audit-signatures'];
    assert.equal(job?.stage, 'check');
    const l = lines(job);
    const install = l.findIndex((x) => /npm ci\b/.test(x));
    assert.ok(install >= 0 && install < l.indexOf('npm audit signatures'), l.join(' | '));
    assert.notEqual(job?.allow_failure, true, 'a failed signature is a failed pipeline');
    assert.ok(needNames(parent['build-image'] ?? {}).includes('audit-signatures'));
    assert.ok(needNames(parent['build-image'] ?? {}).includes('image-pins'));
    assert.deepEqual(lines(parent['image-pins']).at(-1), 'node --import tsx ci/check-image-pins.ts');
  });

  it('every dependency with an install script is reviewed in allowScripts (a new one fails here)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean; name?: string }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path, p]) => {
        const folder = path.slice(path.lastIndexOf('node_modules/') + 13);
        return { folder, name: p.name ?? folder };
      });
    assert.ok(withScripts.length > 0);
    const reviewed = Object.keys(pkg.allowScripts ?? {});
    for (const { folder, name } of withScripts)
      assert.ok(
        reviewed.includes(name) || reviewed.includes(folder),
        `${name} has an install script nobody reviewed: npm approve-scripts ${name} or npm deny-scripts ${name}`,
      );
  });
});

describe('release: every stack is previewed before its up', () => {
  it('the preview job previews the shared stack and the idle colour with the policy pack', () => {
    const l = lines(child.preview);
    assert.ok(
      l.some((x) => /pulumi preview --cwd infra\/shared --stack "\$SHARED_STACK" .*--policy-pack/s.test(x)),
      l.join('\n'),
    );
    assert.ok(
      l.some((x) =>
        /pulumi preview --stack "organization\/exchange\/\$\{IDLE_COLOR\}" .*--policy-pack/s.test(x),
      ),
      l.join('\n'),
    );
  });

  it('deploy-shared ups the shared stack after the preview; deploy ups the colour after deploy-shared', () => {
    assert.deepEqual(needNames(child['deploy-shared'] ?? {}), ['preview']);
    assert.match(
      lines(child['deploy-shared']).join('\n'),
      /pulumi up --cwd infra\/shared --stack "\$SHARED_STACK" --yes/,
    );
    assert.ok(needNames(child.deploy ?? {}).includes('deploy-shared'));
    for (const [name, job] of Object.entries(child))
      if (name !== 'deploy-shared')
        assert.doesNotMatch(
          lines(job).join('\n'),
          /pulumi up [^\n]*SHARED_STACK|pulumi up --cwd infra\/shared/,
          `${name} ups the shared stack`,
        );
  });
});
