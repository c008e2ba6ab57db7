// The environment's HTTP service: the site from the bucket (through an in-memory cache), /healthz
// (readiness) and /livez (liveness), both answered from the background bucket watch.
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
import { CACHE_CONTROL, LAYOUT, SERVE_KEEP_ALIVE_TIMEOUT_MS } from '../contract/index.ts';
import type { Logger } from '../lib/log.ts';
import { baseHeaders, type ServiceIdentity } from './headers.ts';
import { liveness, pageKey, readiness, type HealthLimits, type Verdict } from './health.ts';
import { ALLOWED_METHODS, MAX_URL_BYTES, route } from './paths.ts';
import { sendEnvCss, sendErrorPage, sendJson, sendObject } from './respond.ts';
import { closeWhenDraining, trackSilentConnections } from './shutdown.ts';
import { SiteStore, StoreUnavailableError, type SiteObject } from './store.ts';
import { BucketWatch } from './watch.ts';

export interface ServeDeps {
  s3: S3Client;
  bucket: string;
  log: Logger;
  identity: ServiceIdentity;
  /** /healthz turns unready when the data is older than this. */
  maxAgeSeconds: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** Pause between background bucket checks, ms. @default 2000 */
  checkIntervalMs?: number;
  /** One background check, all retries, ms. @default 3000 */
  checkTimeoutMs?: number;
  /** /livez fails once the bucket has not been reached for this long, ms. @default 60000 */
  livenessToleranceMs?: number;
  /** A client must send its request headers within this, else 408 and close, ms. @default 10000 */
  headersTimeoutMs?: number;
  /** A missing key is answered 404 from memory for this long, ms. @default 10000 */
  negativeTtlMs?: number;
  /** An uncached object read from S3, all retries, before the request gets 503, ms. @default 4000 */
  fetchTimeoutMs?: number;
  /** Told of every answered request: its status and duration, ms (serve's EMF metrics). */
  onAnswered?: (status: number, ms: number) => void;
}

export interface Service {
  server: Server;
  watch: BucketWatch;
}

/**
 * The server and its background bucket watch, not started: `serve` awaits the first check (to fail
 * on NoSuchBucket before listening); the watch stops when the server closes.
 */
export function createService(deps: ServeDeps): Service {
  const now = deps.now ?? Date.now;
  const store = new SiteStore({
    s3: deps.s3,
    bucket: deps.bucket,
    log: deps.log,
    now,
    ...(deps.negativeTtlMs === undefined ? {} : { negativeTtlMs: deps.negativeTtlMs }),
    ...(deps.fetchTimeoutMs === undefined ? {} : { fetchTimeoutMs: deps.fetchTimeoutMs }),
  });
  const intervalMs = deps.checkIntervalMs ?? 2000;
  const checkTimeoutMs = deps.checkTimeoutMs ?? 3000;
  const watch = new BucketWatch({
    s3: deps.s3,
    bucket: deps.bucket,
    log: deps.log,
    now,
    intervalMs,
    checkTimeoutMs,
    onPointerChange: () => store.newGeneration(),
  });
  const startedAt = now();
  const limits = (): HealthLimits => ({
    nowMs: now(),
    maxAgeSeconds: deps.maxAgeSeconds,
    staleAfterMs: intervalMs + checkTimeoutMs + 1000,
    livenessToleranceMs: deps.livenessToleranceMs ?? 60_000,
    startedAt,
  });
  const ctx: HandlerContext = {
    store,
    watch,
    limits,
    identity: deps.identity,
    log: deps.log,
    ...(deps.onAnswered ? { onAnswered: deps.onAnswered } : {}),
  };
  const server = httpServer(ctx, deps.headersTimeoutMs ?? 10_000);
  server.on('close', () => watch.stop());
  return { server, watch };
}

/** The Node server: timeouts, base headers, the access log, malformed-request answers, drain tracking. */
function httpServer(ctx: HandlerContext, headersTimeout: number): Server {
  const headers = baseHeaders(ctx.identity);
  const server = createHttpServer(
    {
      requestTimeout: Math.max(30_000, headersTimeout),
      headersTimeout,
      // Node checks both timeouts only this often (30 s by default), so a slow-header client
      // would otherwise hold its socket up to 30 s past the header timeout.
      connectionsCheckingInterval: Math.min(1000, Math.max(100, headersTimeout / 4)),
    },
    (req, res) => {
      const started = performance.now();
      res.setHeaders(new Map(Object.entries(headers)));
      closeWhenDraining(server, res);
      handle(ctx, req, res)
        .then((bytes) => accessLog(ctx.log, req, res, started, bytes))
        .catch((err: unknown) => {
          // Last resort: a bug must cost one request, never the process.
          ctx.log.error('request failed', { path: pathForLog(req.url), error: err });
          if (!res.headersSent) sendErrorPage(req, res, 500, null, 'Internal error');
          else res.destroy();
          accessLog(ctx.log, req, res, started, 0);
        })
        .finally(() => ctx.onAnswered?.(res.statusCode, performance.now() - started));
    },
  );
  // Longer than the ALB's idle timeout (contract/index.ts), so the ALB, not us, closes idle connections.
  server.keepAliveTimeout = SERVE_KEEP_ALIVE_TIMEOUT_MS;
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) =>
    rejectClient(ctx.log, err, socket),
  );
  trackSilentConnections(server);
  return server;
}

