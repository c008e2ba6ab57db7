// Encoded separators are refused in any letter case (issue 19): %5C and %5c, %00, raw or in a query.
import assert from 'node:assert/strict';
import { route } from '../../serve/paths.ts';

describe('serve paths: encoded separators in any case', () => {
  for (const url of ['/data/%5C..%5Craw', '/data/%5c..%5craw', '/a%5Cb', '/a%00b', '/a\\b'])
    it(`refuses ${url} as a backslash or NUL (400), before decoding`, () =>
      assert.deepEqual(route('GET', url), {
        kind: 'reject',
        status: 400,
        reason: 'backslash or NUL in path',
      }));

  it('only the path counts: a %5C in the query string is not a path separator', () => {
    assert.deepEqual(route('GET', '/index.html?x=%5C'), { kind: 'index' });
  });

  it('HEAD is allowed like GET; a request target of exactly 8192 bytes is accepted', () => {
    assert.deepEqual(route('HEAD', '/'), { kind: 'index' });
    const url = `/${'a'.repeat(8191)}`;
    assert.equal(Buffer.byteLength(url), 8192);
    assert.deepEqual(route('GET', url), { kind: 'reject', status: 404, reason: 'not a site key' });
    assert.equal((route('GET', `${url}a`) as { status: number }).status, 414);
  });
});
