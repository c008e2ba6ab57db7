// A real HTTP server on 127.0.0.1:0 for tests: records every request and closes all sockets on
// close(), so no test leaves a listener or a keep-alive connection behind.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** ms since the server started. */
  at: number;
}

export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type LoopbackHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  index: number,
) => void | Promise<void>;

export async function startLoopback(handler: LoopbackHandler): Promise<LoopbackServer> {
  const started = Date.now();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const index = requests.length;
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      at: Date.now() - started,
    });
    Promise.resolve(handler(req, res, index)).catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  const { port, close } = await listenTracked(server);
  return { origin: `http://127.0.0.1:${port}`, port, requests, close };
}

/** Listens on 127.0.0.1:0 and tracks sockets, so close() also ends keep-alive connections at once. */
export async function listenTracked(
  server: http.Server,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Serve fixed bytes with the given headers (content-length set unless given). */
export function sendBytes(
  res: http.ServerResponse,
  body: Buffer | string,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(200, { 'content-length': bytes.length, ...headers });
  res.end(bytes);
}
