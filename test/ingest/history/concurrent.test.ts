// Two ingests of one source at once: the dates index is written only over the version the run read
// (If-Match on its ETag, If-None-Match "*" when there was none), before the entry points. The normal
// path runs on the embedded S3; the lost race on a mocked client whose reads go to the embedded S3
// (s3rver ignores If-Match on PUT, so it cannot refuse a write).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { datesKey, LAYOUT } from '../../../contract/index.ts';
import { createHttpClient } from '../../../ingest/fetch/client.ts';
import { runIngest, type IngestSummary } from '../../../ingest/pipeline.ts';
import { DatesIndexConflict, PublishError } from '../../../ingest/publish/errors.ts';
import { silentLogger } from '../../../lib/log.ts';
import { startTestS3, type TestS3 } from '../../helpers/s3.ts';

const ECB = 'test/fixtures/pages/real/ecb/eurofxref-daily_2022-07-08.xml';
const SOURCE = 'ecb-daily';
const INDEX = datesKey(SOURCE);

interface Sent {
  event: 'start' | 'done';
  command: string;
  key: string;
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

describe('history: two ingests of one source at once', function () {
  this.timeout(30_000);
  let s3: TestS3;
  let page: Buffer;

  before(async () => {
    page = await readFile(ECB);
  });
  beforeEach(async () => {
    s3 = await startTestS3('concurrent-test');
  });
  afterEach(() => s3.close());

  /** The same day with the ECB's USD rate corrected: a later publish that must rewrite the index. */
  const corrected = (): Buffer => Buffer.from(page.toString().replace("rate='1.0163'", "rate='1.0170'"));

  function ingest(client: S3Client, now = '2022-07-08T16:30:00.000Z', body?: Buffer): Promise<IngestSummary> {
    return runIngest(
      { http: createHttpClient({ version: 't' }), s3: client, log: silentLogger, now: () => new Date(now) },
      {
        bucket: s3.bucket,
        source: SOURCE,
        url: 'https://example.test/eurofxref-daily.xml',
        saved: [{ name: ECB, read: async () => body ?? page }],
        version: 't',
      },
    );
  }

  /** Every write the client sends, when it starts and when S3 answered, with its conditions. */
  function recordWrites(client: S3Client): Sent[] {
    const sent: Sent[] = [];
    client.middlewareStack.add(
      (next, ctx) => async (args) => {
        const command = ctx.commandName ?? '';
        if (!/^(Put|Copy)ObjectCommand$/.test(command)) return next(args);
        const input = args.input as PutObjectCommandInput;
        const entry = { command, key: input.Key ?? '' };
        const conditions = { ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch };
        sent.push({ event: 'start', ...entry, ...conditions });
        const out = await next(args);
        sent.push({ event: 'done', ...entry });
        return out;
      },
      { step: 'initialize' },
    );
    return sent;
  }

  async function etagOf(key: string): Promise<string | undefined> {
    return (await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).ETag;
  }

  it('creates the index with If-None-Match "*", then replaces it with If-Match on the ETag read, before the entry points', async () => {
    const sent = recordWrites(s3.client);
    await ingest(s3.client);
    const created = sent.filter((s) => s.event === 'start' && s.key === INDEX);
    assert.deepEqual(
      created.map((s) => [s.ifNoneMatch, s.ifMatch]),
      [['*', undefined]],
      'the first publish of a source must create its dates index with If-None-Match "*" (only if none exists)',
    );
    const etag = await etagOf(INDEX);
    sent.length = 0;
    await ingest(s3.client, '2022-07-08T17:00:00.000Z', corrected());
    const replaced = sent.filter((s) => s.event === 'start' && s.key === INDEX);
    assert.deepEqual(
      replaced.map((s) => [s.ifNoneMatch, s.ifMatch]),
      [[undefined, etag]],
      'a later publish must write the dates index with If-Match on the ETag it read, so a write in between is refused',
    );
    const at = (event: Sent['event'], key: string): number =>
      sent.findIndex((s) => s.event === event && s.key === key);
    for (const entry of [LAYOUT.latestKey, LAYOUT.indexKey]) {
      assert.ok(at('start', entry) >= 0, `${entry} must be written by the second publish`);
      assert.ok(
        at('done', INDEX) < at('start', entry),
        `${entry} must be written only after S3 accepted the dates index, so a lost race leaves it untouched`,
      );
    }
  });

  describe('when another ingest wrote the index since this run read it (mocked writes)', () => {
    // An instance mock: reads go to the embedded S3 (what the run really read), writes are answered here.
    const client = new S3Client({ region: 'eu-west-1' });
    const mock = mockClient(client);
    afterEach(() => mock.reset());
    const failed = (status: number, name: string): S3ServiceException =>
      new S3ServiceException({
        name,
        $fault: 'client',
        $metadata: { httpStatusCode: status },
        message: name,
      });

    function writesFail(error: S3ServiceException): void {
      mock.on(GetObjectCommand).callsFake((input) => s3.client.send(new GetObjectCommand(input)));
      mock.on(PutObjectCommand).resolves({ ETag: '"written"' });
      mock.on(CopyObjectCommand).resolves({});
      mock.on(PutObjectCommand, { Key: INDEX }).rejects(error);
    }
    function indexPuts(): PutObjectCommandInput[] {
      return mock.commandCalls(PutObjectCommand, { Key: INDEX }).map((c) => c.args[0].input);
    }
    function assertNoEntryPoint(): void {
      const puts = mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
      const copies = mock.commandCalls(CopyObjectCommand).map((c) => c.args[0].input.Key);
      assert.ok(!puts.includes(LAYOUT.latestKey), 'data/latest.json must not be written after the lost race');
      assert.ok(!puts.includes(LAYOUT.errorKey), 'error.html must not be written after the lost race');
      assert.ok(!copies.includes(LAYOUT.indexKey), 'index.html must not be copied after the lost race');
    }

    for (const [status, name] of [
      [412, 'PreconditionFailed'],
      [409, 'ConditionalRequestConflict'],
    ] as const) {
      it(`${status} ${name} on If-Match fails the run with DatesIndexConflict; no entry point is written`, async () => {
        await ingest(s3.client);
        const etag = await etagOf(INDEX);
        writesFail(failed(status, name));
        const error = await ingest(client, '2022-07-08T17:00:00.000Z', corrected()).then(
          () => assert.fail('the run must fail when another ingest wrote the dates index meanwhile'),
          (e: unknown) => e,
        );
        assert.deepEqual(
          indexPuts().map((i) => [i.IfMatch, i.IfNoneMatch]),
          [[etag, undefined]],
          'the index write must carry If-Match with the ETag of the index the run read',
        );
        assert.ok(error instanceof DatesIndexConflict, `expected DatesIndexConflict, got ${String(error)}`);
        assert.equal(error.cause instanceof S3ServiceException && error.cause.name, name);
        assert.match(
          error.oneLine(),
          /^another ingest of ecb-daily published its dates index s3:\/\/concurrent-test\/data\/ecb-daily\/dates\.json meanwhile; data\/latest\.json was not changed — re-run the ingest: it reads the new index/,
        );
        assert.ok(!error.oneLine().includes('\n'), 'the message must be one line');
        assertNoEntryPoint();
      });
    }

    it('a lost create (If-None-Match "*") is the same conflict; the re-run publishes, writing no date twice', async () => {
      writesFail(failed(412, 'PreconditionFailed'));
      await assert.rejects(ingest(client), DatesIndexConflict);
      assert.deepEqual(
        indexPuts().map((i) => [i.IfMatch, i.IfNoneMatch]),
        [[undefined, '*']],
        'a run that found no index must only create one',
      );
      assertNoEntryPoint();
      // Stand-in for the other ingest, then the re-run the hint asks for.
      await ingest(s3.client);
      const rerun = await ingest(s3.client, '2022-07-08T17:00:00.000Z');
      assert.deepEqual(
        rerun.dates.written,
        [],
        'the re-run must not write a date the other ingest published',
      );
      assert.deepEqual(rerun.dates.unchanged, ['2022-07-08']);
      assert.equal(rerun.pointerMoved, true, 'the re-run must still move the pointer to its publish');
    });

    it('any other failure of the index write stays a PublishError naming the key', async () => {
      writesFail(failed(403, 'AccessDenied'));
      const error = await ingest(client).then(
        () => assert.fail('the run must fail'),
        (e: unknown) => e,
      );
      assert.ok(
        error instanceof PublishError && !(error instanceof DatesIndexConflict),
        `AccessDenied is not a lost race: expected PublishError, got ${String(error)}`,
      );
      assert.equal(error.key, INDEX);
      assertNoEntryPoint();
    });
  });
});
