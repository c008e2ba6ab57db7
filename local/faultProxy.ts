// A fault switch in front of one colour's serve process (serve/ stays free of test hooks): passes
// requests through http-proxy-3 over a keep-alive agent, or injects the rehearsal's faults the way a
// sick release would show them — health checks failing, pages failing, or pages turning slow.
import http from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { COLOR_HEADER, LIVENESS_PATH, READINESS_PATH, type Color } from '../contract/index.ts';
import { listen } from '../lib/listen.ts';

/**
 * Faults the proxy injects; `kill` is not one of them: it kills the serve process itself. `rate5xxPercent`
 * answers exactly that share of pages 500, evenly spread (a rehearsal measures the detector, not the
 * dice); `slowFactor` multiplies the simulated service time of every page.
 */
export type ProxyFault =
  'none' | 'unhealthy' | '5xx' | 'slow' | { rate5xxPercent: number } | { slowFactor: number };

export interface FaultProxyOptions {
  color: Color;
  /** serve's origin. */
  target: string;
  /** Added latency of every page request under the `slow` fault, ms. @default 1500 */
  slowMs?: number;
  /**
   * Simulated service time of every page, uniform in [min, max] ms: the rehearsal's stand-in for S3 and
   * the network, so latencies compare releases rather than the laptop's scheduler. @default none
   */
  serviceMs?: { min: number; max: number };
  /** Uniform [0, 1) for the service time. @default Math.random */
  random?: () => number;
}

export interface FaultProxy {
  origin: string;
  fault(): ProxyFault;
  setFault(fault: ProxyFault): void;
  /** Points the proxy at a replacement serve process (a killed colour restarted). */
  setTarget(origin: string): void;
  close(): Promise<void>;
}

const HEALTH_PATHS = new Set<string>([LIVENESS_PATH, READINESS_PATH]);

function answer(res: http.ServerResponse, color: Color, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    [COLOR_HEADER]: color,
  });
  res.end(text);
}

export async function startFaultProxy(o: FaultProxyOptions): Promise<FaultProxy> {
  let fault: ProxyFault = 'none';
  let target = o.target;
  const slowMs = o.slowMs ?? 1500;
  const random = o.random ?? Math.random;
  let pages = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = createProxyServer({ agent });
  const pending = new Set<NodeJS.Timeout>();
  const forward = (req: http.IncomingMessage, res: http.ServerResponse): void =>
    proxy.web(req, res, { target }, (err) => {
      // The router must see what the ALB sees from a dead task: a broken connection, not an answer.
      void err;
      res.destroy();
    });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const health = HEALTH_PATHS.has(path);
    if (fault === 'unhealthy' && health) {
      return answer(res, o.color, 503, {
        status: 'unhealthy',
        color: o.color,
        reason: 'injected fault: unhealthy',
      });
    }
    if (health) return forward(req, res);
    pages += 1;
    const rate = typeof fault === 'object' && 'rate5xxPercent' in fault ? fault.rate5xxPercent : 0;
    if (fault === '5xx' || Math.floor((pages * rate) / 100) > Math.floor(((pages - 1) * rate) / 100)) {
      return answer(res, o.color, 500, { error: 'injected fault: 5xx', color: o.color });
    }
    const factor = typeof fault === 'object' && 'slowFactor' in fault ? fault.slowFactor : 1;
    const service = o.serviceMs ? o.serviceMs.min + random() * (o.serviceMs.max - o.serviceMs.min) : 0;
    const delay = service * factor + (fault === 'slow' ? slowMs : 0);
    if (delay <= 0) return forward(req, res);
    const timer = setTimeout(() => {
      pending.delete(timer);
      forward(req, res);
    }, delay);
    pending.add(timer);
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, 0, '127.0.0.1', `${o.color} fault proxy`);
  return {
    origin: `http://127.0.0.1:${port}`,
    fault: () => fault,
    setFault: (next) => {
      fault = next;
      pages = 0;
    },
    setTarget: (origin) => {
      target = origin;
    },
    close: async () => {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      proxy.close();
    },
  };
}
