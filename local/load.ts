// Steady load on the router for rehearsals: a fixed request rate over keep-alive connections, bounded
// in count and in time, recording every answer's status and colour so the report can say which
// colour failed which request and when.
import http from 'node:http';
import { COLOR_HEADER, COLORS, LAYOUT, type Color } from '../contract/index.ts';
import { ROUTED_HEADER } from './router/router.ts';

export interface LoadOptions {
  /** Router main URL. */
  url: string;
  /** Requests per second. */
  rps: number;
  /** Stop after this many requests. */
  maxRequests: number;
  /** Stop after this long, ms. */
  maxMs: number;
  /** A request without an answer within this fails, ms. @default 5000 */
  timeoutMs?: number;
  /** Paths requested in turn. @default the page and the pointer */
  paths?: string[];
  /** Keep every answer's record (a rehearsal's report); off for open-ended load. @default true */
  keepRecords?: boolean;
}

export interface LoadRecord {
  /** Epoch ms the request was sent and answered (or failed). */
  sentMs: number;
  doneMs: number;
  /** 0 when no HTTP answer arrived. */
  status: number;
  /** The colour that answered (serve's header) or was routed to (the router's), if known. */
  color: Color | undefined;
  error?: string;
}

export interface Load {
  /** Stops sending, waits for answers in flight, returns every record. */
  stop(): Promise<LoadRecord[]>;
  /** Resolves when a bound (count or time) is reached. */
  finished: Promise<void>;
  records: LoadRecord[];
}

export const isFailure = (r: LoadRecord): boolean => r.status === 0 || r.status >= 500;

const TICK_MS = 5;

function colorOf(res: http.IncomingMessage): Color | undefined {
  const v = res.headers[COLOR_HEADER.toLowerCase()] ?? res.headers[ROUTED_HEADER.toLowerCase()];
  return (COLORS as readonly string[]).includes(String(v)) ? (v as Color) : undefined;
}

function send(agent: http.Agent, url: string, timeoutMs: number): Promise<LoadRecord> {
  const sentMs = Date.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ sentMs, doneMs: Date.now(), status: res.statusCode ?? 0, color: colorOf(res) }),
      );
      res.on('error', (err) =>
        resolve({ sentMs, doneMs: Date.now(), status: 0, color: colorOf(res), error: err.message }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ sentMs, doneMs: Date.now(), status: 0, color: undefined, error: err.code ?? err.message }),
    );
  });
}

export function startLoad(o: LoadOptions): Load {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const paths = o.paths ?? ['/', `/${LAYOUT.latestKey}`];
  const records: LoadRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let sent = 0;
  let stopped = false;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((r) => (resolveFinished = r));
  const timer = setInterval(() => {
    const elapsed = Date.now() - started;
    if (stopped || sent >= o.maxRequests || elapsed >= o.maxMs) {
      clearInterval(timer);
      resolveFinished();
      return;
    }
    const due = Math.min(o.maxRequests, Math.floor((elapsed / 1000) * o.rps));
    for (; sent < due; sent++) {
      const p = send(agent, `${o.url}${paths[sent % paths.length]}`, o.timeoutMs ?? 5000).then((r) => {
        if (o.keepRecords !== false) records.push(r);
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
  }, TICK_MS);
  return {
    records,
    finished,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      resolveFinished();
      await Promise.all([...inFlight]);
      agent.destroy();
      return records;
    },
  };
}
