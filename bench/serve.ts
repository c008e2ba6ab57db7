// `serve` against nginx serving the same index.html and JSON, with autocannon at 64 connections for
// the same duration each (serveVsNginxRps = serve/nginx throughput, serveVsNginxP99 = serve/nginx
// p99 latency), and serveStartMs: spawn of `node bin/exchange.js serve` to its first 200 /healthz.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import autocannon from 'autocannon';
import { ENV } from '../contract/index.ts';
import { silentLogger } from '../lib/log.ts';
import { EMBEDDED_CREDENTIALS, startEmbeddedS3 } from '../local/embeddedS3.ts';
import { publishDays } from '../ingest/publish/days.ts';
import { s3ClientConfig } from '../ingest/publish/s3Client.ts';
import { getSource, parsePage } from '../ingest/source/index.ts';

const PAGE = 'test/fixtures/pages/real/gpw-warsaw/price-archive-full_equities_2021-01-04_en.html';
export const BUCKET = 'bench-site';
const CONNECTIONS = 64;
/** Seconds per measurement; each side is measured ROUNDS times, alternating. */
const DURATION_S = Number(process.env.BENCH_SERVE_SECONDS ?? 3);
const ROUNDS = 2;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0));
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await status(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`bench serve: ${url} not 200 within ${timeoutMs} ms`);
}

/** Requests per second and p99 latency (ms) of `paths` cycled over 64 connections. */
async function load(origin: string, paths: string[]): Promise<{ rps: number; p99: number }> {
  const result = await autocannon({
    url: origin,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  if (result.errors || result.non2xx) {
    throw new Error(
      `bench serve: ${origin} had ${result.errors} errors and ${result.non2xx} non-2xx responses`,
    );
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

function nginxConf(dir: string, port: number): string {
  // Running as root, nginx's workers would drop to "nobody", who cannot read the 0700 temp dir.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${dir}/tmp_${t};`)
    .join('\n');
  return `${user}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  types { text/html html; application/json json; text/css css; text/javascript js; }
  default_type application/octet-stream;
  access_log ${dir}/access.log;
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 100000;
${temp}
  server { listen 127.0.0.1:${port}; root ${dir}/www; }
}
`;
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Publishes the real GPW archive page into the bucket; returns the paths to load (page and JSON). */
export async function publishFixture(s3: S3Client): Promise<string[]> {
  const body = await readFile(PAGE);
  const parsed = parsePage({ body });
  const source = getSource(parsed.source);
  const now = new Date().toISOString();
  const { pointer } = await publishDays(
    s3,
    {
      bucket: BUCKET,
      source,
      days: [{ date: parsed.quotes[0]!.date, quotes: parsed.quotes }],
      rejectedCount: parsed.rejected.length,
      raw: { body, ext: source.ext },
      sourceUrl: source.defaultUrl,
      fetchedAt: now,
      generatedAt: now,
      version: 'bench',
    },
    silentLogger,
  );
  if (!pointer)
    throw new Error(`bench: the publish to ${BUCKET} did not move the pointer; start from an empty bucket`);
  return ['/index.html', `/${pointer.keys.json}`];
}

/** Spawns `exchange serve` and measures spawn → first 200 /healthz. */
export async function startServe(
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
): Promise<{ origin: string; startMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const args = [
    'bin/exchange.js',
    'serve',
    '--bucket',
    BUCKET,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ];
  children.push(spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'ignore'] }));
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/healthz`, 10_000);
  return { origin, startMs: performance.now() - started };
}

/** Copies the same objects out of the bucket into a web root and starts nginx on it; undefined without nginx. */
async function startNginx(
  s3: S3Client,
  dir: string,
  paths: string[],
  children: ChildProcess[],
): Promise<string | undefined> {
  const bin = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
  if (!bin) return undefined;
  for (const path of paths) {
    const res = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: path.slice(1) }));
    await mkdir(join(dir, 'www', path, '..'), { recursive: true });
    await writeFile(join(dir, 'www', path), Buffer.from(await res.Body!.transformToByteArray()));
  }
  const port = await freePort();
  await writeFile(join(dir, 'nginx.conf'), nginxConf(dir, port));
  children.push(
    spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/index.html`, 10_000);
  return origin;
}

/** Alternating rounds, so a burst of other load on the machine does not land on one side only. */
async function compare(
  serveOrigin: string,
  nginxOrigin: string,
  paths: string[],
): Promise<Record<string, number>> {
  for (const origin of [serveOrigin, nginxOrigin]) for (const p of paths) await status(`${origin}${p}`);
  const ng = { rps: 0, p99: 0 };
  const sv = { rps: 0, p99: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [origin, sum] of [
      [nginxOrigin, ng],
      [serveOrigin, sv],
    ] as const) {
      const r = await load(origin, paths);
      sum.rps += r.rps / ROUNDS;
      sum.p99 += r.p99 / ROUNDS;
    }
  }
  process.stderr.write(
    `bench serve: nginx ${ng.rps.toFixed(0)} req/s p99 ${ng.p99.toFixed(1)} ms; serve ${sv.rps.toFixed(0)} req/s p99 ${sv.p99.toFixed(1)} ms\n`,
  );
  // p99 of 0 ms is possible on loopback; count it as 1 ms so the ratio stays finite.
  return { serveVsNginxRps: sv.rps / ng.rps, serveVsNginxP99: Math.max(sv.p99, 1) / Math.max(ng.p99, 1) };
}

/** What both serve benches run against: a published fixture in the embedded S3 and one `serve` process. */
export interface ServeWorld {
  dir: string;
  s3: S3Client;
  paths: string[];
  serve: { origin: string; startMs: number };
  /** serve first; anything else a bench starts is pushed after it and stopped with SIGQUIT. */
  children: ChildProcess[];
}

/** Starts the embedded S3, publishes the fixture, starts serve; stops and removes all of it afterwards. */
export async function withServeWorld<T>(prefix: string, bench: (w: ServeWorld) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const embedded = await startEmbeddedS3({ dir: join(dir, 's3'), buckets: [BUCKET] });
  const env = {
    ...process.env,
    [ENV.s3Endpoint]: embedded.endpoint,
    AWS_REGION: embedded.region,
    AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
    EXCHANGE_COLOR: 'blue',
    EXCHANGE_VERSION: 'bench',
  };
  const s3 = new S3Client({ ...s3ClientConfig({ env }), credentials: { ...EMBEDDED_CREDENTIALS } });
  const children: ChildProcess[] = [];
  try {
    const paths = await publishFixture(s3);
    const serve = await startServe(env, children);
    return await bench({ dir, s3, paths, serve, children });
  } finally {
    // serve drains on SIGTERM; nginx shuts down gracefully on SIGQUIT.
    for (const child of children) await stop(child, child === children[0] ? 'SIGTERM' : 'SIGQUIT');
    s3.destroy();
    await embedded.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function run(): Promise<Record<string, number>> {
  return withServeWorld('bench-serve-', async ({ dir, s3, paths, serve, children }) => {
    const nginx = await startNginx(s3, dir, paths, children);
    if (!nginx) {
      process.stderr.write(
        'bench serve: nginx is not installed (apt-get install nginx-light) — skipping serveVsNginxRps and serveVsNginxP99\n',
      );
      return { serveStartMs: serve.startMs };
    }
    return { serveStartMs: serve.startMs, ...(await compare(serve.origin, nginx, paths)) };
  });
}
