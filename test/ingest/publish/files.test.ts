import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import {
  ASSET_KEY_PATTERN,
  CACHE_CONTROL,
  PUBLISH_ID_PATTERN,
  PUBLISH_KEY_PATTERN,
} from '../../../contract/index.ts';
import {
  fullQuote,
  planFailed,
  planData,
  planSite,
  quotesCsv,
  rawObject,
  type PlannedObject,
  type PublishInput,
} from '../../../ingest/publish/files.ts';
import type { LatestPointer } from '../../../contract/index.ts';
import { QUOTE_FIELDS, type Quote } from '../../../contract/quote.ts';
import { parsePage } from '../../../ingest/source/index.ts';
import { ASSET_KEYS } from '../../../site/render.ts';

/** One date's publish as publishDays plans it: the data files, then the site over them. */
function planPublish(input: PublishInput, previous: LatestPointer | null) {
  const data = planData(input);
  const site = planSite(input, data.pointer, previous);
  return {
    pointer: data.pointer,
    objects: [...data.objects, ...site.objects],
    entryPoints: site.entryPoints,
  };
}

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

const keysOf = (objects: PlannedObject[]): string[] => objects.map((o) => o.key);

describe('publish plan', () => {
  it('names one publish by id: immutable data, page and assets first, the entry points last', () => {
    const plan = planPublish(input, null);
    const id = plan.pointer.publishId;
    assert.match(id, PUBLISH_ID_PATTERN, 'the publish id must match the contract pattern serve filters by');
    assert.ok(id.startsWith('2026-04-24T02-03-41.000Z-'), `publish id ${id} should start with generatedAt`);
    const base = `data/dse/2026-04-23/${id}`;
    assert.deepEqual(keysOf(plan.objects), [
      `${base}.json`,
      `${base}.csv`,
      `${base}.html`,
      ASSET_KEYS.css,
      ASSET_KEYS.js,
      ASSET_KEYS.chart,
    ]);
    assert.deepEqual(keysOf(plan.entryPoints), ['index.html', 'error.html', 'data/latest.json']);
    for (const key of keysOf(plan.objects)) {
      assert.ok(
        PUBLISH_KEY_PATTERN.test(key) || ASSET_KEY_PATTERN.test(key),
        `${key} must match the contract's key patterns, or serve would 404 it`,
      );
    }
    assert.deepEqual(plan.pointer, {
      source: 'dse',
      date: '2026-04-23',
      fetchedAt: '2026-04-24T02:03:40.000Z',
      generatedAt: '2026-04-24T02:03:41.000Z',
      version: '1.2.3',
      sourceUrl: 'https://dsebd.org/latest_share_price_scroll_l.php',
      publishId: id,
      counts: { quotes: 2, rejected: 2 },
      keys: {
        raw: 'raw/dse/2026-04-23/2026-04-24T02-03-40.000Z.html',
        json: `${base}.json`,
        csv: `${base}.csv`,
        page: `${base}.html`,
        index: 'index.html',
        assets: [ASSET_KEYS.css, ASSET_KEYS.js, ASSET_KEYS.chart],
      },
    });
    const pointer = plan.entryPoints.find((o) => o.key === 'data/latest.json');
    assert.deepEqual(JSON.parse(String(pointer?.body)), plan.pointer);
    assert.equal(rawObject(input).key, plan.pointer.keys.raw);
  });

  it('gives a same-date re-run new keys, so no immutable object is ever rewritten', () => {
    const first = planPublish(input, null);
    const again = planPublish({ ...input, generatedAt: '2026-04-24T09:00:00.000Z' }, first.pointer);
    const immutable = (p: typeof first): string[] =>
      keysOf(p.objects).filter((k) => !k.startsWith('assets/'));
    for (const key of immutable(again)) {
      assert.ok(
        !immutable(first).includes(key),
        `${key} is written by both runs: a cached copy would go stale`,
      );
    }
  });

  it('skips the assets the previous complete publish named (content-addressed: same key, same bytes)', () => {
    const first = planPublish(input, null);
    const again = planPublish({ ...input, generatedAt: '2026-04-25T02:03:41.000Z' }, first.pointer);
    assert.deepEqual(
      keysOf(again.objects).filter((k) => k.startsWith('assets/')),
      [],
      'assets named by the last pointer exist with these exact bytes; writing them again costs a PUT',
    );
    assert.deepEqual(again.pointer.keys.assets, [ASSET_KEYS.css, ASSET_KEYS.js, ASSET_KEYS.chart]);
    assert.deepEqual(
      keysOf(again.entryPoints),
      ['index.html', 'data/latest.json'],
      'error.html depends only on the asset keys: rewritten only when they change',
    );
  });

  it('sets content types and cache control: immutable only for keys never rewritten', async () => {
    const plan = planPublish(input, null);
    const meta = (objects: PlannedObject[]): string[][] =>
      objects.map((o) => [o.key.replace(plan.pointer.publishId, 'ID'), o.contentType, o.cacheControl]);
    assert.deepEqual(meta(plan.objects), [
      ['data/dse/2026-04-23/ID.json', 'application/json', CACHE_CONTROL.dated],
      ['data/dse/2026-04-23/ID.csv', 'text/csv; charset=utf-8', CACHE_CONTROL.dated],
      ['data/dse/2026-04-23/ID.html', 'text/html; charset=utf-8', CACHE_CONTROL.dated],
      [ASSET_KEYS.css, 'text/css; charset=utf-8', CACHE_CONTROL.dated],
      [ASSET_KEYS.js, 'text/javascript; charset=utf-8', CACHE_CONTROL.dated],
      [ASSET_KEYS.chart, 'text/javascript; charset=utf-8', CACHE_CONTROL.dated],
    ]);
    assert.deepEqual(meta(plan.entryPoints), [
      ['index.html', 'text/html; charset=utf-8', CACHE_CONTROL.page],
      ['error.html', 'text/html; charset=utf-8', CACHE_CONTROL.page],
      ['data/latest.json', 'application/json', CACHE_CONTROL.pointer],
    ]);
    const page = plan.objects.find((o) => o.key === plan.pointer.keys.page);
    assert.equal(plan.entryPoints[0]?.copyOf, page?.key, 'index.html is a copy of the publish page');
    assert.match(
      String(await page?.load?.()),
      /^<!doctype html>/,
      'the page is rendered when its write starts',
    );
    assert.equal(rawObject(input).cacheControl, CACHE_CONTROL.raw);
  });

  it('keeps the server Content-Type on the raw copy', () => {
    const raw = rawObject({
      ...input,
      raw: { ...input.raw, contentType: 'text/html; charset=windows-1250' },
    });
    assert.equal(raw.contentType, 'text/html; charset=windows-1250');
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

  it('writes the data JSON with every field in contract order, null for missing (never 0)', () => {
    const json = JSON.parse(String(planPublish(input, null).objects[0]?.body));
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

  it('neutralises text a spreadsheet would run as a formula (OWASP), numbers and the JSON untouched', () => {
    const hostile: Quote[] = [
      {
        source: 'dse',
        date: '2026-04-23',
        symbol: '=HYPERLINK("http://x.test","y")',
        name: '+cmd|calc',
        close: -1.5,
      },
      {
        source: 'dse',
        date: '2026-04-23',
        symbol: '-2+3',
        name: '@SUM(A1)',
        isin: '\tTAB',
        currency: '\rCR',
      },
      { source: 'dse', date: '2026-04-23', symbol: 'SAFE', name: 'a=b', change: -0.1 },
    ];
    const lines = quotesCsv(hostile).split('\n');
    assert.equal(
      lines[1],
      `dse,2026-04-23,"'=HYPERLINK(""http://x.test"",""y"")","'+cmd|calc",,,,,,-1.5,,,,,,`,
    );
    assert.equal(lines[2], `dse,2026-04-23,"'-2+3","'@SUM(A1)","'\tTAB","'\rCR",,,,,,,,,,`);
    assert.equal(
      lines[3],
      'dse,2026-04-23,SAFE,a=b,,,,,,,,-0.1,,,,',
      'only a leading formula character counts',
    );
    const plan = planPublish({ ...input, quotes: hostile }, null);
    const json = JSON.parse(String(plan.objects[0]?.body)) as { quotes: Quote[] };
    assert.deepEqual(
      json.quotes.map((x) => [x.symbol, x.name]),
      hostile.map((x) => [x.symbol, x.name ?? null]),
      'the JSON keeps the text exactly as the page had it',
    );
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
