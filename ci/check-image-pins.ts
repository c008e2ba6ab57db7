// Entry: node --import tsx ci/check-image-pins.ts
// The pipeline's image-pins job: every image .gitlab-ci.yml, ci/*.yml and the Dockerfile use must be
// pinned by digest. Prints one line per unpinned image and exits 1; prints the pinned ones and exits 0.
import { readdirSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { dockerfileImageUses, pipelineImageUses, unpinnedImages, type ImageUse } from './lib/imagePins.ts';

const pipelines = [
  '.gitlab-ci.yml',
  ...readdirSync('ci')
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `ci/${f}`),
];
const uses: ImageUse[] = [
  ...pipelines.flatMap((f) => pipelineImageUses(f, load(readFileSync(f, 'utf8')) as Record<string, unknown>)),
  ...dockerfileImageUses('Dockerfile', readFileSync('Dockerfile', 'utf8')),
];
const problems = unpinnedImages(uses);
for (const u of uses) process.stdout.write(`${u.file} ${u.where}: ${u.ref}\n`);
if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`image-pins: ${p}\n`);
  process.exitCode = 1;
}
