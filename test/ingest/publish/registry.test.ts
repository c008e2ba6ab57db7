// The sources registry (data/sources.json): each source's latest day from every publish that moves
// its pointer, written only over the version read; two sources publishing at once both keep their
// entry (the later re-reads and merges); with two sources a landing page the registry names.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { LAYOUT, type LatestPointer, type SourcesRegistry } from '../../../contract/index.ts';
import { createHttpClient } from '../../../ingest/fetch/client.ts';
import { runIngest } from '../../../ingest/pipeline.ts';
import type { PlannedObject } from '../../../ingest/publish/files.ts';
import {
  entryFor,
  mergeRegistry,
  writeRegistry,
  type ReadRegistry,
} from '../../../ingest/publish/registry.ts';
import { getSource } from '../../../ingest/source/index.ts';
import { silentLogger } from '../../../lib/log.ts';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { memoryS3Client } from '../../../bench/memoryS3.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';
const ECB = 'test/fixtures/pages/real/ecb/eurofxref-daily_2022-07-08.xml';

const pointer = (source: string, date: string): LatestPointer => ({
  source,
  date,
  fetchedAt: `${date}T18:00:00.000Z`,
  generatedAt: `${date}T18:00:00.000Z`,
  version: 't',
  sourceUrl: 'https://x.test/',
  publishId: `${date}T18-00-00.000Z-0123abcd`,
  counts: { quotes: 1, rejected: 0 },
  keys: {
    raw: 'r',
    json: 'j',
    csv: 'c',
    page: `data/${source}/${date}/p.html`,
    index: 'index.html',
    assets: [],
  },
});

describe('sources registry', () => {
  const dse = entryFor(getSource('dse'), pointer('dse', '2026-04-23'), [
    { source: 'dse', date: '2026-04-23', symbol: 'GP', close: 3, change: -0.1, previousClose: 3.1 },
    { source: 'dse', date: '2026-04-23', symbol: 'BXP', close: 21, change: 1, previousClose: 20 },
  ]);
  const ecb = entryFor(getSource('ecb-daily'), pointer('ecb-daily', '2022-07-08'), [
    {
      source: 'ecb-daily',
      date: '2022-07-08',
      symbol: 'JPY',
      currency: 'EUR',
      close: 131.74,
      previousClose: 132.42,
    },
  ]);

  it("an entry is the day's move: shares up/down, currencies stronger/weaker against the base", () => {
    assert.deepEqual(dse.move, { up: 1, down: 1, unchanged: 0, top: { symbol: 'BXP', percent: 5 } });
    assert.equal(ecb.kind, 'fx');
    assert.equal(ecb.base, 'EUR');
    assert.deepEqual(ecb.move, { up: 1, down: 0, unchanged: 0, top: { symbol: 'JPY', percent: 0.52 } });
  });

  it('one source: no landing page; a second source: a landing page listing both', () => {
    const one = mergeRegistry(null, dse, '2026-04-24T00:00:00.000Z');
    assert.equal(one.landing, null);
    assert.equal(one.registry.landing, null);
    const two = mergeRegistry(one.registry, ecb, '2026-04-24T00:00:01.000Z');
    assert.deepEqual(Object.keys(two.registry.sources).sort(), ['dse', 'ecb-daily']);
    assert.equal(two.registry.landing, two.landing?.key);
    assert.match(two.landing?.key ?? '', /^data\/_landing\/2026-04-24T00-00-01\.000Z-[0-9a-f]{8}\.html$/);
    assert.match(
      String(two.landing?.body),
      /href="\/dse\/"[\s\S]*href="\/ecb-daily\/"|href="\/ecb-daily\/"[\s\S]*href="\/dse\/"/,
    );
  });

  it('a lost compare-and-swap re-reads, merges its entry into what won, writes the landing page, then tries again', async () => {
    // Another source (ecb-daily) published between this run's read and its write.
    let stored: { registry: SourcesRegistry; etag: string } = {
      registry: mergeRegistry(null, ecb, 't0').registry,
      etag: '"v2"',
    };
    const written: PlannedObject[] = [];
    const io = {
      read: async (): Promise<ReadRegistry> => ({ registry: stored.registry, etag: stored.etag }),
      write: async (objects: PlannedObject[]): Promise<void> => {
        for (const o of objects) {
          written.push(o);
          if (o.key !== LAYOUT.sourcesKey) continue;
          const wanted = o.condition && 'IfMatch' in o.condition ? o.condition.IfMatch : null;
          if (wanted !== stored.etag)
            throw Object.assign(new Error('precondition'), { $metadata: { httpStatusCode: 412 } });
          stored = { registry: JSON.parse(String(o.body)) as SourcesRegistry, etag: '"v3"' };
        }
      },
    };
    const first = { planned: mergeRegistry(null, dse, 't1'), etag: '"v1"' };
    await writeRegistry(io, first, dse, 't1');
    assert.deepEqual(
      Object.keys(stored.registry.sources).sort(),
      ['dse', 'ecb-daily'],
      'neither entry is lost',
    );
    const landing = written.find((o) => o.key.startsWith(LAYOUT.landingPrefix));
    assert.ok(landing, 'the landing page of the merged registry');
    assert.ok(
      written.indexOf(landing) < written.findLastIndex((o) => o.key === LAYOUT.sourcesKey),
      'written before the registry names it',
    );
    assert.equal(stored.registry.landing, landing.key);
  });

  // s3rver ignores If-Match / If-None-Match on PUT, so the race runs against the in-memory S3, which
  // answers conditional writes as S3 does (bench/memoryS3.ts) and on a later turn (writes interleave).
  it('two sources ingested into one bucket at once: both registered, a landing page listing both', async function () {
    this.timeout(30_000);
    const s3 = memoryS3Client();
    try {
      const ingest = async (source: string, file: string): Promise<void> => {
        const body = await readFile(file);
        await runIngest(
          {
            http: createHttpClient({ version: 't' }),
            s3,
            log: silentLogger,
            now: () => new Date('2026-04-24T02:00:00.000Z'),
          },
          { bucket: 'registry-test', source, version: 't', saved: [{ name: file, read: async () => body }] },
        );
      };
      await Promise.all([ingest('dse', DSE), ingest('ecb-daily', ECB)]);
      const text = async (key: string): Promise<string> =>
        (await (
          await s3.send(new GetObjectCommand({ Bucket: 'registry-test', Key: key }))
        ).Body?.transformToString()) ?? '';
      const registry = JSON.parse(await text(LAYOUT.sourcesKey)) as SourcesRegistry;
      assert.deepEqual(
        Object.keys(registry.sources).sort(),
        ['dse', 'ecb-daily'],
        'published at once, both kept',
      );
      assert.ok(registry.landing);
      const landing = await text(registry.landing);
      assert.match(landing, /Dhaka Stock Exchange/);
      assert.match(landing, /European Central Bank/);
    } finally {
      s3.destroy();
    }
  });
});
