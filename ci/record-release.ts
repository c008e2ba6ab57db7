// Entry: node --import tsx ci/record-release.ts --color <blue|green> --image <repo@sha256:…> --version <v>
//          [--sbom <file.cdx.json> --sbom-digest <sha256:…>]
//        node --import tsx ci/record-release.ts --color <blue|green> --revert <repo@sha256:…>
// Records the colour's released image in the durable release state named by its committed stack file
// (exchange:stateBucket/statePrefix, aws:region), where every later `pulumi up` of that colour reads it.
// --sbom keeps the image's SBOM there too (under its digest, which must be the one the image is labelled
// with) and names it in the record. --revert puts the colour back on the image it ran before the given
// (failed) one, if the record still names that one.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { ExchangeError } from '../lib/errors.ts';
import { ENV_PROJECT } from '../contract/stacks.ts';
import { recordRelease, releasedImageDocument, revertRelease } from '../infra/environment/releasedImage.ts';
import { loadStackConfig } from '../infra/synth/stackConfig.ts';
import { s3DocumentStore, type DocumentStore } from '../release/state/store.ts';
import { parseSbom, sbomDigest, SbomError, storeSbom } from '../release/state/sbom.ts';

const USAGE = `usage: record-release.ts --color <blue|green> --image <repo@sha256:…> --version <v>
         [--sbom <file.cdx.json> --sbom-digest <sha256:… the image's exchange.sbom.digest label>]
       record-release.ts --color <blue|green> --revert <repo@sha256:… of the failed release>\n`;
const { values } = parseArgs({
  options: {
    color: { type: 'string' },
    image: { type: 'string' },
    version: { type: 'string' },
    revert: { type: 'string' },
    sbom: { type: 'string' },
    'sbom-digest': { type: 'string' },
  },
});
const { color, image, version, revert, sbom } = values;
const expectedSbom = values['sbom-digest'];
if (
  (color !== 'blue' && color !== 'green') ||
  (revert === undefined && (!image || !version)) ||
  (sbom === undefined) !== (expectedSbom === undefined)
) {
  process.stderr.write(USAGE);
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

/** Stores the SBOM file after checking it is the one the image was labelled with. */
async function keepSbom(file: string, expected: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new SbomError(`cannot read the SBOM ${file}: ${(err as Error).message}`, {
      hint: "the job needs the parent pipeline's sbom job (needs: pipeline/job sbom)",
    });
  }
  parseSbom(bytes.toString('utf8'), file);
  const digest = sbomDigest(bytes);
  if (digest !== expected)
    throw new SbomError(`${file} has digest ${digest}, but the image is labelled with ${expected}`, {
      hint: "pass the sbom job's own artifact and SBOM_DIGEST from the same pipeline",
    });
  return storeSbom(s3, location, bytes);
}

async function record(store: DocumentStore): Promise<string> {
  const kept = sbom === undefined ? undefined : await keepSbom(sbom, expectedSbom ?? '');
  const doc = await recordRelease(
    store,
    color as 'blue' | 'green',
    { image: image ?? '', version: version ?? '', releasedBy, ...(kept ? { sbom: kept } : {}) },
    new Date(),
  );
  const where = store.where(releasedImageDocument(color as 'blue' | 'green'));
  const bom = doc.sbom ? `; SBOM ${doc.sbom.digest} at ${doc.sbom.location}` : '';
  return `recorded ${color}: ${doc.image} (${doc.version}) at ${where}${bom}; previous ${doc.previous?.image ?? 'none'}`;
}

async function revertTo(store: DocumentStore, failed: string): Promise<string> {
  const out = await revertRelease(store, color as 'blue' | 'green', failed, releasedBy, new Date());
  return out.reverted
    ? `reverted ${color}: back on ${out.doc.image} (${out.doc.version}); ${failed} set aside`
    : `nothing to revert for ${color}: ${out.why}`;
}

try {
  const store = s3DocumentStore(s3, location);
  process.stdout.write(`${revert === undefined ? await record(store) : await revertTo(store, revert)}\n`);
} catch (err) {
  process.stderr.write(`record-release: ${err instanceof ExchangeError ? err.oneLine() : String(err)}\n`);
  process.exitCode = 1;
} finally {
  s3.destroy();
}
