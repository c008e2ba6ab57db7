// The SBOM of the image in the release state: kept byte for byte under its digest, named by the colour's
// release record (also across a revert). That ci/sbom.sh lists exactly the image's runtime packages is
// checked against a built image by `npm run test:container`.
import assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  recordRelease,
  revertRelease,
  storeReleasedImageReader,
} from '../../infra/environment/releasedImage.ts';
import {
  parseSbom,
  sbomDigest,
  sbomDocumentName,
  sbomPackages,
  SbomError,
  storeSbom,
} from '../../release/state/sbom.ts';
import { documentKey, s3DocumentStore } from '../../release/state/store.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';

const IMAGE = (c: string) => `ghcr.io/acme/exchange@sha256:${c.repeat(64)}`;

describe('SBOM documents', () => {
  it('reads name@version of every component of a CycloneDX document, sorted and unique', () => {
    const doc = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        { name: 'got', version: '14.6.5', purl: 'pkg:npm/got@14.6.5' },
        { name: '@aws-sdk/core', version: '3.981.2' },
        { name: 'got', version: '14.6.5' },
      ],
    });
    assert.deepEqual(sbomPackages(parseSbom(doc, 'x.json')), ['@aws-sdk/core@3.981.2', 'got@14.6.5']);
  });

  it('refuses what is not a CycloneDX document, naming the file and the fix', () => {
    assert.throws(
      () => parseSbom('{', 'x.json'),
      (e: unknown) => e instanceof SbomError && /x\.json is not JSON/.test(e.message),
    );
    assert.throws(
      () => parseSbom('{"bomFormat":"SPDX"}', 'x.json'),
      (e: unknown) =>
        e instanceof SbomError && /not a CycloneDX document/.test(e.message) && /npm run/.test(e.hint ?? ''),
    );
    assert.throws(
      () => parseSbom('{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a"}]}', 'x.json'),
      /component 0 has no name and version/,
    );
  });
});

describe('SBOM in the release state (embedded S3)', () => {
  let s3: TestS3;
  const loc = { bucket: 'state', prefix: 'exchange' };
  const bytes = Buffer.from(
    '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"got","version":"14.6.5"}]}\n',
  );
  before(async () => {
    s3 = await startTestS3('state');
  });
  after(() => s3.close());

  it('stores the exact bytes under their digest; storing them again is a no-op', async () => {
    const first = await storeSbom(s3.client, loc, bytes);
    assert.equal(first.digest, sbomDigest(bytes));
    assert.equal(first.location, `s3://state/exchange/exchange-release/sbom/${first.digest.slice(7)}.json`);
    assert.deepEqual(await storeSbom(s3.client, loc, bytes), first, 'a re-run of the same release');
    const key = documentKey(loc, sbomDocumentName(first.digest));
    const got = await s3.client.send(new GetObjectCommand({ Bucket: 'state', Key: key }));
    assert.equal(sbomDigest(await got.Body!.transformToByteArray()), first.digest, 'byte for byte');
  });

  it('the release record names the SBOM of what the colour runs, also after a revert', async () => {
    const store = s3DocumentStore(s3.client, { ...loc, prefix: 'records' });
    const a = await storeSbom(s3.client, loc, bytes);
    const b = await storeSbom(s3.client, loc, Buffer.from(bytes.toString().replace('14.6.5', '14.7.0')));
    const at = new Date('2026-12-01T05:00:00Z');
    await recordRelease(
      store,
      'green',
      { image: IMAGE('a'), version: '1.0.0', releasedBy: 'p1', sbom: a },
      at,
    );
    const second = await recordRelease(
      store,
      'green',
      { image: IMAGE('b'), version: '1.1.0', releasedBy: 'p2', sbom: b },
      at,
    );
    assert.deepEqual(second.sbom, b);
    assert.deepEqual(second.previous, { image: IMAGE('a'), version: '1.0.0', sbom: a });
    await revertRelease(store, 'green', IMAGE('b'), 'p2 revert', at);
    const now = await storeReleasedImageReader(store)('green');
    assert.deepEqual(now?.sbom, a, 'the reverted colour runs image a: its SBOM is a’s');
    assert.deepEqual(now?.previous?.sbom, b);
  });

  it('refuses a record whose SBOM reference is not a sha256 digest', async () => {
    const store = s3DocumentStore(s3.client, { ...loc, prefix: 'bad' });
    await assert.rejects(
      recordRelease(
        store,
        'blue',
        { image: IMAGE('c'), version: '1', releasedBy: 'x', sbom: { digest: 'md5:00', location: 's3://x' } },
        new Date(),
      ),
      /sbom .* is not \{ digest: "sha256:<64 hex>", location \}/,
    );
  });
});

// s3rver 3.7 ignores If-None-Match on PUT, so the create-only write and its lost race are shown with a
// mocked client (real S3 answers 412 PreconditionFailed when the key exists).
describe('SBOM in the release state: create-only (mocked S3)', () => {
  // An instance mock: every other S3Client (the embedded S3's above) stays real.
  const client = new S3Client({ region: 'eu-west-1' });
  const s3 = mockClient(client);
  const loc = { bucket: 'state', prefix: 'exchange' };
  const bytes = Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}\n');
  const exists = new S3ServiceException({
    name: 'PreconditionFailed',
    $fault: 'client',
    $metadata: { httpStatusCode: 412 },
    message: 'At least one of the pre-conditions you specified did not hold',
  });
  // storeSbom reads the body only through transformToByteArray.
  const body = (b: Buffer) => ({ Body: { transformToByteArray: async () => new Uint8Array(b) } });
  beforeEach(() => s3.reset());

  it('writes with If-None-Match "*" and the CycloneDX media type', async () => {
    s3.on(PutObjectCommand).resolves({});
    await storeSbom(client, loc, bytes);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    assert.equal(put?.IfNoneMatch, '*');
    assert.equal(put?.ContentType, 'application/vnd.cyclonedx+json');
    assert.equal(put?.Key, `exchange/exchange-release/sbom/${sbomDigest(bytes).slice(7)}.json`);
  });

  it('an existing document with the same bytes is this release re-run: accepted', async () => {
    s3.on(PutObjectCommand).rejects(exists);
    s3.on(GetObjectCommand).resolves(body(bytes) as never);
    assert.equal((await storeSbom(client, loc, bytes)).digest, sbomDigest(bytes));
  });

  it('an existing document with other bytes is never overwritten: SbomError naming it', async () => {
    s3.on(PutObjectCommand).rejects(exists);
    s3.on(GetObjectCommand).resolves(body(Buffer.from('tampered')) as never);
    await assert.rejects(
      storeSbom(client, loc, bytes),
      (e: unknown) => e instanceof SbomError && /exists with different content/.test(e.message),
    );
    assert.equal(s3.commandCalls(PutObjectCommand).length, 1, 'no second write');
  });
});
