// Binds an http.Server and turns "port in use" and friends into a one-line error with the fix.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExchangeError } from './errors.ts';

/** Listen on host:port (0 picks a free port); resolves with the bound port. */
export async function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  server.listen(port, host);
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([err]) => Promise.reject(err)),
    ]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ExchangeError(`${what} cannot listen on ${host}:${port} (${code})`, {
      hint: 'pick another --port (0 picks a free one) or stop the process using it',
      cause: err,
    });
  }
  return (server.address() as AddressInfo).port;
}
