// The environment's HTTP service: the site from the bucket (through an in-memory cache) and /healthz.
// A factory: returns a server that is not listening yet, so tests bind port 0 and close it.
import {
  createServer as createHttpServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { LAYOUT } from '../contract/index.ts';
import type { Logger } from '../lib/log.ts';
import { baseHeaders, type ServiceIdentity } from './headers.ts';
import { HealthProbe } from './health.ts';
import { ALLOWED_METHODS, route } from './paths.ts';
import { sendErrorPage, sendJson, sendObject } from './respond.ts';
import { closeWhenDraining } from './shutdown.ts';
import { SiteStore, StoreUnavailableError, type SiteObject } from './store.ts';

export interface ServeDeps {
  s3: S3Client;
  bucket: string;
  log: Logger;
  identity: ServiceIdentity;
  /** /healthz turns unhealthy when the data is older than this. */
  maxAgeSeconds: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** How often data/latest.json is checked for a new publish. @default 1000 */
  pointerPollMs?: number;
  /** How long one /healthz answer is reused. @default 1500 */
  healthCacheMs?: number;
}

/** Longer than the ALB's 60 s idle timeout, so the ALB (not us) closes idle connections and never hits a half-closed one. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createServer(deps: ServeDeps): Server {
  const now = deps.now ?? Date.now;
  const store = new SiteStore({
    s3: deps.s3,
    bucket: deps.bucket,
    log: deps.log,
    now,
    pointerPollMs: deps.pointerPollMs,
  });
  const probe = new HealthProbe({
    s3: deps.s3,
    bucket: deps.bucket,
    maxAgeSeconds: deps.maxAgeSeconds,
    now,
    cacheMs: deps.healthCacheMs,
  });
  const headers = baseHeaders(deps.identity);
  const ctx: HandlerContext = { store, probe, identity: deps.identity, log: deps.log };
  const server = createHttpServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    const started = performance.now();
    res.setHeaders(new Map(Object.entries(headers)));
    closeWhenDraining(server, res);
    handle(ctx, req, res)
      .then((bytes) => accessLog(deps.log, req, res, started, bytes))
      .catch((err: unknown) => {
        // Last resort: a bug must cost one request, never the process.
        deps.log.error('request failed', { path: pathForLog(req.url), error: err });
        if (!res.headersSent) sendErrorPage(req, res, 500, null, 'Internal error');
        else res.destroy();
        accessLog(deps.log, req, res, started, 0);
      });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) =>
    rejectClient(deps.log, err, socket),
  );
  return server;
}

interface HandlerContext {
  store: SiteStore;
  probe: HealthProbe;
  identity: ServiceIdentity;
  log: Logger;
}

/** Serves one request; returns the body bytes written. */
async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const r = route(req.method, req.url);
  if (r.kind === 'health') return health(ctx, req, res);
  try {
    if (r.kind === 'reject') {
      if (r.status === 405) res.setHeader('Allow', ALLOWED_METHODS.join(', '));
      return sendErrorPage(req, res, r.status, await errorPage(ctx), STATUS_CODES[r.status] ?? 'Bad request');
    }
    const obj = await ctx.store.get(r.key);
    if (obj) return sendObject(req, res, obj);
    return sendErrorPage(req, res, 404, await errorPage(ctx), 'Not found');
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    ctx.log.warn('bucket unavailable', { error: err, cause: err.cause });
    return sendErrorPage(req, res, 503, null, 'Service unavailable');
  }
}

/** The site's error.html, or null when it cannot be had (the caller falls back to a built-in page). */
async function errorPage(ctx: HandlerContext): Promise<SiteObject | null> {
  try {
    return await ctx.store.get(LAYOUT.errorKey);
  } catch {
    return null;
  }
}

async function health(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const v = await ctx.probe.check();
  const { color, version, imageTag, commit } = ctx.identity;
  const body = {
    status: v.healthy ? 'ok' : 'unhealthy',
    color: color ?? null,
    version,
    imageTag: imageTag ?? null,
    commit: commit ?? null,
    source: v.source ?? null,
    dataDate: v.dataDate ?? null,
    generatedAt: v.generatedAt ?? null,
    ageSeconds: v.ageSeconds ?? null,
    ...(v.reason ? { reason: v.reason } : {}),
  };
  return sendJson(req, res, v.healthy ? 200 : 503, body);
}

/** Path without the query string, bounded so a hostile URL cannot bloat the logs. */
function pathForLog(url: string | undefined): string {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  return path.length > 256 ? `${path.slice(0, 256)}…` : path;
}

function accessLog(
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  started: number,
  bytes: number,
): void {
  log.info('request', {
    method: req.method,
    path: pathForLog(req.url),
    status: res.statusCode,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    bytes,
  });
}

/** Malformed requests Node's parser refuses: 431 for oversized headers, 400 otherwise, then close. */
function rejectClient(log: Logger, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
  log.warn('bad request', { status, code: err.code });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
