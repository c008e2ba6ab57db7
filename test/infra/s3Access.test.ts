// One list of the S3 calls and keys the app uses (contract/s3Access.ts): every key the app builds is
// covered by its role's grant, and nothing outside the layout is.
import assert from 'node:assert/strict';
import {
  datesKey,
  failedKey,
  historyKey,
  landingKey,
  LAYOUT,
  publishId,
  publishKeys,
  rawKey,
  seriesKey,
  symbolsPageKey,
  yearPageKey,
} from '../../contract/index.ts';
import { keyMatches, s3Allows, S3_ACCESS } from '../../contract/s3Access.ts';
import { ASSET_KEYS } from '../../site/render.ts';

const AT = '2026-12-01T10:30:00.000Z';
const ID = publishId(AT, '0123456789abcdef');

describe('S3 access list (contract)', () => {
  it('ingest may write every key the publish step builds', () => {
    const { json, csv, page, symbols } = publishKeys('dse', '2026-12-01', ID);
    const written = [
      symbols,
      datesKey('dse'),
      historyKey('dse', ID),
      rawKey('dse', '2026-12-01', AT, 'html'),
      failedKey('dse', '2026-12-01', AT, 'html'),
      json,
      csv,
      page,
      LAYOUT.latestKey,
      LAYOUT.indexKey,
      LAYOUT.errorKey,
      ASSET_KEYS.css,
      ASSET_KEYS.js,
      ASSET_KEYS.chart,
      // Whole histories and several sources (issue 18): series files, calendars, the chart page,
      // the sources registry and the landing page; raw copies of zipped pages.
      seriesKey('ecb-hist', ID, 'USD'),
      seriesKey('nse-index', ID, 'NIFTY 50'),
      yearPageKey('ecb-hist', '1999'),
      symbolsPageKey('ecb-hist'),
      LAYOUT.sourcesKey,
      landingKey(ID),
      rawKey('ecb-hist', '2026-12-01', AT, 'zip'),
    ];
    for (const key of written)
      assert.ok(
        s3Allows('ingest', 's3:PutObject', key),
        `${key}: add it to S3_ACCESS.ingest (contract/s3Access.ts)`,
      );
  });

  it('ingest may read the previous pointer and copy the page it published; serve reads the site keys', () => {
    const keys = publishKeys('dse', '2026-12-01', ID);
    // index.html is a server-side copy (CopyObject) of the publish's page: GetObject on the source.
    // History reads: the dates index, the window it names and, rarely, one date's data file.
    // The registry (compare-and-swap), the old series files a rewrite extends, the landing page index.html copies.
    for (const key of [
      LAYOUT.latestKey,
      keys.page,
      datesKey('dse'),
      historyKey('dse', ID),
      keys.json,
      LAYOUT.sourcesKey,
      seriesKey('ecb-hist', ID, 'USD'),
      landingKey(ID),
    ])
      assert.ok(s3Allows('ingest', 's3:GetObject', key), key);
    for (const key of [
      LAYOUT.latestKey,
      keys.json,
      keys.page,
      LAYOUT.indexKey,
      ASSET_KEYS.css,
      LAYOUT.sourcesKey,
      landingKey(ID),
      yearPageKey('ecb-hist', '1999'),
      symbolsPageKey('ecb-hist'),
      seriesKey('ecb-hist', ID, 'USD'),
    ])
      assert.ok(s3Allows('serve', 's3:GetObject', key), key);
  });

  it('serve never writes, and nobody reads raw/ or failed/ back', () => {
    assert.ok(S3_ACCESS.serve.objects.every((g) => g.action !== 's3:PutObject'));
    for (const role of ['serve', 'ingest'] as const)
      assert.ok(!s3Allows(role, 's3:GetObject', rawKey('dse', '2026-12-01', AT, 'html')), role);
  });

  it('matches keys the way IAM does (* spans slashes, dots are literal)', () => {
    assert.ok(keyMatches('data/*', publishKeys('dse', '2026-12-01', ID).json));
    assert.ok(!keyMatches('index.html', 'indexXhtml'));
    assert.ok(!keyMatches('data/*', 'raw/data/x'));
  });
});
