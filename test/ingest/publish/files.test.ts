import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { CACHE_CONTROL } from '../../../contract/index.ts';
import {
  fullQuote,
  planFailed,
  planPublish,
  quotesCsv,
  type PlannedObject,
  type PublishInput,
  type PublishPhase,
  type PublishPlan,
} from '../../../ingest/publish/files.ts';
import { parseManifest, type PreviousSite } from '../../../ingest/publish/siteManifest.ts';
import { QUOTE_FIELDS, type Quote } from '../../../ingest/quote.ts';
import { parsePage } from '../../../ingest/source/index.ts';
import { renderSite } from '../../../site/render.ts';
import type { SiteFile } from '../../../site/types.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

const quotes: Quote[] = [
  { source: 'dse', date: '2026-04-23', symbol: 'ACI', name: 'A "C", I', close: 206.7, volume: 0, open: null },
  { source: 'dse', date: '2026-04-23', symbol: 'BXP', high: 10, low: 9.5 },
];
const input: PublishInput = {
  bucket: 'b',
  source: {
    id: 'dse',
    title: 'DSE <Dhaka>',
    homepage: 'https://www.dsebd.org/',
    locale: 'en-BD',
    currency: 'BDT',
  },
  date: '2026-04-23',
  quotes,
  rejectedCount: 2,
  raw: { body: Buffer.from('<html>raw</html>'), ext: 'html' },
  sourceUrl: 'https://dsebd.org/latest_share_price_scroll_l.php',
  fetchedAt: '2026-04-24T02:03:40.000Z',
  generatedAt: '2026-04-24T02:03:41.000Z',
  version: '1.2.3',
};

/** What the site renderer makes of this publish; the plan must write exactly that. */
function siteFiles(): SiteFile[] {
  const { pointer } = planPublish(input, ABSENT);
  return renderSite({ pointer, quotes, source: input.source });
}

const ABSENT: PreviousSite = { state: 'absent' };

/** Every phase built, as [name, objects]. */
async function builtPhases(plan: PublishPlan): Promise<[PublishPhase['name'], PlannedObject[]][]> {
  const out: [PublishPhase['name'], PlannedObject[]][] = [];
  for (const phase of plan.phases) out.push([phase.name, await phase.build()]);
  return out;
}

async function objectsOf(plan: PublishPlan, name: PublishPhase['name']): Promise<PlannedObject[]> {
  return (await plan.phases.find((p) => p.name === name)?.build()) ?? [];
}

