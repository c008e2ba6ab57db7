// One list of the S3 calls and keys the app uses (contract/s3Access.ts): every key the app builds is
// covered by its role's grant, and nothing outside the layout is.
import assert from 'node:assert/strict';
import { dataKeys, failedKey, LAYOUT, rawKey } from '../../contract/index.ts';
import { keyMatches, s3Allows, S3_ACCESS } from '../../contract/s3Access.ts';
import { SITE_MANIFEST_KEY } from '../../ingest/publish/siteManifest.ts';

const AT = '2026-12-01T10:30:00.000Z';

describe('S3 access list (contract)', () => {
  it('ingest may write every key the publish step builds', () => {
    const { json, csv } = dataKeys('dse', '2026-12-01');
    const written = [
      rawKey('dse', '2026-12-01', AT, 'html'),
      failedKey('dse', '2026-12-01', AT, 'html'),
      json,
      csv,
      LAYOUT.latestKey,
      LAYOUT.indexKey,
      LAYOUT.errorKey,
      SITE_MANIFEST_KEY,
      `${LAYOUT.assetsPrefix}app.0123abcd.css`,
    ];
    for (const key of written)
      assert.ok(
        s3Allows('ingest', 's3:PutObject', key),
        `${key}: add it to S3_ACCESS.ingest (contract/s3Access.ts)`,
      );
  });

  it('ingest may read the previous pointer and the asset manifest; serve reads the site keys', () => {
    for (const key of [LAYOUT.latestKey, SITE_MANIFEST_KEY])
      assert.ok(s3Allows('ingest', 's3:GetObject', key), key);
    for (const key of [LAYOUT.latestKey, dataKeys('dse', '2026-12-01').json, LAYOUT.indexKey])
      assert.ok(s3Allows('serve', 's3:GetObject', key), key);
  });

  it('serve never writes, and nobody reads raw/ or failed/ back', () => {
    assert.ok(S3_ACCESS.serve.objects.every((g) => g.action !== 's3:PutObject'));
    for (const role of ['serve', 'ingest'] as const)
      assert.ok(!s3Allows(role, 's3:GetObject', rawKey('dse', '2026-12-01', AT, 'html')), role);
  });

  it('matches keys the way IAM does (* spans slashes, dots are literal)', () => {
    assert.ok(keyMatches('data/*', 'data/dse/2026-12-01.json'));
    assert.ok(!keyMatches('index.html', 'indexXhtml'));
    assert.ok(!keyMatches('data/*', 'raw/data/x'));
  });
});
