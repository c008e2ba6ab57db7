import assert from 'node:assert/strict';
import { route, type Route } from '../../serve/paths.ts';

const obj = (key: string): Route => ({ kind: 'object', key });
const ID = 'data/dse/2026-04-23/2026-04-24T02-00-00.000Z-0123abcd';

describe('serve routes', () => {
  const ok: [string, Route][] = [
    ['/', { kind: 'index' }],
    ['/?utm=1', { kind: 'index' }],
    ['/index.html', { kind: 'index' }],
    ['/error.html', obj('error.html')],
    ['/assets/site.0123456789ab.css?v=abc', obj('assets/site.0123456789ab.css')],
    ['/data/latest.json', obj('data/latest.json')],
    [`/${ID}.json`, obj(`${ID}.json`)],
    [`/${ID.replace('2026-04-23', '2026%2D04%2D23')}.csv`, obj(`${ID}.csv`)],
    [`/${ID}.html`, obj(`${ID}.html`)],
    ['/healthz', { kind: 'readiness' }],
    ['/healthz?x=1', { kind: 'readiness' }],
    ['/livez', { kind: 'liveness' }],
    // Keys the version before publish-addressed keys wrote, still linked from its pages.
    ['/data/dse/2026-04-23.json', obj('data/dse/2026-04-23.json')],
    ['/assets/site.css', obj('assets/site.css')],
    // Several sources in one bucket: each source's site under its own path.
    ['/ecb-hist/', { kind: 'source', source: 'ecb-hist' }],
    ['/dse/index.html', { kind: 'source', source: 'dse' }],
    ['/env.css', { kind: 'env' }],
    ['/data/sources.json', obj('data/sources.json')],
    [
      '/data/_landing/2026-04-24T02-00-00.000Z-0123abcd.html',
      obj('data/_landing/2026-04-24T02-00-00.000Z-0123abcd.html'),
    ],
    ['/data/ecb-hist/years/1999.html', obj('data/ecb-hist/years/1999.html')],
    ['/data/ecb-hist/symbols.html', obj('data/ecb-hist/symbols.html')],
    [
      '/data/ecb-hist/series/2026-04-24T02-00-00.000Z-0123abcd/USD.csv',
      obj('data/ecb-hist/series/2026-04-24T02-00-00.000Z-0123abcd/USD.csv'),
    ],
  ];
  for (const [url, expected] of ok) {
    it(`GET ${url}`, () => assert.deepEqual(route('GET', url), expected));
  }

  const refused: [string, number][] = [
    ['/raw/dse/2026-04-23/x.html', 404],
    // Shapes a publish never writes: a 404 from memory, never an S3 GET (random-path floods).
    ['/assets/manifest.json', 404],
    ['/assets/site.0123.css', 404],
    ['/data/dse/2026-04.json', 404],
    ['/data/dse/random-1234.json', 404],
    ['/failed/dse/2026-04-23/x.html', 404],
    ['/data/', 404],
    ['/raw/', 404],
    ['/ecb-hist', 404],
    ['/ECB/', 404],
    ['/data/ecb-hist/years/99.html', 404],
    ['/data/ecb-hist/series/x/USD.csv', 404],
    ['/data', 404],
    ['/assets/', 404],
    ['/secret.txt', 404],
    ['//raw/x', 404],
    ['/data//x.json', 404],
    ['/data/.hidden', 404],
    ['/data/x.json/', 404],
    ['/data/../raw/x.html', 400],
    ['/data/./x.json', 400],
    ['/../etc/passwd', 400],
    ['/data/%2e%2e/raw/x.html', 400],
    ['/data/%2E%2E/%2E%2E/etc/passwd', 400],
    ['/data/%252e%252e/raw/x', 400],
    ['/data/%2fraw', 404],
    ['/data\\..\\raw\\x', 400],
    ['/data/%5c..%5craw', 400],
    ['/data/x.json%00.html', 400],
    ['/data/x\0.json', 400],
    ['/data/%E0%A4%A', 400],
    ['/data/caf%C3%A9.json', 404],
    ['http://evil.test/data/x', 400],
    ['*', 400],
  ];
  for (const [url, status] of refused) {
    it(`refuses ${JSON.stringify(url)} with ${status}`, () => {
      const r = route('GET', url);
      assert.equal(r.kind, 'reject');
      assert.equal(r.kind === 'reject' && r.status, status);
    });
  }

  it('405 for methods other than GET and HEAD, before looking at the path', () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', undefined]) {
      assert.deepEqual(route(m, '/'), { kind: 'reject', status: 405, reason: `method ${m} not allowed` });
    }
    assert.deepEqual(route('HEAD', '/'), { kind: 'index' });
  });

  it('414 for request targets over 8 KiB', () => {
    const long = `/data/${'a'.repeat(8200)}`;
    assert.equal((route('GET', long) as { status: number }).status, 414);
    assert.equal((route('GET', `/data/${'a'.repeat(8000)}`) as { status: number }).status, 404);
  });
});
