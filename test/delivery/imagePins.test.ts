// Every image a job or the Dockerfile uses is pinned by digest (ci/lib/imagePins.ts, also run by the
// pipeline's image-pins job, which has no exceptions).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import {
  dockerfileImageUses,
  pipelineImageUses,
  unpinnedImages,
  type ImageUse,
} from '../../ci/lib/imagePins.ts';
import { readPipeline } from './pipelineModel.ts';

const D = `@sha256:${'a'.repeat(64)}`;

/**
 * Tags whose digest nobody could verify from this offline machine (no registry but npm's and Debian's is
 * reachable, and no public source citing the digest of these exact tags was found). They are not pinned
 * and no digest is invented: each shows as a pending test here, and the pipeline's image-pins job FAILS
 * on them until someone with registry access pins them (README "Image pins"). Remove an entry when pinned;
 * a stale entry fails below.
 */
const UNRESOLVED = new Set(['docker.io/pulumi/pulumi-nodejs:3.248.0', 'quay.io/buildah/stable:v1.38.1']);

const realUses: ImageUse[] = [
  ...pipelineImageUses('.gitlab-ci.yml', readPipeline('.gitlab-ci.yml')),
  ...pipelineImageUses('ci/release.yml', readPipeline('ci/release.yml')),
  ...dockerfileImageUses('Dockerfile', readFileSync('Dockerfile', 'utf8')),
];

describe('image pins: the rule', () => {
  const uses = (yaml: string) => pipelineImageUses('x.yml', load(yaml) as Record<string, unknown>);

  it('flags a tag-only image variable, job image, default image or service, resolving ${VAR}', () => {
    const found = unpinnedImages(
      uses(`
variables:
  TOOL_IMAGE: quay.io/acme/tool:1.2.3
  PINNED_IMAGE: docker.io/library/node:24.1.0${D}
default:
  image: \${TOOL_IMAGE}
lint:
  image: \${PINNED_IMAGE}
  services: [docker.io/library/postgres:16.4]
build:
  image: { name: 'docker.io/library/alpine:3.20', entrypoint: [''] }
`),
    );
    assert.deepEqual(
      found.map((p) => p.split(':')[0] + ' ' + (/"(.*)"/.exec(p)?.[1] ?? '')),
      [
        'x.yml variables.TOOL_IMAGE quay.io/acme/tool:1.2.3',
        'x.yml default image quay.io/acme/tool:1.2.3',
        'x.yml lint services[0] docker.io/library/postgres:16.4',
        'x.yml build image docker.io/library/alpine:3.20',
      ],
    );
    assert.match(found[0] ?? '', /use <image>:<tag>@sha256:<digest>/);
  });

  it('accepts tag@digest and digest-only references; a malformed digest is not a pin', () => {
    assert.deepEqual(
      unpinnedImages(
        uses(`a:\n  image: registry.example:5000/team/tool${D}\nb:\n  image: ghcr.io/x/y:1${D}\n`),
      ),
      [],
    );
    assert.equal(unpinnedImages(uses(`a:\n  image: ghcr.io/x/y:1@sha256:abc\n`)).length, 1);
  });

  it('reads the Dockerfile: ARG defaults a FROM names and literal FROMs, not stage names', () => {
    const text = `ARG BASE=docker.io/library/node:24.1.0-bookworm-slim\nFROM \${BASE} AS build\nFROM build AS test\nFROM docker.io/library/debian:12${D}\nFROM scratch\n`;
    const found = dockerfileImageUses('Dockerfile', text);
    assert.deepEqual(
      found.map((u) => `${u.where} ${u.ref}`),
      [
        `ARG BASE docker.io/library/node:24.1.0-bookworm-slim`,
        `FROM docker.io/library/debian:12${D} docker.io/library/debian:12${D}`,
      ],
    );
    assert.equal(unpinnedImages(found).length, 1);
  });
});

describe('image pins: every image the pipelines and the Dockerfile use', () => {
  it('finds the images each job runs (node for checks, the Pulumi image for releases, buildah, the base)', () => {
    const refs = realUses.map((u) => u.ref);
    for (const want of [/\/node:24\./, /pulumi-nodejs/, /buildah/])
      assert.ok(
        refs.some((r) => want.test(r)),
        `no image matching ${want} in ${refs.join(', ')}`,
      );
  });

  for (const use of realUses)
    it(`${use.file} ${use.where} is pinned by digest${UNRESOLVED.has(use.ref) ? ' — UNPINNED, no digest verifiable offline: the image-pins job fails' : ''}`, function () {
      const problems = unpinnedImages([use]);
      if (problems.length > 0 && UNRESOLVED.has(use.ref)) this.skip(); // UNPINNED (see UNRESOLVED): the pipeline's image-pins job fails on it
      assert.deepEqual(problems, []);
    });

  it('lists no stale exception: each UNRESOLVED tag is still used unpinned', () => {
    for (const ref of UNRESOLVED)
      assert.ok(
        realUses.some((u) => u.ref === ref),
        `${ref} is pinned or gone: remove it from UNRESOLVED`,
      );
  });

  it('one image, one pin: the Node CI image is the Dockerfile base', () => {
    const node = realUses.find((u) => u.where === 'variables.NODE_CI_IMAGE')?.ref;
    const base = realUses.find((u) => u.file === 'Dockerfile')?.ref;
    assert.ok(
      node !== undefined && node === base,
      `NODE_CI_IMAGE ${node} must equal the Dockerfile base ${base}`,
    );
  });
});
