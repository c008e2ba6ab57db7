import assert from 'node:assert/strict';
import { route, type Route } from '../../serve/paths.ts';

const obj = (key: string): Route => ({ kind: 'object', key });

describe('serve routes', () => {
  const ok: [string, Route][] = [
    ['/', obj('index.html')],
    ['/?utm=1', obj('index.html')],
    ['/index.html', obj('index.html')],
    ['/error.html', obj('error.html')],
    ['/assets/site.css?v=abc', obj('assets/site.css')],
    ['/data/latest.json', obj('data/latest.json')],
    ['/data/dse/2026-04-23.json', obj('data/dse/2026-04-23.json')],
    ['/data/dse/2026%2D04%2D23.csv', obj('data/dse/2026-04-23.csv')],
    ['/healthz', { kind: 'health' }],
    ['/healthz?x=1', { kind: 'health' }],
  ];
  for (const [url, expected] of ok) {
    it(`GET ${url}`, () => assert.deepEqual(route('GET', url), expected));
  }

  const refused: [string, number][] = [
    ['/raw/dse/2026-04-23/x.html', 404],
    ['/failed/dse/2026-04-23/x.html', 404],
    ['/data/', 404],
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
    assert.deepEqual(route('HEAD', '/'), obj('index.html'));
  });

  it('414 for request targets over 8 KiB', () => {
    const long = `/data/${'a'.repeat(8200)}`;
    assert.equal((route('GET', long) as { status: number }).status, 414);
    assert.deepEqual(route('GET', `/data/${'a'.repeat(8000)}`), obj(`data/${'a'.repeat(8000)}`));
  });
});
