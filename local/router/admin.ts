// The router's admin API, on its own port (the ALB's control plane is not reachable through the
// listener either): what the local shift driver reads and writes.
//   GET /weights            → {"blue": n, "green": n}
//   PUT /weights {…}        → the applied weights (400 with the reason when refused)
//   GET /health             → per colour: state, streak, reason, weight, inFlight, drainingSinceMs
//   GET /metrics?fromMs=a&toMs=b (epoch ms; default the last minute)
//                           → per colour: the window's requests, 5xx, p50/p99, latency histogram, totals
//   GET /release            → the release page of the last shift (HTML), refreshing while it runs
//   GET|PUT /capacity[/<colour>] → each colour's service (local/capacityAdmin.ts), when the system has one
import http from 'node:http';
import { COLORS } from '../../contract/index.ts';
import { ExchangeError } from '../../lib/errors.ts';
import { LATENCY_BUCKETS_MS } from './metrics.ts';
import type { Router } from './router.ts';

/** Routes a system adds beyond the router's own (the services' capacity). */
export interface AdminExtras {
  /** The release page (HTML), or null while no shift was recorded. */
  releasePage?: () => Promise<string | null>;
  capacity?: {
    read(): unknown;
    update(color: string, body: unknown): unknown;
  };
}

const MAX_BODY_BYTES = 4096;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES)
      throw new ExchangeError('body too large', { hint: `send at most ${MAX_BODY_BYTES} bytes` });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ExchangeError(`body ${JSON.stringify(text.slice(0, 80))} is not JSON`, {
      hint: 'send {"blue": <0–999>, "green": <0–999>}',
    });
  }
}

function metricsBody(router: Router, fromMs: number, toMs: number): unknown {
  const out: Record<string, unknown> = { latencyBucketsMs: LATENCY_BUCKETS_MS };
  for (const c of COLORS)
    out[c] = { window: router.metrics.window(c, fromMs, toMs), totals: router.metrics.snapshot(c) };
  return out;
}

function epochParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  const n = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ExchangeError(`${name} "${raw}" is not epoch milliseconds`, {
      hint: `pass ?${name}=${Date.now()}`,
    });
  }
  return n;
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
  });
  res.end(html);
}

async function handle(
  router: Router,
  extras: AdminExtras,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://router');
  if ((url.pathname === '/release' || url.pathname === '/') && req.method === 'GET' && extras.releasePage) {
    const page = await extras.releasePage();
    return page === null
      ? sendHtml(
          res,
          404,
          '<!doctype html><title>no shift</title><p>No shift recorded yet: run "npx exchange shift start --to green --local".</p>',
        )
      : sendHtml(res, 200, page);
  }
  const capacity = /^\/capacity(?:\/([^/]+))?$/.exec(url.pathname);
  if (capacity && extras.capacity) {
    if (req.method === 'GET' && capacity[1] === undefined) return send(res, 200, extras.capacity.read());
    if (req.method === 'PUT' && capacity[1] !== undefined)
      return send(res, 200, extras.capacity.update(capacity[1], await readJson(req)));
  }
  if (url.pathname === '/weights' && req.method === 'GET') return send(res, 200, router.weights());
  if (url.pathname === '/weights' && req.method === 'PUT')
    return send(res, 200, router.setWeights(await readJson(req)));
  if (url.pathname === '/health' && req.method === 'GET') return send(res, 200, router.status());
  if (url.pathname === '/metrics' && req.method === 'GET') {
    const toMs = epochParam(url, 'toMs', Date.now() + 1);
    return send(res, 200, metricsBody(router, epochParam(url, 'fromMs', toMs - 60_000), toMs));
  }
  send(res, 404, {
    error: `no admin route ${req.method} ${url.pathname}`,
    fix: 'use GET|PUT /weights, GET /health, GET /metrics?fromMs=a&toMs=b, GET /release, GET /capacity, PUT /capacity/<colour>',
  });
}

/** The admin server for a router; not listening yet. */
export function createAdminServer(router: Router, extras: AdminExtras = {}): http.Server {
  return http.createServer((req, res) => {
    handle(router, extras, req, res).catch((err: unknown) => {
      const line = err instanceof ExchangeError ? err.oneLine() : String(err);
      send(res, 400, { error: line });
    });
  });
}
