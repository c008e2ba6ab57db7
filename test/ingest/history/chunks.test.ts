// A whole history published in chunks of dates into the embedded S3: each chunk commits its dates to
// the dates index by compare-and-swap, so a kill or a deadline loses at most the chunk in flight; a
// re-run (or --resume) continues from the index and writes nothing already published; the deadline is
// a chunk's, not the run's; `prune` removes exactly what no index names.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  datesKey,
  isPublishAddressed,
  LAYOUT,
  seriesKey,
  symbolsPageKey,
  yearPageKey,
  type LatestPointer,
} from '../../../contract/index.ts';
import { runBackfill } from '../../../ingest/backfill.ts';
import { createHttpClient } from '../../../ingest/fetch/client.ts';
import { namedByIndex } from '../../../ingest/history/named.ts';
import { entryKeys, type DatesIndex } from '../../../ingest/history/types.ts';
import type { IngestSummary } from '../../../ingest/pipeline.ts';
import { prune } from '../../../ingest/prune.ts';
import { IngestStopped, PublishAbandoned } from '../../../ingest/publish/errors.ts';
import type { ChunkProgress } from '../../../ingest/run/publishChunks.ts';
import { silentLogger } from '../../../lib/log.ts';
import { getObject, listKeys, startTestS3, type TestS3 } from '../../helpers/s3.ts';

const HIST_ZIP = 'test/fixtures/pages/derived/eurofxref-hist_2021-04-07_to_2022-07-08.zip';
const SOURCE = 'ecb-hist';
const DAYS = 65;

interface Sent {
  key: string;
  condition: string | undefined;
}

