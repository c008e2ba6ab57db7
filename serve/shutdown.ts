// Graceful stop for the HTTP server: stop accepting, let in-flight requests finish, close idle
// keep-alive connections, and force-close whatever is left after a bounded grace period (ECS sends
// SIGKILL 30 s after SIGTERM by default; the ALB deregistration delay has drained traffic by then).
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../lib/log.ts';

/** Per server: sockets that have not sent a (complete) request yet. */
const silent = new WeakMap<Server, Set<Socket>>();

/**
 * Tracks connections until their first request arrives. Node's closeIdleConnections() only closes
 * connections that finished a request, so one that connected and never sent anything (a
 * preconnect, a port scan) would otherwise hold a drain until the grace period ends.
 */
export function trackSilentConnections(server: Server): void {
  const sockets = new Set<Socket>();
  silent.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: { socket: Socket }) => sockets.delete(req.socket));
}

function closeSilentConnections(server: Server): void {
  for (const socket of silent.get(server) ?? []) socket.destroy();
}

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
    closeSilentConnections(server);
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
