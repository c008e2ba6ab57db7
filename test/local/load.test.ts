import assert from 'node:assert/strict';
import { COLOR_HEADER } from '../../contract/index.ts';
import { isFailure, startLoad } from '../../local/load.ts';
import { startLoopback, type LoopbackServer } from '../helpers/loopback.ts';

describe('rehearsal load generator', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopback((req, res) => {
      const status = req.url === '/' ? 200 : 503;
      res.writeHead(status, { [COLOR_HEADER]: 'green' }).end();
    });
  });
  after(() => server.close());

  it('stops at its request bound and records each answer’s status and colour', async () => {
    const load = startLoad({
      url: server.origin,
      rps: 1000,
      maxRequests: 30,
      maxMs: 10_000,
      paths: ['/', '/x'],
    });
    await load.finished;
    const records = await load.stop();
    assert.equal(records.length, 30, 'exactly maxRequests must be sent');
    assert.equal(records.filter(isFailure).length, 15, 'every other path answers 503');
    assert.ok(records.every((r) => r.color === 'green' && r.doneMs >= r.sentMs));
  });

  it('stops at its time bound', async () => {
    const load = startLoad({ url: server.origin, rps: 20, maxRequests: 1_000, maxMs: 300 });
    await load.finished;
    const records = await load.stop();
    assert.ok(
      records.length <= 7,
      `20 req/s for 0.3 s is at most 6 requests (+1 for rounding), sent ${records.length}`,
    );
  });

  it('uses keep-alive connections', async () => {
    const before = server.requests.length;
    const load = startLoad({ url: server.origin, rps: 500, maxRequests: 20, maxMs: 5_000, paths: ['/'] });
    await load.finished;
    await load.stop();
    const sent = server.requests.slice(before);
    assert.ok(
      sent.every((r) => r.headers.connection === 'keep-alive'),
      'requests must ask for keep-alive',
    );
  });
});