/** Records every PutObject/CopyObject key; `before(key)` may delay or abort it. */
function recordPuts(client: S3Client, before?: (key: string) => Promise<void> | void): Sent[] {
  const sent: Sent[] = [];
  client.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (/^(Put|Copy)ObjectCommand$/.test(ctx.commandName ?? '')) {
        const input = args.input as { Key: string; IfMatch?: string; IfNoneMatch?: string };
        sent.push({ key: input.Key, condition: input.IfMatch ?? input.IfNoneMatch });
        await before?.(input.Key);
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  return sent;
}

describe('history in chunks: a kill loses at most the chunk in flight', function () {
  this.timeout(60_000);
  let s3: TestS3;
  let page: Buffer;
  before(async () => {
    page = await readFile(HIST_ZIP);
  });
  beforeEach(async () => {
    s3 = await startTestS3('chunks-test');
  });
  afterEach(() => s3.close());

  function backfill(
    client: S3Client,
    opts: { chunkDates?: number; resume?: boolean; signal?: AbortSignal; deadlineMs?: number } = {},
    onChunk?: (p: ChunkProgress) => void,
  ): Promise<IngestSummary> {
    return runBackfill(
      {
        http: createHttpClient({ version: 't' }),
        s3: client,
        log: silentLogger,
        now: () => new Date('2022-07-09T08:00:00Z'),
        readFile: async () => page,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(onChunk ? { onChunk } : {}),
      },
      {
        bucket: s3.bucket,
        source: SOURCE,
        files: [HIST_ZIP],
        version: 't',
        chunkDates: opts.chunkDates ?? 10,
        ...(opts.resume ? { resume: true } : {}),
        ...(opts.deadlineMs ? { publishDeadlineMs: opts.deadlineMs } : {}),
      },
    );
  }
  async function index(): Promise<DatesIndex> {
    return JSON.parse(
      (await getObject(s3.client, s3.bucket, datesKey(SOURCE))).body.toString(),
    ) as DatesIndex;
  }
  /** Publish-addressed keys of the source that its index (or the pointer) does not name. */
  async function unnamed(): Promise<string[]> {
    const named = namedByIndex(await index());
    const pointer = JSON.parse(
      (await getObject(s3.client, s3.bucket, LAYOUT.latestKey)).body.toString(),
    ) as LatestPointer;
    for (const k of Object.values(pointer.keys).flat()) if (typeof k === 'string') named.add(k);
    return (await listKeys(s3.client, s3.bucket, `data/${SOURCE}/`)).filter(
      (k) => isPublishAddressed(k) && !named.has(k),
    );
  }

  it('publishes 65 days in 7 chunks, oldest first, each committing the dates index over the version it read', async () => {
    const sent = recordPuts(s3.client);
    const progress: ChunkProgress[] = [];
    const summary = await backfill(s3.client, {}, (p) => progress.push(p));
    assert.equal(summary.chunks, 7);
    assert.equal(summary.dates.written.length, DAYS);
    assert.deepEqual(
      progress.map((p) => [p.chunk, p.done, p.written]),
      [1, 2, 3, 4, 5, 6, 7].map((c) => [c, Math.min(DAYS, c * 10), c === 7 ? 5 : 10]),
    );
    assert.ok(
      progress.every((p, i) => i === 0 || p.first > progress[i - 1]!.last),
      'chunks go oldest first',
    );
    const indexWrites = sent.filter((s) => s.key === datesKey(SOURCE));
    assert.equal(indexWrites.length, 7, 'one dates index write per chunk');
    assert.equal(indexWrites[0]?.condition, '*', 'the first creates it');
    assert.ok(
      indexWrites.slice(1).every((s) => s.condition?.startsWith('"')),
      'the rest over the ETag read',
    );
    assert.equal((await index()).dates.length, DAYS);
    const pointer = JSON.parse(
      (await getObject(s3.client, s3.bucket, LAYOUT.latestKey)).body.toString(),
    ) as LatestPointer;
    assert.equal(pointer.date, '2022-07-08');
    // The series files once, with the last chunk, holding every date (from the days the run holds).
    const series = (await index()).series;
    assert.equal(series?.through, '2022-07-08');
    assert.equal(sent.filter((s) => s.key.includes('/series/')).length, series?.symbols.length);
    const usd = (await getObject(s3.client, s3.bucket, seriesKey(SOURCE, series!.id, 'USD'))).body.toString();
    assert.equal(usd.trim().split('\n').length, 1 + DAYS, 'a header and every day');
    const raws = sent.filter((s) => s.key.startsWith('raw/'));
    assert.equal(raws.length, 1, 'the page is uploaded once, not once per chunk');
    // Each chunk's commit names its own history window; the six before the last are superseded.
    const left = await unnamed();
    assert.equal(left.length, 6);
    assert.ok(
      left.every((k) => k.startsWith(`data/${SOURCE}/history/`)),
      left.join(', '),
    );
    const pruned = await prune(s3.client, silentLogger, { bucket: s3.bucket, graceMs: 0 });
    assert.deepEqual(pruned.removed.map((r) => r.key).sort(), left.sort());
    assert.deepEqual(await unnamed(), [], 'after prune, nothing is left that no index names');
  });

  it("a new year rewrites every year's calendar (each lists all the years)", async () => {
    // 64 days of 2021 in the first chunk, 2022's one day alone in the second.
    await backfill(s3.client, { chunkDates: 64 });
    const y2021 = (await getObject(s3.client, s3.bucket, yearPageKey(SOURCE, '2021'))).body.toString();
    assert.ok(y2021.includes(`href="/${yearPageKey(SOURCE, '2022')}"`), "2021's calendar links 2022");
  });

  it('a re-run writes no date again; --resume writes none either, only refreshing the calendars', async () => {
    await backfill(s3.client);
    const sent = recordPuts(s3.client);
    const again = await backfill(s3.client);
    assert.deepEqual(again.dates.written, []);
    assert.equal(again.dates.unchanged.length, DAYS);
    const data = sent.filter((s) => /\.(json|csv)$/.test(s.key) && /\/\d{4}-\d{2}-\d{2}\//.test(s.key));
    assert.deepEqual(data, [], 'no date file is written again');
    sent.length = 0;
    const resumed = await backfill(s3.client, { resume: true });
    assert.equal(resumed.dates.skipped, DAYS);
    assert.deepEqual(
      sent.map((s) => s.key).sort(),
      [yearPageKey(SOURCE, '2021'), yearPageKey(SOURCE, '2022'), symbolsPageKey(SOURCE)].sort(),
      '--resume over a complete history writes no date: only its calendars and chart page, rewritten in place',
    );
  });

  it('killed in chunk 3: chunks 1–2 stay published; --resume writes only the rest; prune removes what chunk 3 left', async () => {
    const stop = new AbortController();
    let chunkThreeWrites = 0;
    const client = s3.client;
    let committed = 0;
    recordPuts(client, (key) => {
      if (key === datesKey(SOURCE)) committed++;
      // The third chunk's data files: stop after a few were written, before its index write.
      if (committed === 2 && /\/\d{4}-\d{2}-\d{2}\/.*\.json$/.test(key) && ++chunkThreeWrites === 4) {
        stop.abort(new PublishAbandoned('signal', 'SIGTERM'));
      }
    });
    await assert.rejects(backfill(client, { signal: stop.signal }), IngestStopped);
    const kept = await index();
    assert.equal(kept.dates.length, 20, 'the two committed chunks');
    const left = await unnamed();
    assert.ok(left.length > 0, 'the killed chunk left objects no index names');

    const sent = recordPuts(s3.client);
    const resumed = await backfill(s3.client, { resume: true });
    assert.equal(resumed.dates.skipped, 20);
    assert.equal(resumed.dates.written.length, DAYS - 20);
    const committedKeys = new Set([...namedByIndex(kept)]);
    assert.deepEqual(
      sent.filter((s) => committedKeys.has(s.key)),
      [],
      'nothing the first run published is written again',
    );
    assert.equal((await index()).dates.length, DAYS);

    const orphans = await unnamed();
    assert.ok(
      left.every((k) => orphans.includes(k)),
      'what chunk 3 left is still unnamed',
    );
    const young = await prune(s3.client, silentLogger, { bucket: s3.bucket });
    assert.equal(young.removed.length, 0, 'within the grace period nothing is removed');
    const pruned = await prune(s3.client, silentLogger, { bucket: s3.bucket, graceMs: 0 });
    assert.deepEqual(pruned.removed.map((r) => r.key).sort(), orphans.sort());
    assert.deepEqual(await unnamed(), [], 'after prune every object is named');
  });

  it('the deadline bounds each chunk, not the whole run', async () => {
    // Each index write takes 600 ms: the 4 chunks take longer than the 2.2 s deadline, none alone does.
    recordPuts(s3.client, (key) =>
      key === datesKey(SOURCE) ? new Promise((r) => setTimeout(r, 600)) : undefined,
    );
    const started = Date.now();
    const summary = await backfill(s3.client, { deadlineMs: 2200, chunkDates: 17 });
    assert.equal(summary.chunks, 4);
    assert.equal(summary.dates.written.length, DAYS);
    assert.ok(Date.now() - started > 2200, 'the run outlasted one deadline');
  });

  it('a folder of daily pages (--dir): each day published from its page, each page kept under raw/', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exchange-dir-'));
    try {
      const xml = await readFile('test/fixtures/pages/real/ecb/eurofxref-daily_2022-07-08.xml', 'utf8');
      // Three daily files: the real one and two earlier days with its rates scaled.
      const days = ['2022-07-06', '2022-07-07', '2022-07-08'];
      for (const [i, d] of days.entries()) {
        const body = xml
          .replace("time='2022-07-08'", `time='${d}'`)
          .replace(/rate='([\d.]+)'/g, (_m, r: string) => `rate='${(Number(r) * (1 + i / 100)).toFixed(4)}'`);
        await writeFile(join(dir, `eurofxref-daily_${d}.xml`), body);
      }
      await writeFile(join(dir, '.hidden'), 'not a page');
      const { pageFilesIn } = await import('../../../ingest/run/pageFile.ts');
      const files = await pageFilesIn(dir);
      assert.equal(files.length, 3, 'hidden files are not pages');
      const summary = await runBackfill(
        {
          http: createHttpClient({ version: 't' }),
          s3: s3.client,
          log: silentLogger,
          now: () => new Date('2022-07-09T08:00:00Z'),
          readFile: (p) => readFile(p),
        },
        { bucket: s3.bucket, source: 'ecb-daily', files, version: 't' },
      );
      assert.deepEqual(summary.dates.written, days);
      assert.equal(summary.counts.pages, 3);
      const raws = await listKeys(s3.client, s3.bucket, 'raw/ecb-daily/');
      assert.deepEqual(
        raws.map((k) => k.split('/')[2]),
        days,
        'one raw copy per page, under its date',
      );
      const usd = JSON.parse(
        (
          await getObject(
            s3.client,
            s3.bucket,
            entryKeys('ecb-daily', (await index2('ecb-daily')).dates[2]!).json,
          )
        ).body.toString(),
      );
      assert.deepEqual(
        usd.quotes[0].derived,
        ['previousClose', 'change', 'changePercent'],
        'derived from the page before',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  async function index2(source: string): Promise<DatesIndex> {
    return JSON.parse(
      (await getObject(s3.client, s3.bucket, datesKey(source))).body.toString(),
    ) as DatesIndex;
  }
});
