// The in-memory S3 behind the bench's ingestFloorRatio must behave like S3 for what a publish does,
// or the floor measures a different (shorter) ingest.
import assert from 'node:assert/strict';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { memoryS3Client } from '../../bench/memoryS3.ts';
import { isWriteConflict } from '../../lib/s3Conditional.ts';

const Bucket = 'bench-memory';

describe('bench in-memory S3 (memoryS3Client)', () => {
  it('stores, copies and returns bodies through the real SDK commands', async () => {
    const s3 = memoryS3Client();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a/page.html', Body: Buffer.from('<p>hi</p>') }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'index.html', CopySource: `${Bucket}/a/page.html` }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'index.html' }));
    assert.equal(await got.Body?.transformToString(), '<p>hi</p>', 'a copy must return the source bytes');
  });

  it('answers a missing key with NoSuchKey, as the history and pointer readers expect', async () => {
    const s3 = memoryS3Client();
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'data/latest.json' })), {
      name: 'NoSuchKey',
    });
  });

  it('refuses conditional writes over another version with 412, as the dates index needs', async () => {
    const s3 = memoryS3Client();
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'd.json', Body: '1', IfNoneMatch: '*' }));
    const again = s3.send(new PutObjectCommand({ Bucket, Key: 'd.json', Body: '2', IfNoneMatch: '*' }));
    await assert.rejects(
      again,
      (e: unknown) => isWriteConflict(e),
      'If-None-Match: * over an object must fail',
    );
    const stale = s3.send(new PutObjectCommand({ Bucket, Key: 'd.json', Body: '3', IfMatch: '"stale"' }));
    await assert.rejects(stale, (e: unknown) => isWriteConflict(e), 'If-Match with an old ETag must fail');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'd.json', Body: '4', IfMatch: first.ETag }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'd.json' }));
    assert.equal(await got.Body?.transformToString(), '4', 'If-Match with the current ETag must write');
  });
});
