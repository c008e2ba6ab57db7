import assert from 'node:assert/strict';
import { CACHE_CONTROL } from '../../../contract/index.ts';
import type { PlannedObject } from '../../../ingest/publish/files.ts';
import {
  SITE_MANIFEST_KEY,
  digest,
  parseManifest,
  planSiteWrites,
  type PreviousSite,
} from '../../../ingest/publish/siteManifest.ts';

const file = (key: string, body: string, contentType = 'text/css; charset=utf-8'): PlannedObject => ({
  key,
  body,
  contentType,
  cacheControl: CACHE_CONTROL.page,
});
const css = file('assets/site.css', 'body{}');
const js = file('assets/site.js', 'x()', 'text/javascript; charset=utf-8');
const error = file('error.html', '<p>gone</p>', 'text/html; charset=utf-8');
const index = file('index.html', '<p>quotes</p>', 'text/html; charset=utf-8');
const site = [css, js, error, index];
const recorded = { [css.key]: digest(css), [js.key]: digest(js), [error.key]: digest(error) };

function outcome(previous: PreviousSite): {
  write: string[];
  invalidate: unknown;
  record: unknown;
} {
  const plan = planSiteWrites(site, previous);
  return {
    write: plan.write.map((o) => o.key),
    invalidate: plan.invalidate ? JSON.parse(String(plan.invalidate.body)) : undefined,
    record: plan.record ? JSON.parse(String(plan.record.body)) : undefined,
  };
}

describe('site manifest: which site files a publish writes', () => {
  const cases: [string, PreviousSite, ReturnType<typeof outcome>][] = [
    [
      'no record: everything, then the record; nothing to invalidate',
      { state: 'absent' },
      { write: site.map((f) => f.key), invalidate: undefined, record: { files: recorded } },
    ],
    [
      'identical record: only index.html, no manifest write at all',
      { state: 'known', files: recorded },
      { write: ['index.html'], invalidate: undefined, record: undefined },
    ],
    [
      'one recorded file changed: emptied first, that file and index.html, then the new record',
      { state: 'known', files: { ...recorded, [js.key]: digest(file(js.key, 'old()')) } },
      { write: ['assets/site.js', 'index.html'], invalidate: { files: {} }, record: { files: recorded } },
    ],
    [
      'unreadable record: emptied first (it may vouch for bytes about to change), then everything',
      { state: 'unknown' },
      { write: site.map((f) => f.key), invalidate: { files: {} }, record: { files: recorded } },
    ],
    [
      'a file not yet recorded is written without invalidating the others',
      { state: 'known', files: { [css.key]: digest(css), [error.key]: digest(error) } },
      { write: ['assets/site.js', 'index.html'], invalidate: undefined, record: { files: recorded } },
    ],
    [
      'a recorded file the app no longer renders is dropped from the record',
      { state: 'known', files: { ...recorded, 'assets/old.css': digest(css) } },
      { write: ['index.html'], invalidate: undefined, record: { files: recorded } },
    ],
  ];
  for (const [name, previous, expected] of cases) {
    it(name, () => assert.deepEqual(outcome(previous), expected));
  }

  it('writes the record under assets/ as short-lived JSON', () => {
    const { record } = planSiteWrites(site, { state: 'absent' });
    assert.deepEqual(
      [record?.key, record?.contentType, record?.cacheControl],
      [SITE_MANIFEST_KEY, 'application/json', CACHE_CONTROL.pointer],
    );
    assert.equal(SITE_MANIFEST_KEY, 'assets/manifest.json');
  });

  it('digests the key, content type and cache control as well as the bytes', () => {
    const base = digest(css);
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.equal(digest({ ...css }), base);
    assert.equal(digest({ ...css, body: Buffer.from('body{}') }), base, 'string and bytes alike');
    for (const changed of [
      { ...css, body: 'body{ }' },
      { ...css, key: 'assets/other.css' },
      { ...css, contentType: 'text/plain' },
      { ...css, cacheControl: CACHE_CONTROL.dated },
    ]) {
      assert.notEqual(digest(changed), base, JSON.stringify(changed));
    }
  });

  it('trusts only a well-formed record', () => {
    const hex = 'a'.repeat(64);
    assert.deepEqual(parseManifest(`{"files":{"assets/site.css":"${hex}"}}`), {
      state: 'known',
      files: { 'assets/site.css': hex },
    });
    for (const bad of [
      '',
      'not json',
      '[]',
      '{}',
      '{"files":[]}',
      '{"files":null}',
      '{"files":{"assets/site.css":"abc"}}',
      '{"files":{"assets/site.css":42}}',
    ]) {
      assert.deepEqual(parseManifest(bad), { state: 'unknown' }, bad);
    }
  });
});
