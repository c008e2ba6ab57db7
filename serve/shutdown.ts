// Graceful stop for the HTTP server: stop accepting, let in-flight requests finish, close idle
// keep-alive connections, and force-close whatever is left after a bounded grace period (ECS sends
// SIGKILL 30 s after SIGTERM by default; the ALB deregistration delay has drained traffic by then).
import type { Server, ServerResponse } from 'node:http';
import type { Logger } from '../lib/log.ts';

export interface DrainOptions {
  /** Longest wait for in-flight requests before sockets are destroyed. @default 10000 */
  graceMs?: number;
  log: Logger;
}

/** Resolves once the server is closed; `forced` says whether the grace period ran out. */
export function drain(server: Server, options: DrainOptions): Promise<{ forced: boolean }> {
  const graceMs = options.graceMs ?? 10_000;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (forced: boolean): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      resolve({ forced });
    };
    if (!server.listening) {
      finish(false);
      return;
    }
    // Responses finished after this point close their connection (see `closeWhenDraining`).
    server.close(() => finish(false));
    server.closeIdleConnections();
    timer = setTimeout(() => {
      options.log.warn('grace period over, closing remaining connections', { graceMs });
      server.closeAllConnections();
      finish(true);
    }, graceMs);
  });
}

/**
 * Called per request by the server: while draining, answer with `Connection: close`, and whenever a
 * response ends during a drain close the sockets that went idle, so keep-alive clients (including
 * ones whose request started before the drain) cannot hold the process open until the grace ends.
 */
export function closeWhenDraining(server: Server, res: ServerResponse): void {
  if (!server.listening) res.setHeader('Connection', 'close');
  res.once('finish', () => {
    if (!server.listening) setImmediate(() => server.closeIdleConnections());
  });
}
