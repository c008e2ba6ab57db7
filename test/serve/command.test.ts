// `exchange serve` wiring: flags, environment defaults, usage errors, and stop → exit 0.
import assert from 'node:assert/strict';
import serve from '../../cli/commands/serve.ts';
import type { CommandContext } from '../../cli/command.ts';
import { ConfigError, UsageError } from '../../lib/errors.ts';
import { createLogger } from '../../lib/log.ts';
import { request } from './http.ts';
import { startPublishedBucket, type PublishedBucket } from './published.ts';

function context(
  env: NodeJS.ProcessEnv,
  lines: Record<string, unknown>[] = [],
): { ctx: CommandContext; stop: (s: string) => void } {
  let stop: (s: string) => void = () => undefined;
  const stopSignal = new Promise<string>((resolve) => (stop = resolve));
  const log = createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { ctx: { log, stdout: () => assert.fail('serve must not write to stdout'), env, stopSignal }, stop };
}

describe('exchange serve command', () => {
  it('requires a bucket (flag or EXCHANGE_BUCKET)', async () => {
    await assert.rejects(
      serve.run({}, [], context({}).ctx),
      (err: unknown) =>
        err instanceof UsageError &&
        /--bucket is required/.test(err.message) &&
        /EXCHANGE_BUCKET/.test(err.hint ?? ''),
    );
  });

  it('names the flag of a bad duration or port', async () => {
    await assert.rejects(
      serve.run({ bucket: 'b', 'max-age': '36 hours' }, [], context({}).ctx),
      (err: unknown) =>
        err instanceof UsageError && err.message === '--max-age "36 hours" is not a positive duration',
    );
    await assert.rejects(
      serve.run({ bucket: 'b', port: '99999' }, [], context({}).ctx),
      (err: unknown) => err instanceof UsageError && /--port "99999"/.test(err.message),
    );
    await assert.rejects(
      serve.run({ bucket: 'b' }, [], context({ PORT: 'eighty' }).ctx),
      (err: unknown) => err instanceof UsageError && /--port "eighty"/.test(err.message),
    );
  });

  describe('running', () => {
    let bucket: PublishedBucket;
    const saved: Record<string, string | undefined> = {};
    const CREDS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
    before(async () => {
      bucket = await startPublishedBucket();
      await bucket.publish();
      // The command takes credentials from the SDK's default chain, i.e. this process's environment.
      for (const k of CREDS) {
        saved[k] = process.env[k];
        process.env[k] = bucket.env[k];
      }
    });
    after(async () => {
      for (const k of CREDS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await bucket.close();
    });

    it('serves from EXCHANGE_BUCKET on PORT with the identity from the environment, and returns 0 when stopped', async () => {
      const lines: Record<string, unknown>[] = [];
      const env = {
        ...process.env,
        ...bucket.env,
        EXCHANGE_BUCKET: bucket.bucket,
        PORT: '0',
        EXCHANGE_COLOR: 'blue',
        EXCHANGE_VERSION: '3.1.4',
        EXCHANGE_COMMIT: 'abc123',
      };
      const { ctx, stop } = context(env, lines);
      const done = serve.run({ host: '127.0.0.1' }, [], ctx);
      while (!lines.some((l) => l.msg === 'listening')) await new Promise((r) => setTimeout(r, 10));
      const listening = lines.find((l) => l.msg === 'listening')!;
      assert.deepEqual(
        [listening.bucket, listening.maxAgeSeconds, listening.color, listening.version],
        [bucket.bucket, 129_600, 'blue', '3.1.4'],
      );
      const h = await request(listening.port as number, '/healthz');
      assert.equal(h.status, 200);
      assert.deepEqual(
        (({ color, version, commit }) => ({ color, version, commit }))(
          JSON.parse(h.body.toString()) as Record<string, unknown>,
        ),
        { color: 'blue', version: '3.1.4', commit: 'abc123' },
      );
      stop('SIGTERM');
      assert.equal(await done, 0);
      assert.ok(lines.some((l) => l.msg === 'stopped' && l.forced === false));
    });

    it('a missing bucket fails at start-up with NoSuchBucket and the fix, before listening', async () => {
      const lines: Record<string, unknown>[] = [];
      const env = { ...process.env, ...bucket.env, PORT: '0' };
      await assert.rejects(
        serve.run({ host: '127.0.0.1', bucket: 'no-such-bucket' }, [], context(env, lines).ctx),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.oneLine() ===
            'serve: bucket "no-such-bucket" does not exist (NoSuchBucket) — create it (locally: exchange s3 --bucket no-such-bucket; on AWS: deploy the stack) or fix --bucket / EXCHANGE_BUCKET',
      );
      assert.ok(!lines.some((l) => l.msg === 'listening'), 'must not listen on a missing bucket');
      assert.ok(
        lines.some((l) => l.msg === 'bucket does not exist'),
        'the log says NoSuchBucket too',
      );
    });
  });
});
