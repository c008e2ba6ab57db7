import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { embeddedS3Client } from '../../local/embeddedClient.ts';
import { startEmbeddedS3 } from '../../local/embeddedS3.ts';
import { ExchangeError } from '../../lib/errors.ts';
import { sendBytes, startLoopback, type LoopbackServer } from '../helpers/loopback.ts';
import { getObject, listKeys, startTestS3, type TestS3 } from '../helpers/s3.ts';
import { errorLines, cliPerTest, runCli } from '../helpers/spawn.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

describe('CLI: exchange s3 and ingest (spawned)', function () {
  this.timeout(30_000);
  const t = cliPerTest('exchange-cli-');

  it('exchange s3 prints one JSON line when ready, serves the buckets, exits 0 on SIGTERM', async () => {
    const running = t.start(['s3', '--dir', join(t.dir, 's3'), '--bucket', 'alpha', '--bucket', 'beta-2']);
    const ready = JSON.parse(await running.firstLine);
    assert.deepEqual(Object.keys(ready), ['endpoint', 'accessKeyId', 'secretAccessKey', 'region']);
    assert.match(ready.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const client = embeddedS3Client(ready);
    const buckets = await client.send(new ListBucketsCommand({}));
    client.destroy();
    assert.deepEqual(buckets.Buckets?.map((b) => b.Name).sort(), ['alpha', 'beta-2']);
    running.child.kill('SIGTERM');
    const result = await running.exit;
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim().split('\n').length, 1, 'stdout is only the JSON line');
  });

  it('the embedded S3 on a taken port is a clear error, not a crash', async () => {
    const taken = await startLoopback(() => undefined);
    try {
      const err = await startEmbeddedS3({ dir: join(t.dir, 's3'), port: taken.port }).then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ExchangeError);
      assert.equal(
        err.oneLine(),
        `embedded S3 cannot listen on 127.0.0.1:${taken.port} (EADDRINUSE) — pick another port (0 picks a free one) or stop the process using it`,
      );
    } finally {
      await taken.close();
    }
  });

  describe('exchange ingest', () => {
    let s3: TestS3;
    let source: LoopbackServer;
    let page: Buffer;
    before(async () => {
      page = await readFile(DSE);
      source = await startLoopback((req, res) =>
        req.url === '/good'
          ? sendBytes(res, page, { 'content-type': 'text/html' })
          : sendBytes(res, '<html><p>maintenance</p></html>'),
      );
    });
    after(() => source.close());
    beforeEach(async () => {
      s3 = await startTestS3('cli-bucket');
    });
    afterEach(() => s3.close());

    const env = (): NodeJS.ProcessEnv => ({
      AWS_ENDPOINT_URL_S3: s3.server.endpoint,
      AWS_ACCESS_KEY_ID: s3.server.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.server.secretAccessKey,
      AWS_REGION: s3.server.region,
      EXCHANGE_VERSION: '7.7.7',
    });

    it('publishes and prints the summary JSON (exit 0), credentials from the environment', async () => {
      const result = await runCli(
        ['ingest', '--url', `${source.origin}/good`, '--bucket', 'cli-bucket'],
        env(),
      );
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout);
      assert.deepEqual([summary.source, summary.date, summary.counts.quotes], ['dse', '2026-04-23', 396]);
      const pointer = JSON.parse(
        (await getObject(s3.client, 'cli-bucket', 'data/latest.json')).body.toString(),
      );
      assert.equal(pointer.version, '7.7.7');
    });

    it('a bad page exits 1 with one error line, nothing published, the page kept', async () => {
      const result = await runCli(['ingest', '--source', 'dse', '--url', `${source.origin}/bad`], {
        ...env(),
        EXCHANGE_BUCKET: 'cli-bucket',
      });
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const lines = errorLines(result.stderr);
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0] ?? '', /^exchange ingest: dse: page layout changed: .* — /);
      const keys = await listKeys(s3.client, 'cli-bucket');
      assert.equal(keys.length, 1);
      assert.match(keys[0] ?? '', /^failed\/dse\//);
    });

    it('missing --bucket is a usage error (exit 2)', async () => {
      const result = await runCli(['ingest', '--source', 'dse'], env());
      assert.equal(result.code, 2);
      assert.deepEqual(errorLines(result.stderr), [
        'exchange ingest: --bucket is required — pass --bucket <name> or set EXCHANGE_BUCKET',
      ]);
    });

    it('neither --source nor --url is a usage error (exit 2)', async () => {
      const result = await runCli(['ingest', '--bucket', 'cli-bucket'], env());
      assert.equal(result.code, 2);
      assert.match(errorLines(result.stderr)[0] ?? '', /nothing to fetch/);
    });
  });
});
