// A fault-injecting HTTP proxy for tests: sits in front of a real server (s3rver) and, per
// request, passes it through, answers 500, destroys the socket, or stalls (never answers, or sends
// the upstream headers and then nothing). Lets publish tests prove that SDK retries recover, that
// exhausted retries leave the pointer alone, and that a stalled S3 never hangs anything.
import http from 'node:http';
import { listenTracked } from './loopback.ts';

export type Fault =
  | 'pass'
  | 'error-500'
  | 'destroy'
  /** Reads the request and never answers (until the proxy closes). */
  | 'stall'
  /** Forwards, sends the upstream status and headers, then never sends the body. */
  | 'stall-body';

export interface ProxiedRequest {
  method: string;
  /** Path and query as the client sent it, e.g. /bucket/data/latest.json?x-id=PutObject */
  url: string;
  /** The path alone, e.g. /bucket/data/latest.json */
  path: string;
  fault: Fault;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port>, use as the S3 endpoint. */
  endpoint: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/** Decides the fault for the n-th request (0-based) of the proxy. */
export type FaultRule = (req: { method: string; url: string; path: string }, index: number) => Fault;

export const failFirst =
  (n: number, fault: Fault): FaultRule =>
  (_req, index) =>
    index < n ? fault : 'pass';

/** Fails `times` requests whose path matches (a PUT of that key, typically). */
export function failMatching(pattern: RegExp, fault: Fault, times = Number.POSITIVE_INFINITY): FaultRule {
  let hits = 0;
  return (req) => {
    if (!pattern.test(req.path) || hits >= times) return 'pass';
    hits += 1;
    return fault;
  };
}

const S3_ERROR_XML =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>' +
  '<Message>injected by the test fault proxy</Message></Error>';

function forward(req: http.IncomingMessage, res: http.ServerResponse, target: URL, stallBody = false): void {
  const headers = { ...req.headers };
  // Expect is unsigned and the proxy already answered 100-continue itself.
  delete headers.expect;
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (stallBody) {
        res.flushHeaders();
        up.resume();
      } else up.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

export async function startFaultProxy(targetEndpoint: string, rule: FaultRule): Promise<FaultProxy> {
  const target = new URL(targetEndpoint);
  const requests: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const info = { method: req.method ?? '', url, path: url.split('?')[0] ?? url };
    const fault = rule(info, requests.length);
    requests.push({ ...info, fault });
    if (fault === 'destroy') {
      req.socket.destroy();
    } else if (fault === 'error-500') {
      req.resume();
      req.on('end', () => res.writeHead(500, { 'content-type': 'application/xml' }).end(S3_ERROR_XML));
    } else if (fault === 'stall') {
      req.resume();
    } else {
      forward(req, res, target, fault === 'stall-body');
    }
  });
  const { port, close } = await listenTracked(server);
  return { endpoint: `http://127.0.0.1:${port}`, requests, close };
}
