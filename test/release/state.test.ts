// The durable release-state store: round trips against the embedded S3, the conditional-write
// requests and the lost-race error with a mocked client (s3rver 3.7 ignores If-Match/If-None-Match
// on PUT, so it cannot prove the compare-and-swap itself).
import assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { ExchangeError } from '../../lib/errors.ts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ConflictError,
  CorruptDocumentError,
  documentKey,
  s3DocumentStore,
} from '../../release/state/store.ts';
import { parseWeightsDocument, WEIGHTS_DOCUMENT, type WeightsDocument } from '../../release/state/traffic.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';

const doc = (blue: number, green: number): WeightsDocument => ({
  weights: { blue, green },
  updatedAt: '2026-12-01T05:00:00.000Z',
  writer: 'test',
});

describe('release state store (embedded S3)', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3('state-bucket');
  });
  after(async () => s3.close());

  it('keeps documents under <statePrefix>/exchange-release/, beside (not inside) Pulumi’s .pulumi/', () => {
    assert.equal(
      documentKey({ bucket: 'b', prefix: 'exchange' }, WEIGHTS_DOCUMENT),
      'exchange/exchange-release/traffic/weights.json',
    );
    assert.equal(
      documentKey({ bucket: 'b', prefix: '' }, 'colors/blue'),
      'exchange-release/colors/blue.json',
    );
    assert.throws(() => documentKey({ bucket: 'b', prefix: '' }, '../x'), /not lower-case words/);
  });

  it('reads nothing before the first write, then the value and an etag that changes with every write', async () => {
    const store = s3DocumentStore(s3.client, { bucket: s3.bucket, prefix: 'rt' });
    assert.equal(
      await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument),
      undefined,
      'a missing document reads as undefined',
    );
    const e1 = await store.write(WEIGHTS_DOCUMENT, doc(100, 0), null);
    const r1 = await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument);
    assert.deepEqual(r1?.value.weights, { blue: 100, green: 0 });
    assert.equal(r1?.etag, e1, 'the etag a write returns is the one a read sees');
    const e2 = await store.write(WEIGHTS_DOCUMENT, doc(90, 10), e1);
    assert.notEqual(e2, e1);
    assert.deepEqual((await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value.weights, {
      blue: 90,
      green: 10,
    });
  });

  it('refuses a document that does not parse, naming where it is', async () => {
    const store = s3DocumentStore(s3.client, { bucket: s3.bucket, prefix: 'bad' });
    await store.write(WEIGHTS_DOCUMENT, { weights: { blue: 1000, green: 0 } }, null);
    await assert.rejects(
      store.read(WEIGHTS_DOCUMENT, parseWeightsDocument),
      (e: unknown) =>
        e instanceof CorruptDocumentError &&
        /s3:\/\/state-bucket\/bad\/exchange-release\/traffic\/weights\.json .*weights\.blue 1000/.test(
          e.message,
        ),
    );
  });
});

describe('release state store (conditional writes, mocked S3)', () => {
  // An instance mock: the embedded-S3 tests' clients stay real.
  const client = new S3Client({ region: 'eu-west-1' });
  const s3 = mockClient(client);
  afterEach(() => s3.reset());
  const store = () => s3DocumentStore(client, { bucket: 'b', prefix: 'p' });
  const failed = (status: number, name: string) =>
    new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

  it('creates with If-None-Match "*" and updates with If-Match on the etag read', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"new"' });
    await store().write(WEIGHTS_DOCUMENT, doc(100, 0), null);
    await store().write(WEIGHTS_DOCUMENT, doc(90, 10), '"old"');
    const calls = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    assert.equal(calls[0]?.IfNoneMatch, '*');
    assert.equal(calls[0]?.IfMatch, undefined);
    assert.equal(calls[1]?.IfMatch, '"old"');
    assert.equal(calls[1]?.IfNoneMatch, undefined);
    assert.equal(calls[1]?.Key, 'p/exchange-release/traffic/weights.json');
  });

  it('a read denied with 403 says, in one line, that the credentials need s3:ListBucket on the bucket', async () => {
    s3.on(GetObjectCommand).rejects(failed(403, 'AccessDenied'));
    await assert.rejects(store().read(WEIGHTS_DOCUMENT, parseWeightsDocument), (e: unknown) => {
      const line = (e as ExchangeError).oneLine();
      assert.ok(!line.includes('\n'), line);
      assert.match(line, /s3:\/\/b\/p\/exchange-release\/traffic\/weights\.json was denied \(403\)/);
      assert.match(line, /s3:ListBucket on arn:aws:s3:::b without an s3:prefix condition/);
      return true;
    });
  });

  it('turns 412 PreconditionFailed and 409 ConditionalRequestConflict into ConflictError; other failures stay errors', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(failed(412, 'PreconditionFailed'))
      .rejectsOnce(failed(409, 'ConditionalRequestConflict'))
      .rejectsOnce(failed(403, 'AccessDenied'));
    await assert.rejects(
      store().write(WEIGHTS_DOCUMENT, doc(1, 0), '"x"'),
      (e: unknown) => e instanceof ConflictError && /expected ETag "x"/.test(e.message),
    );
    await assert.rejects(
      store().write(WEIGHTS_DOCUMENT, doc(1, 0), null),
      (e: unknown) => e instanceof ConflictError && /already exists/.test(e.message),
    );
    await assert.rejects(
      store().write(WEIGHTS_DOCUMENT, doc(1, 0), null),
      (e: unknown) =>
        !(e instanceof ConflictError) && /s3:PutObject/.test(String((e as Error & { hint?: string }).hint)),
    );
  });

  // S3 user guide, conditional writes: with If-Match, "if there's no current object version with the
  // same name, or if the current object version is a delete marker, the operation fails with a 404 Not
  // Found error" — a document deleted since it was read is a lost race too, not a failure to report.
  it('turns 404 NoSuchKey on an If-Match write (deleted since read) into ConflictError', async () => {
    s3.on(PutObjectCommand).rejectsOnce(failed(404, 'NoSuchKey'));
    await assert.rejects(
      store().write(WEIGHTS_DOCUMENT, doc(1, 0), '"x"'),
      (e: unknown) => e instanceof ConflictError && /no longer exists/.test(e.message),
    );
  });
});
