// Entry: node --import tsx ci/record-release.ts --color <blue|green> --image <repo@sha256:…> --version <v>
// Records the colour's released image in the durable release state named by its committed stack file
// (exchange:stateBucket/statePrefix, aws:region), where every later `pulumi up` of that colour reads it.
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { ExchangeError } from '../lib/errors.ts';
import { ENV_PROJECT } from '../infra/contract.ts';
import { recordRelease, releasedImageDocument } from '../infra/environment/releasedImage.ts';
import { loadStackConfig } from '../infra/synth/stackConfig.ts';
import { s3DocumentStore } from '../release/state/store.ts';

const { values } = parseArgs({
  options: { color: { type: 'string' }, image: { type: 'string' }, version: { type: 'string' } },
});
const { color, image, version } = values;
if ((color !== 'blue' && color !== 'green') || !image || !version) {
  process.stderr.write(
    'usage: record-release.ts --color <blue|green> --image <repo@sha256:…> --version <v>\n',
  );
  process.exit(2);
}
const stack = loadStackConfig(`Pulumi.${color}.yaml`);
const location = {
  bucket: String(stack[`${ENV_PROJECT}:stateBucket`] ?? ''),
  prefix: String(stack[`${ENV_PROJECT}:statePrefix`] ?? ''),
};
const env = process.env;
const releasedBy = env.CI_PIPELINE_ID
  ? `gitlab pipeline ${env.CI_PIPELINE_ID} job ${env.CI_JOB_ID} (${env.CI_COMMIT_SHORT_SHA})`
  : `manual by ${env.USER ?? 'unknown'}`;
const region = stack['aws:region'];
const s3 = new S3Client(typeof region === 'string' ? { region } : {});
try {
  const store = s3DocumentStore(s3, location);
  const doc = await recordRelease(store, color, { image, version, releasedBy }, new Date());
  process.stdout.write(
    `recorded ${color}: ${doc.image} (${doc.version}) at ${store.where(releasedImageDocument(color))}; previous ${doc.previous?.image ?? 'none'}\n`,
  );
} catch (err) {
  process.stderr.write(`record-release: ${err instanceof ExchangeError ? err.oneLine() : String(err)}\n`);
  process.exitCode = 1;
} finally {
  s3.destroy();
}
