import assert from 'node:assert/strict';
import { contentTypeFor, etagMatches, isCompressible, negotiateEncoding } from '../../serve/negotiate.ts';

describe('serve negotiation', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['BR', 'br'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['gzip;q=abc', 'identity'],
  ];
  for (const [header, expected] of cases) {
    it(`Accept-Encoding ${JSON.stringify(header)} → ${expected}`, () =>
      assert.equal(negotiateEncoding(header), expected));
  }

  it('matches If-None-Match lists, weak tags and *', () => {
    const tags = ['"abc"', '"abc-br"'];
    assert.equal(etagMatches('"abc"', tags), true);
    assert.equal(etagMatches('W/"abc-br"', tags), true);
    assert.equal(etagMatches('"x", "abc"', tags), true);
    assert.equal(etagMatches('*', tags), true);
    assert.equal(etagMatches('"abd"', tags), false);
    assert.equal(etagMatches(undefined, tags), false);
  });

  it('knows content types and what to compress', () => {
    assert.equal(contentTypeFor('data/x/2026-04-23.csv'), 'text/csv; charset=utf-8');
    assert.equal(contentTypeFor('assets/site.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('data/blob'), 'application/octet-stream');
    assert.equal(isCompressible('application/json'), true);
    assert.equal(isCompressible('text/html; charset=utf-8'), true);
    assert.equal(isCompressible('image/png'), false);
  });
});
