import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3rverThreadError, startS3rverThread } from '../../local/s3rverThread.ts';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('s3rver on its own thread', function () {
  this.timeout(10_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exchange-s3thread-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const options = (port: number) => ({
    address: '127.0.0.1',
    port,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: 'thread-test', configs: [] }],
  });

  it('serves the configured bucket, then stops accepting connections once closed (close is idempotent)', async () => {
    const server = await startS3rverThread(options(0));
    assert.ok(server.port > 0);
    // The configured bucket exists (NoSuchKey), an unknown one does not (NoSuchBucket).
    const missingKey = await get(server.port, '/thread-test/missing.txt');
    assert.equal(missingKey.status, 404);
    assert.match(missingKey.body, /<Code>NoSuchKey<\/Code>/);
    assert.match((await get(server.port, '/other-bucket/x')).body, /<Code>NoSuchBucket<\/Code>/);
    await Promise.all([server.close(), server.close()]);
    await assert.rejects(get(server.port, '/'), /ECONNREFUSED/);
  });

  it('reports a taken port with its code instead of crashing the process', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      const err = await startS3rverThread(options(port)).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof S3rverThreadError);
      assert.equal(err.code, 'EADDRINUSE');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
