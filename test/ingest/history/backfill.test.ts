// Backfill through the same gate and publish: a range of a saved series page, then the rest; the
// pointer only moves forward, and backfilling older dates again writes nothing new.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { LAYOUT, type LatestPointer } from '../../../contract/index.ts';
import { progressLine, progressText, runBackfill } from '../../../ingest/backfill.ts';
import type { IngestSummary } from '../../../ingest/pipeline.ts';
import { createHttpClient } from '../../../ingest/fetch/client.ts';
import { silentLogger } from '../../../lib/log.ts';
import backfill from '../../../cli/commands/backfill.ts';
import { getObject, startTestS3, type TestS3 } from '../../helpers/s3.ts';

const ECB90 = 'test/fixtures/pages/real/ecb/eurofxref-hist-90d_2021-07-05.xml';

describe('exchange backfill', function () {
  this.timeout(30_000);
  let s3: TestS3;
  beforeEach(async () => {
    s3 = await startTestS3('backfill-test');
  });
  afterEach(() => s3.close());

  async function run(from?: string, to?: string): Promise<IngestSummary> {
    const http = createHttpClient({ version: 't' });
    return runBackfill(
      {
        http,
        s3: s3.client,
        log: silentLogger,
        now: () => new Date('2021-07-06T08:00:00Z'),
        readFile: (p) => readFile(p),
      },
      {
        bucket: s3.bucket,
        source: 'ecb-hist-90d',
        files: [ECB90],
        version: 't',
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      },
    );
  }
  async function pointerDate(): Promise<string> {
    return (
      JSON.parse((await getObject(s3.client, s3.bucket, LAYOUT.latestKey)).body.toString()) as LatestPointer
    ).date;
  }

  it('publishes only the range, then the rest; the pointer never moves back; a repeat writes nothing', async () => {
    const june = await run('2021-06-01', '2021-06-30');
    const written = june.dates.written;
    assert.ok(
      written.length > 15 && written.every((d) => d.startsWith('2021-06')),
      `June only: ${written.join(', ')}`,
    );
    assert.equal(await pointerDate(), '2021-06-30');

    const all = await run();
    // June's first day gains a previous day (May 31), so its derived change differs: republished.
    assert.deepEqual(
      all.dates.changed,
      [written[0]],
      'only the date whose derived values changed is republished',
    );
    assert.equal(all.dates.unchanged.length, written.length - 1, 'the rest of June is not written again');
    assert.equal(await pointerDate(), '2021-07-05');

    const older = await run(undefined, '2021-05-31');
    assert.deepEqual(older.dates.written, [], 'dates already published are not written again');
    assert.equal(older.pointerMoved, false, 'a backfill of older dates leaves the pointer on the latest day');
    assert.equal(await pointerDate(), '2021-07-05');
    assert.equal(older.chunks, 1);
  });

  it('progress: a bar, dates/s and the time left on a terminal; the same as a plain line otherwise', () => {
    const p = {
      chunk: 3,
      chunks: 27,
      done: 750,
      total: 6500,
      written: 250,
      unchanged: 0,
      first: '2001-12-03',
      last: '2002-11-15',
      elapsedMs: 5000,
    };
    assert.equal(
      progressLine(p),
      '██░░░░░░░░░░░░░░░░░░ 750/6500 dates · 150 dates/s · 38 s left · chunk 3/27 2001-12-03 … 2002-11-15: 250 written, 0 unchanged',
    );
    assert.equal(
      progressText(p),
      'chunk 3/27 2001-12-03 … 2002-11-15: 250 written, 0 unchanged; 750/6500 dates, 150 dates/s, 38 s left',
    );
    assert.match(
      progressText({ ...p, done: 60, total: 6500, elapsedMs: 1000 }),
      /60 dates\/s, 1 m 47 s left$/,
    );
    assert.match(progressText({ ...p, elapsedMs: 0 }), /0 dates\/s, — left$/);
  });

  it('refuses a range that ends before it starts, with the fix', async () => {
    await assert.rejects(
      backfill.run({ source: 'ecb-hist-90d', bucket: 'b', from: '2021-07-01', to: '2021-06-01' }, [], {
        log: silentLogger,
        stdout: () => undefined,
        env: {},
        stopSignal: new Promise(() => undefined),
      }),
      /--from 2021-07-01 is after --to 2021-06-01/,
    );
  });
});
