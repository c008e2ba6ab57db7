// `exchange ingest` under SIGTERM/SIGINT, spawned as ECS runs it: a signal during the fetch or the
// publish aborts it, leaves the pointer on the last complete publish, logs what was abandoned and
// exits non-zero within moments (ECS waits stopTimeout, then SIGKILLs).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { LAYOUT } from '../../contract/index.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.ts';
import { sendBytes, startLoopback, type LoopbackServer } from '../helpers/loopback.ts';
import { getObject, listKeys, startTestS3, type TestS3 } from '../helpers/s3.ts';
import { startCli, type RunningCli } from '../helpers/spawn.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

/** Resolves once `check` holds, polling every 20 ms; fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface LogLine {
  msg: string;
  stage?: string;
  signal?: string;
  written?: string[];
  pointer?: string;
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

describe('exchange ingest on SIGTERM/SIGINT (spawned)', function () {
  this.timeout(40_000);
  let s3: TestS3;
  let source: LoopbackServer | undefined;
  let proxy: FaultProxy | undefined;
  let running: RunningCli | undefined;
  let page: Buffer;

  beforeEach(async () => {
    s3 = await startTestS3('signals-test');
    page = await readFile(DSE);
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exit;
    }
    running = undefined;
    await source?.close();
    await proxy?.close();
    source = undefined;
    proxy = undefined;
    await s3.close();
  });

  const env = (endpoint: string): NodeJS.ProcessEnv => ({
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: s3.server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.server.secretAccessKey,
    AWS_REGION: s3.server.region,
    EXCHANGE_BUCKET: s3.bucket,
  });

  async function publishOnce(): Promise<Buffer> {
    source = await startLoopback((_req, res) => sendBytes(res, page, { 'content-type': 'text/html' }));
    const ok = startCli(
      ['ingest', '--source', 'dse', '--url', `${source.origin}/p`],
      env(s3.server.endpoint),
    );
    const result = await ok.exit;
    assert.equal(result.code, 0, `first publish failed: ${result.stderr.slice(-400)}`);
    await source.close();
    source = undefined;
    return (await getObject(s3.client, s3.bucket, LAYOUT.latestKey)).body;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during a fetch that hangs: exits ${signal === 'SIGTERM' ? 143 : 130} at once, nothing published`, async () => {
      source = await startLoopback(() => undefined); // accepts, never answers
      running = startCli(
        ['ingest', '--source', 'dse', '--url', `${source.origin}/hang`],
        env(s3.server.endpoint),
      );
      await until(() => (source?.requests.length ?? 0) > 0, 'the fetch to start');
      const sent = Date.now();
      running.child.kill(signal);
      const result = await running.exit;
      const elapsed = Date.now() - sent;
      assert.equal(
        result.code,
        signal === 'SIGTERM' ? 143 : 130,
        `exit code; stderr: ${result.stderr.slice(-400)}`,
      );
      assert.ok(elapsed < 3000, `exited ${elapsed} ms after ${signal}; ECS would SIGKILL a slow one`);
      const abandoned = logLines(result.stderr).find((l) => l.msg === 'ingest abandoned');
      assert.deepEqual(
        [abandoned?.signal, abandoned?.stage, abandoned?.pointer],
        [signal, 'fetch', 'unchanged'],
        'the log must say what was abandoned',
      );
      assert.match(result.stderr, new RegExp(`exchange ingest: stopped by ${signal} during fetch`));
      assert.deepEqual(await listKeys(s3.client, s3.bucket), []);
    });
  }

  it('SIGTERM during a publish into a stalled S3: aborts it, pointer stays on the last complete publish', async () => {
    const before = await publishOnce();
    source = await startLoopback((_req, res) => sendBytes(res, page, { 'content-type': 'text/html' }));
    proxy = await startFaultProxy(s3.server.endpoint, (req) => (req.method === 'PUT' ? 'stall' : 'pass'));
    running = startCli(['ingest', '--source', 'dse', '--url', `${source.origin}/p`], env(proxy.endpoint));
    await until(() => (proxy?.requests ?? []).some((r) => r.method === 'PUT'), 'the publish to start');
    const sent = Date.now();
    running.child.kill('SIGTERM');
    const result = await running.exit;
    assert.equal(result.code, 143, `stderr: ${result.stderr.slice(-400)}`);
    assert.ok(Date.now() - sent < 3000, 'a stalled S3 must not hold the process after SIGTERM');
    const abandoned = logLines(result.stderr).find((l) => l.msg === 'ingest abandoned');
    assert.equal(abandoned?.stage, 'publish');
    assert.ok(Array.isArray(abandoned?.written), 'the log lists the keys written before the stop');
    const after = (await getObject(s3.client, s3.bucket, LAYOUT.latestKey)).body;
    assert.ok(after.equals(before), 'data/latest.json must still name the last complete publish');
  });
});