describe('publish plan', () => {
  it('orders raw → data → assets → pages → record and builds the pointer from the same keys', async () => {
    const plan = planPublish(input, ABSENT);
    const site = siteFiles();
    assert.deepEqual(
      (await builtPhases(plan)).map(([name, objects]) => [name, objects.map((o) => o.key)]),
      [
        ['raw', ['raw/dse/2026-04-23/2026-04-24T02-03-40.000Z.html']],
        ['data', ['data/dse/2026-04-23.json', 'data/dse/2026-04-23.csv']],
        ['invalidate', []],
        ['assets', ['assets/site.css', 'assets/site.js']],
        ['pages', ['error.html', 'index.html']],
        ['record', ['assets/manifest.json']],
      ],
    );
    assert.deepEqual(
      site.map((f) => f.key).sort(),
      ['assets/site.css', 'assets/site.js', 'error.html', 'index.html'],
      'every site file is written when the bucket holds none',
    );
    assert.deepEqual(plan.pointer, {
      source: 'dse',
      date: '2026-04-23',
      fetchedAt: '2026-04-24T02:03:40.000Z',
      generatedAt: '2026-04-24T02:03:41.000Z',
      version: '1.2.3',
      sourceUrl: 'https://dsebd.org/latest_share_price_scroll_l.php',
      counts: { quotes: 2, rejected: 2 },
      keys: {
        raw: 'raw/dse/2026-04-23/2026-04-24T02-03-40.000Z.html',
        json: 'data/dse/2026-04-23.json',
        csv: 'data/dse/2026-04-23.csv',
        index: 'index.html',
      },
    });
    assert.equal(plan.pointerObject.key, 'data/latest.json');
    assert.deepEqual(JSON.parse(String(plan.pointerObject.body)), plan.pointer);
  });

  it('writes only index.html of the site when the bucket already holds the other files', async () => {
    const first = planPublish(input, ABSENT);
    const [record] = await objectsOf(first, 'record');
    const previous = parseManifest(String(record?.body));
    assert.equal(previous.state, 'known');
    const again = planPublish({ ...input, generatedAt: '2026-04-25T02:03:41.000Z' }, previous);
    assert.deepEqual(
      (await builtPhases(again)).map(([name, objects]) => [name, objects.map((o) => o.key)]),
      [
        ['raw', ['raw/dse/2026-04-23/2026-04-24T02-03-40.000Z.html']],
        ['data', ['data/dse/2026-04-23.json', 'data/dse/2026-04-23.csv']],
        ['invalidate', []],
        ['assets', []],
        ['pages', ['index.html']],
        ['record', []],
      ],
    );
  });

  it('sets content types and cache control per kind of object', async () => {
    const plan = planPublish(input, ABSENT);
    const built = await builtPhases(plan);
    const meta = built
      .flatMap(([, objects]) => objects)
      .map((o) => [o.key.split('/')[0], o.contentType, o.cacheControl]);
    assert.deepEqual(meta.slice(0, 3), [
      ['raw', 'text/html', CACHE_CONTROL.raw],
      ['data', 'application/json', CACHE_CONTROL.dated],
      ['data', 'text/csv; charset=utf-8', CACHE_CONTROL.dated],
    ]);
    const site = [...(await objectsOf(plan, 'assets')), ...(await objectsOf(plan, 'pages'))];
    const byKey = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key);
    assert.deepEqual(
      site.sort(byKey).map((o) => [o.key, o.body, o.contentType, o.cacheControl]),
      siteFiles()
        .sort(byKey)
        .map((f) => [f.key, f.body, f.contentType, f.cacheControl]),
    );
    assert.equal(site.find((o) => o.key === 'index.html')?.contentType, 'text/html; charset=utf-8');
    const [record] = await objectsOf(plan, 'record');
    assert.deepEqual(
      [record?.contentType, record?.cacheControl],
      ['application/json', CACHE_CONTROL.pointer],
    );
    assert.equal(plan.pointerObject.contentType, 'application/json');
    assert.equal(plan.pointerObject.cacheControl, CACHE_CONTROL.pointer);
  });

  it('keeps the server Content-Type on the raw copy', async () => {
    const plan = planPublish(
      { ...input, raw: { ...input.raw, contentType: 'text/html; charset=windows-1250' } },
      ABSENT,
    );
    assert.equal((await objectsOf(plan, 'raw'))[0]?.contentType, 'text/html; charset=windows-1250');
    assert.equal(
      planFailed({
        source: 'ecb-daily',
        date: '2022-07-08',
        fetchedAt: input.fetchedAt,
        raw: { body: Buffer.from(''), ext: 'xml' },
      }).contentType,
      'application/xml',
    );
  });

  it('writes the data JSON with every field in contract order, null for missing (never 0)', async () => {
    const json = JSON.parse(String((await objectsOf(planPublish(input, ABSENT), 'data'))[0]?.body));
    assert.deepEqual(Object.keys(json), [
      'source',
      'date',
      'generatedAt',
      'fetchedAt',
      'sourceUrl',
      'version',
      'quotes',
    ]);
    assert.deepEqual(json.quotes[1], fullQuote(quotes[1] as Quote));
    assert.equal(json.quotes[0].volume, 0);
    assert.equal(json.quotes[0].open, null);
    assert.equal(json.quotes[1].close, null);
    assert.deepEqual(Object.keys(json.quotes[1]).slice(0, 4), ['source', 'date', 'symbol', 'name']);
  });

  it('writes CSV with the QUOTE_FIELDS header, quoted text and empty cells for null', () => {
    assert.equal(
      quotesCsv(quotes),
      'source,date,symbol,name,isin,currency,open,high,low,close,previousClose,change,changePercent,volume,trades,turnover\n' +
        'dse,2026-04-23,ACI,"A ""C"", I",,,,,,206.7,,,,0,,\n' +
        'dse,2026-04-23,BXP,,,,,10,9.5,,,,,,,\n',
    );
  });

  it('writes CSV byte-identical to csv-stringify for real and awkward quotes', async () => {
    const page = await readFile(DSE);
    const real = parsePage({ body: page, contentType: 'text/html; charset=utf-8' }, { source: 'dse' });
    const awkward: Quote[] = [
      { source: 'dse', date: '2026-04-23', symbol: 'Q"UOTE', name: 'a,b', isin: '' },
      { source: 'dse', date: '2026-04-23', symbol: 'NL', name: 'line\nbreak', currency: 'cr\rlf' },
      { source: 'dse', date: '2026-04-23', symbol: 'NUM', close: -0, open: 1e21, high: 1e-7, low: NaN },
      { source: 'dse', date: '2026-04-23', symbol: ' space ', name: "it's; fine\t", volume: -12.5 },
    ];
    const reference = (list: Quote[]): string =>
      stringify(list.map(fullQuote), { header: true, columns: [...QUOTE_FIELDS] });
    assert.ok(real.quotes.length > 300);
    assert.equal(quotesCsv(real.quotes), reference(real.quotes));
    assert.equal(quotesCsv(awkward), reference(awkward));
    assert.equal(quotesCsv([]), reference([]));
  });

  it('puts the failed page under failed/ with the fetch stamp', () => {
    const failed = planFailed({
      source: 'unknown',
      date: '2026-04-24',
      fetchedAt: input.fetchedAt,
      raw: input.raw,
    });
    assert.equal(failed.key, 'failed/unknown/2026-04-24/2026-04-24T02-03-40.000Z.html');
    assert.equal(failed.body, input.raw.body);
  });
});
