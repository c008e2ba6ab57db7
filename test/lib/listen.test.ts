// listen(): the bound port on success; a taken port is a one-line ExchangeError with the fix.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { ExchangeError } from '../../lib/errors.ts';
import { listen } from '../../lib/listen.ts';

describe('listen', () => {
  it('resolves with the port picked for port 0', async () => {
    const server = createServer();
    try {
      const port = await listen(server, 0, '127.0.0.1', 'site');
      assert.ok(port > 0);
      assert.equal(server.listening, true);
    } finally {
      server.close();
    }
  });

  it('a taken port is an ExchangeError naming the address, the code and the fix', async () => {
    const first = createServer();
    const second = createServer();
    try {
      const port = await listen(first, 0, '127.0.0.1', 'site');
      const err = await listen(second, port, '127.0.0.1', 'serve').then(
        () => assert.fail('second listen succeeded'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ExchangeError);
      assert.equal(
        err.oneLine(),
        `serve cannot listen on 127.0.0.1:${port} (EADDRINUSE) — pick another --port (0 picks a free one) or stop the process using it`,
      );
    } finally {
      first.close();
    }
  });
});