/** The server with its bucket watch started in the background (tests, and callers that need no start-up check). */
export function createServer(deps: ServeDeps): Server {
  const { server, watch } = createService(deps);
  void watch.start();
  return server;
}

interface HandlerContext {
  store: SiteStore;
  watch: BucketWatch;
  limits: () => HealthLimits;
  identity: ServiceIdentity;
  log: Logger;
  onAnswered?: (status: number, ms: number) => void;
}

/** Serves one request; returns the body bytes written. */
async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const r = route(req.method, req.url);
  // Only in the first moments of a server started without awaiting its first check (createServer):
  // that check is bounded by checkTimeoutMs, so a probe never waits longer.
  if (ctx.watch.state.checkedAt === null) await ctx.watch.first;
  if (r.kind === 'readiness') return probe(ctx, req, res, readiness(ctx.watch.state, ctx.limits()));
  if (r.kind === 'liveness') return probe(ctx, req, res, liveness(ctx.watch.state, ctx.limits()));
  try {
    if (r.kind === 'reject') {
      if (r.status === 405) res.setHeader('Allow', ALLOWED_METHODS.join(', '));
      return sendErrorPage(req, res, r.status, await errorPage(ctx), STATUS_CODES[r.status] ?? 'Bad request');
    }
    if (r.kind === 'env') return sendEnvCss(req, res, ctx.identity.color);
    if (r.kind === 'index' || r.kind === 'source') {
      const page = r.kind === 'index' ? await indexPage(ctx) : await sourcePage(ctx, r.source);
      if (page) return sendObject(req, res, page);
      return sendErrorPage(req, res, 404, await errorPage(ctx), 'Not found');
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

/**
 * The page the current complete pointer names — or, with several sources in the bucket, the landing
 * page the sources registry names — served with the entry point's short cache life; so `/` changes
 * exactly when the pointer (or registry) does. index.html (the bucket's copy) only before any pointer.
 */
async function indexPage(ctx: HandlerContext): Promise<SiteObject | null> {
  const { pointer, missingKeys, registry, registryMissing } = ctx.watch.state;
  const landing = registry?.landing && !registryMissing.includes(registry.landing) ? registry.landing : null;
  const key = landing ?? (pointer && missingKeys.length === 0 ? pageKey(pointer) : LAYOUT.indexKey);
  return entryPage(ctx, key);
}

/** /<source>/: the source's latest page, from the registry (or the pointer, in a bucket of one source). */
async function sourcePage(ctx: HandlerContext, source: string): Promise<SiteObject | null> {
  const { pointer, missingKeys, registry } = ctx.watch.state;
  const entry = registry?.sources[source];
  const key = entry
    ? entry.page
    : pointer?.source === source && missingKeys.length === 0
      ? pageKey(pointer)
      : null;
  return key ? entryPage(ctx, key) : null;
}

async function entryPage(ctx: HandlerContext, key: string): Promise<SiteObject | null> {
  const obj = await ctx.store.get(key);
  return obj && { ...obj, cacheControl: CACHE_CONTROL.page };
}

/** The site's error.html, or null when it cannot be had (the caller falls back to a built-in page). */
async function errorPage(ctx: HandlerContext): Promise<SiteObject | null> {
  try {
    return await ctx.store.get(LAYOUT.errorKey);
  } catch {
    return null;
  }
}

/** /healthz and /livez: from memory, never waiting on S3; the body carries no internal error text. */
function probe(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, v: Verdict): number {
  const { color, version, imageTag, commit } = ctx.identity;
  const body = {
    status: v.ok ? 'ok' : 'unavailable',
    color: color ?? null,
    version,
    imageTag: imageTag ?? null,
    commit: commit ?? null,
    source: v.source ?? null,
    dataDate: v.dataDate ?? null,
    generatedAt: v.generatedAt ?? null,
    ageSeconds: v.ageSeconds ?? null,
    ...(v.reason ? { reason: v.reason } : {}),
    ...(v.sources ? { sources: v.sources } : {}),
  };
  return sendJson(req, res, v.ok ? 200 : 503, body);
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

/**
 * Requests Node's parser refuses: 408 when the headers did not arrive within the header timeout,
 * 414 when the request line alone passes the URL limit (Node counts it in the header size), 431
 * for other oversized headers, 400 otherwise; then close.
 */
function rejectClient(
  log: Logger,
  err: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = clientErrorStatus(err);
  log.warn('bad request', { status, code: err.code });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function clientErrorStatus(err: { code?: string; rawPacket?: Buffer }): number {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (err.code === 'HPE_URI_TOO_LONG') return 414;
  if (err.code !== 'HPE_HEADER_OVERFLOW') return 400;
  const line = err.rawPacket?.subarray(0, MAX_URL_BYTES + 64) ?? Buffer.alloc(0);
  const end = line.indexOf('\r\n');
  return end === -1 || end > MAX_URL_BYTES ? 414 : 431;
}
