// A forwarding proxy in front of the embedded S3 that can hold back requests for chosen keys, to
// make an in-flight request slow. Headers pass unchanged, so SigV4 signatures (over the proxy's
// Host) still verify at s3rver.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SlowProxy {
  endpoint: string;
  /** Requests whose path contains this are delayed by `delayMs`. */
  slow(match: string, delayMs: number): void;
  /** Resolves when a delayed request has arrived. */
  waitForSlow(): Promise<void>;
  close(): Promise<void>;
}

export async function startSlowProxy(target: string): Promise<SlowProxy> {
  const upstream = new URL(target);
  let rule: { match: string; delayMs: number } | undefined;
  let arrived: () => void = () => undefined;
  let arrival = new Promise<void>((r) => (arrived = r));
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const forward = (): void => {
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    };
    if (rule && req.method === 'GET' && (req.url ?? '').includes(rule.match)) {
      arrived();
      const t = setTimeout(() => {
        timers.delete(t);
        forward();
      }, rule.delayMs);
      timers.add(t);
    } else {
      forward();
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    slow(match, delayMs) {
      rule = { match, delayMs };
      arrival = new Promise<void>((r) => (arrived = r));
    },
    waitForSlow: () => arrival,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
