import assert from 'node:assert/strict';
import { CACHE_CONTROL } from '../../../contract/index.ts';
import {
  fullQuote,
  planFailed,
  planPublish,
  quotesCsv,
  type PublishInput,
} from '../../../ingest/publish/files.ts';
import type { Quote } from '../../../ingest/quote.ts';
import { renderSite } from '../../../ingest/site/render.ts';
import type { SiteFile } from '../../../ingest/site/types.ts';

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
  const { pointer } = planPublish(input);
  return renderSite({ pointer, quotes, source: input.source });
}

describe('publish plan', () => {
  it('orders raw → data → assets → pages and builds the pointer from the same keys', () => {
    const plan = planPublish(input);
    assert.deepEqual(
      plan.phases.map((p) => [p.name, p.objects.map((o) => o.key)]),
      [
        ['raw', ['raw/dse/2026-04-23/2026-04-24T02-03-40.000Z.html']],
        ['data', ['data/dse/2026-04-23.json', 'data/dse/2026-04-23.csv']],
        [
          'assets',
          siteFiles()
            .filter((f) => f.key.startsWith('assets/'))
            .map((f) => f.key),
        ],
        [
          'pages',
          siteFiles()
            .filter((f) => !f.key.startsWith('assets/'))
            .map((f) => f.key),
        ],
      ],
    );
    assert.ok(siteFiles().some((f) => f.key === 'index.html'));
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

  it('sets content types and cache control per kind of object', () => {
    const plan = planPublish(input);
    const meta = plan.phases
      .flatMap((p) => p.objects)
      .map((o) => [o.key.split('/')[0], o.contentType, o.cacheControl]);
    assert.deepEqual(meta.slice(0, 3), [
      ['raw', 'text/html', CACHE_CONTROL.raw],
      ['data', 'application/json', CACHE_CONTROL.dated],
      ['data', 'text/csv; charset=utf-8', CACHE_CONTROL.dated],
    ]);
    const site = [...(plan.phases[2]?.objects ?? []), ...(plan.phases[3]?.objects ?? [])];
    const byKey = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key);
    assert.deepEqual(
      site.sort(byKey).map((o) => [o.key, o.contentType, o.cacheControl]),
      siteFiles()
        .sort(byKey)
        .map((f) => [f.key, f.contentType, f.cacheControl]),
    );
    assert.equal(site.find((o) => o.key === 'index.html')?.contentType, 'text/html; charset=utf-8');
    assert.equal(plan.pointerObject.contentType, 'application/json');
    assert.equal(plan.pointerObject.cacheControl, CACHE_CONTROL.pointer);
  });

  it('keeps the server Content-Type on the raw copy', () => {
    const plan = planPublish({
      ...input,
      raw: { ...input.raw, contentType: 'text/html; charset=windows-1250' },
    });
    assert.equal(plan.phases[0]?.objects[0]?.contentType, 'text/html; charset=windows-1250');
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
    const json = JSON.parse(String(planPublish(input).phases[1]?.objects[0]?.body));
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
