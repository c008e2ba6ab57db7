// renovate.json, checked offline: against Renovate's own JSON schema (renovate-schema.json of the npm
// package renovate@44.121.2, gzipped under test/fixtures/renovate; Renovate is AGPL-3.0, so it is a test
// fixture only), and by applying its patterns to the real files: every CI image variable and the
// Dockerfile base must be something Renovate extracts, with the tag and digest the image-pins rule sees.
// (Also run by hand with renovate-config-validator 44.121.2 on Node 24 and Renovate's own extractors:
// README "Keeping pins current".)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { dockerfileImageUses, pipelineImageUses } from '../../ci/lib/imagePins.ts';
import { readPipeline } from './pipelineModel.ts';

interface RegexManager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate: string;
  autoReplaceStringTemplate?: string;
}
interface RenovateConfig {
  enabledManagers: string[];
  groupName?: string;
  separateMajorMinor?: boolean;
  pinDigests?: boolean;
  rangeStrategy?: string;
  lockFileMaintenance?: { enabled?: boolean };
  packageRules?: { matchPackageNames?: string[]; allowedVersions?: string }[];
  customManagers: RegexManager[];
}

const config = JSON.parse(readFileSync('renovate.json', 'utf8')) as RenovateConfig;
const schema = JSON.parse(
  gunzipSync(readFileSync('test/fixtures/renovate/renovate-schema-44.121.2.json.gz')).toString('utf8'),
) as Record<string, unknown>;

/** Renovate's "/regex/" managerFilePatterns form (a plain string would be a glob). */
const filePattern = (p: string): RegExp => {
  const m = /^\/(.*)\/([a-z]*)$/.exec(p);
  assert.ok(m?.[1] !== undefined, `managerFilePatterns entry ${p} is not a /regex/`);
  return new RegExp(m[1], m[2]);
};

/** What a regex manager extracts from a file: its named groups, as Renovate reads them. */
function extract(m: RegexManager, text: string) {
  return m.matchStrings.flatMap((s) =>
    [...text.matchAll(new RegExp(s, 'g'))].map((x) => ({
      depName: x.groups?.depName,
      currentValue: x.groups?.currentValue,
      currentDigest: x.groups?.currentDigest,
    })),
  );
}

describe('Renovate configuration (renovate.json)', () => {
  // Compiling the 460 kB schema takes seconds: once. Its "regex" format is Renovate's own (RE2 or /…/).
  let validate: ReturnType<Ajv['compile']>;
  before(() => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('regex', true);
    validate = ajv.compile(schema);
  });

  /** Every option name the schema defines; Renovate options share one namespace at every level. */
  const known = new Set([
    ...Object.keys(schema.properties as object),
    ...Object.keys(schema.definitions as object),
  ]);
  const unknownKeys = (v: unknown, path = ''): string[] =>
    typeof v !== 'object' || v === null
      ? []
      : Array.isArray(v)
        ? v.flatMap((x, i) => unknownKeys(x, `${path.replace(/\.$/, '')}[${i}].`))
        : Object.entries(v).flatMap(([k, x]) =>
            k === '$schema'
              ? []
              : [...(known.has(k) ? [] : [`${path}${k}`]), ...unknownKeys(x, `${path}${k}.`)],
          );

  it('is valid against Renovate 44.121.2’s JSON schema, and names no option Renovate does not know', () => {
    assert.match(String(schema.title), /Renovate 44\.121\.2/);
    assert.ok(validate(config), JSON.stringify(validate.errors, null, 1));
    assert.deepEqual(unknownKeys(config), []);
  });

  it('the check does fail on a mistyped value or a misspelt option', () => {
    assert.equal(validate({ ...config, groupName: 5 }), false);
    assert.equal(validate({ ...config, rangeStrategy: 'pinned' }), false);
    assert.deepEqual(unknownKeys({ ...config, pinDigestz: true }), ['pinDigestz']);
    assert.deepEqual(unknownKeys({ packageRules: [{ matchPackageNamez: ['x'] }] }), [
      'packageRules[0].matchPackageNamez',
    ]);
  });

  it('updates npm (package.json and the lock file), the Dockerfile and the CI images, pinning digests', () => {
    assert.deepEqual([...config.enabledManagers].sort(), ['custom.regex', 'dockerfile', 'npm']);
    assert.equal(config.pinDigests, true, 'a new image must arrive pinned by digest');
    assert.equal(config.rangeStrategy, 'pin', 'package.json keeps exact versions');
    assert.equal(config.lockFileMaintenance?.enabled, true, 'transitive packages in the lock file too');
  });

  it('groups every update into one merge request, since each merge to the default branch releases', () => {
    assert.ok(config.groupName, 'one group for all updates');
    assert.equal(config.separateMajorMinor, false, 'majors too, or they come as a second MR');
  });

  it('extracts every CI image variable with the exact tag and digest the pipelines use', () => {
    const [manager] = config.customManagers;
    assert.ok(manager && manager.customType === 'regex' && manager.datasourceTemplate === 'docker');
    for (const file of ['.gitlab-ci.yml', 'ci/release.yml']) {
      assert.ok(
        manager.managerFilePatterns.some((p) => filePattern(p).test(file)),
        `${file} is not in managerFilePatterns`,
      );
      const text = readFileSync(file, 'utf8');
      const found = extract(manager, text);
      const variables = pipelineImageUses(file, readPipeline(file)).filter((u) =>
        u.where.startsWith('variables.'),
      );
      assert.ok(variables.length > 0);
      for (const v of variables) {
        const [, name = '', tag = '', digest] =
          /^(.+?):([^:@/]+)(?:@(sha256:[0-9a-f]{64}))?$/.exec(v.ref) ?? [];
        assert.ok(
          found.some((f) => f.depName === name && f.currentValue === tag && f.currentDigest === digest),
          `${file} ${v.where} (${v.ref}) is not extracted as ${name}:${tag}${digest ? `@${digest}` : ''}: ${JSON.stringify(found)}`,
        );
      }
    }
  });

  it('the extraction does fail on an image variable written another way', () => {
    const [manager] = config.customManagers;
    assert.deepEqual(extract(manager!, 'FOO_IMAGE: "docker.io/x/y:1.0"\n'), [], 'quoted: not matched');
    assert.equal(extract(manager!, 'FOO_IMAGE: docker.io/x/y:1.0\n')[0]?.currentValue, '1.0');
  });

  it('the Dockerfile base is an ARG default a FROM uses, the form Renovate’s dockerfile manager resolves', () => {
    // renovate 44.121.2 dist/modules/manager/dockerfile/extract.js reads `ARG <name>=<value>` and
    // substitutes it into FROM ${name}; it then updates the tag and the digest in the ARG line.
    const uses = dockerfileImageUses('Dockerfile', readFileSync('Dockerfile', 'utf8'));
    assert.deepEqual(
      uses.map((u) => u.where),
      ['ARG NODE_IMAGE'],
    );
    assert.match(readFileSync('Dockerfile', 'utf8'), /^ARG NODE_IMAGE=\S+:\S+@sha256:[0-9a-f]{64}$/m);
  });

  it('keeps the image on Node 24 LTS and the tools on versions Node 20 runs', () => {
    const rule = (name: string) => config.packageRules?.find((r) => r.matchPackageNames?.includes(name));
    assert.ok(
      new RegExp(rule('docker.io/library/node')?.allowedVersions?.slice(1, -1) ?? '^$').test('24.20.0'),
    );
    assert.equal(rule('@types/node')?.allowedVersions, '20.x');
    assert.equal(rule('gitlab-ci-local')?.allowedVersions, '<4.74.0');
  });
});
