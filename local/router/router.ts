// The local stand-in for the shared ALB listener: weighted forwarding per request, the colour test
// route, target health checks, per-colour metrics and connection draining, proxied by http-proxy-3
// over keep-alive agents. A factory: returns servers that are not listening yet.
import http from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { COLOR_HEADER, COLORS, type Color } from '../../contract/index.ts';
import type { Logger } from '../../lib/log.ts';
import type { HealthSettings } from './health.ts';
import { TargetPool, type PoolStatus } from './targets.ts';
import { RouterMetrics } from './metrics.ts';
import { checkWeights, type Weights } from '../../contract/weights.ts';
import { colorFromHeader, pickColor } from './weights.ts';

/** Response header naming the colour the router sent a request to (set on its own 502/504 too). */
export const ROUTED_HEADER = 'X-Router-Target';

export interface RouterOptions {
  /** Origins (http://host:port) registered in each colour's target group: one, or one per task. */
  targets: Record<Color, string | readonly string[]>;
  weights: Weights;
  health: HealthSettings;
  /** Longest wait for in-flight requests of a colour set to weight 0 (the target group's deregistration delay). @default 30000 */
  drainTimeoutMs?: number;
  /** No response from a target within this answers 504, as the ALB's idle timeout. @default 60000 */
  upstreamTimeoutMs?: number;
  log: Logger;
  /** Uniform [0, 1) source for the weighted pick. @default Math.random */
  random?: () => number;
  now?: () => number;
}

export interface ColorStatus extends PoolStatus {
  weight: number;
  inFlight: number;
  /** Set while a colour at weight 0 still finishes requests it had. */
  drainingSinceMs?: number;
}

export interface Router {
  /** Serves user traffic; not listening yet. */
  server: http.Server;
  weights(): Weights;
  setWeights(next: unknown): Weights;
  /** Registers exactly these origins in the colour's target group (new ones start in `initial`). */
  setTargets(color: Color, origins: readonly string[]): void;
  status(): Record<Color, ColorStatus>;
  metrics: RouterMetrics;
  /** Starts the health checks (call once the targets are up). */
  startHealthChecks(): void;
  /** Stops health checks, closes upstream keep-alive sockets (the servers are closed by their owner). */
  close(): void;
}

const keepAliveAgent = (): http.Agent => new http.Agent({ keepAlive: true, maxSockets: 256 });

export function createRouter(options: RouterOptions): Router {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  let weights = checkWeights(options.weights);
  const metrics = new RouterMetrics(now);
  const agents = new Map<Color, http.Agent>(COLORS.map((c) => [c, keepAliveAgent()]));
  const draining = new Map<Color, { since: number; timer: NodeJS.Timeout }>();
  const listOf = (t: string | readonly string[]): readonly string[] => (typeof t === 'string' ? [t] : t);
  const pools = new Map<Color, TargetPool>(
    COLORS.map((c) => [
      c,
      new TargetPool(listOf(options.targets[c]), options.health, (origin, h) =>
        options.log.info('target health changed', { color: c, origin, state: h.state, reason: h.reason }),
      ),
    ]),
  );
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: options.upstreamTimeoutMs ?? 60_000 });

  const finishDrain = (color: Color): void => {
    const d = draining.get(color);
    if (!d) return;
    clearTimeout(d.timer);
    draining.delete(color);
    // Idle keep-alive sockets to a drained colour would otherwise live on; a fresh agent reconnects.
    agents.get(color)!.destroy();
    agents.set(color, keepAliveAgent());
    options.log.info('drained', { color, afterMs: now() - d.since });
  };

  const server = http.createServer((req, res) => {
    const color = colorFromHeader(req.headers[COLOR_HEADER.toLowerCase()]) ?? pickColor(weights, random());
    const started = performance.now();
    res.setHeader(ROUTED_HEADER, color);
    metrics.begin(color);
    let done = false;
    let byRouter = false;
    const end = (status: number): void => {
      if (done) return;
      done = true;
      metrics.end(color, status, performance.now() - started, byRouter);
      if (draining.has(color) && metrics.inFlight(color) === 0) finishDrain(color);
    };
    res.on('finish', () => end(res.statusCode));
    res.on('close', () => end(res.writableFinished ? res.statusCode : 0));
    const target = pools.get(color)!.pick();
    if (target === undefined) {
      // A target group with no registered target: the ALB answers 503 itself.
      byRouter = true;
      return void res
        .writeHead(503, { 'content-type': 'text/plain', [ROUTED_HEADER]: color })
        .end(`503 from router: ${color} has no registered target\n`);
    }
    proxy.web(req, res, { target, agent: agents.get(color) }, (err) => {
      const code = (err as NodeJS.ErrnoException).code ?? err.message;
      const status = /timeout|ETIMEDOUT/i.test(code) ? 504 : 502;
      options.log.warn('target unreachable', { color, code, status });
      byRouter = true;
      if (res.headersSent) res.destroy();
      else
        res
          .writeHead(status, { 'content-type': 'text/plain', [ROUTED_HEADER]: color })
          .end(`${status} from router: ${color} ${code}\n`);
    });
  });
  server.keepAliveTimeout = 65_000;

  const setWeights = (next: unknown): Weights => {
    const checked = checkWeights(next);
    for (const c of COLORS) {
      if (checked[c] === 0 && weights[c] > 0 && !draining.has(c)) {
        draining.set(c, { since: now(), timer: setTimeout(() => finishDrain(c), drainTimeoutMs) });
        if (metrics.inFlight(c) === 0) finishDrain(c);
      }
      if (checked[c] > 0 && draining.has(c)) {
        clearTimeout(draining.get(c)!.timer);
        draining.delete(c);
      }
    }
    weights = checked;
    options.log.info('weights applied', { ...weights });
    return weights;
  };

  return {
    server,
    weights: () => ({ ...weights }),
    setWeights,
    setTargets: (color, origins) => {
      pools.get(color)!.set(origins);
      options.log.info('targets registered', { color, targets: origins.length });
    },
    metrics,
    status: () => {
      const out = {} as Record<Color, ColorStatus>;
      for (const c of COLORS) {
        const d = draining.get(c);
        out[c] = {
          ...pools.get(c)!.status(),
          weight: weights[c],
          inFlight: metrics.inFlight(c),
          ...(d ? { drainingSinceMs: d.since } : {}),
        };
      }
      return out;
    },
    startHealthChecks: () => {
      for (const pool of pools.values()) pool.start();
    },
    close: () => {
      for (const pool of pools.values()) pool.stop();
      for (const d of draining.values()) clearTimeout(d.timer);
      for (const agent of agents.values()) agent.destroy();
      proxy.close();
    },
  };
}
