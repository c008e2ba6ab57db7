// One list of the S3 calls and keys the app uses (contract/s3Access.ts). The keys a real ingest writes and
// reads are recorded and checked against it, and against the ingest role through the IAM evaluator, in
// test/iam/ingestKeys.test.ts (no hand-written list of written keys); here: serve's reads and the matching.
import assert from 'node:assert/strict';
import {
  datesKey,
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
  it('serve reads the site keys; ingest reads the pointer and the page it copies', () => {
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
