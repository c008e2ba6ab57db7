// What the container test proves with the built image: it ingests a page into S3 and serves it,
// answers readiness, and stops gracefully on SIGTERM — measured, with the host playing S3 and the exchange.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ENV, READINESS_PATH } from '../../../contract/index.ts';
import {
  EMBEDDED_CREDENTIALS,
  EMBEDDED_REGION,
  startEmbeddedS3,
  type EmbeddedS3,
} from '../../../local/embeddedS3.ts';
import { startSampleExchange } from '../../../local/sampleExchange.ts';
import { SAMPLE_PAGE } from '../../../local/system.ts';
import { ContainerTestError, type Podman } from './podman.ts';

export interface ScenarioOptions {
  podman: Podman;
  image: string;
  baseImage: string;
  repoRoot: string;
  log: (line: string) => void;
  /** Longest wait for SIGTERM → exit (podman stop's default). @default 10 */
  stopTimeoutSeconds?: number;
  /** Longest wait for the first 200 from readiness. @default 20000 */
  healthTimeoutMs?: number;
}

export interface Measurements {
  imageBytes: number;
  baseBytes: number;
  startToHealthyMs: number;
  sigtermToExitMs: number;
  quotes: number;
  dataDate: string;
}

const BUCKET = 'exchange-container-test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function s3Env(s3: EmbeddedS3): string[] {
  const vars = {
    [ENV.s3Endpoint]: s3.endpoint,
    AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
    AWS_REGION: EMBEDDED_REGION,
    [ENV.bucket]: BUCKET,
    [ENV.color]: 'green',
  };
  return Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

async function imageBytes(podman: Podman, image: string): Promise<number> {
  return Number((await podman.run(['image', 'inspect', '--format', '{{.Size}}', image])).trim());
}

async function ingest(
  o: ScenarioOptions,
  s3: EmbeddedS3,
  url: string,
): Promise<{ quotes: number; date: string }> {
  const out = await o.podman.run([
    'run',
    '--rm',
    '--network',
    'host',
    ...s3Env(s3),
    o.image,
    'ingest',
    '--source',
    'dse',
    '--url',
    url,
  ]);
  const summary = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    date?: string;
    counts?: { quotes?: number };
  };
  if (!summary.date || !summary.counts?.quotes)
    throw new ContainerTestError(`the image's ingest printed no summary with quotes: ${out.slice(0, 200)}`, {
      hint: 'run the image with "ingest --help" and check the bucket env',
    });
  return { quotes: summary.counts.quotes, date: summary.date };
}

async function untilReady(url: string, timeoutMs: number): Promise<{ body: string }> {
  const start = performance.now();
  let last = 'no answer';
  while (performance.now() - start < timeoutMs) {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) }).catch((e: Error) => e);
    if (!(res instanceof Error) && res.status === 200) return { body: await res.text() };
    last = res instanceof Error ? res.message : `${res.status} ${await res.text()}`;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new ContainerTestError(`${url} not ready within ${timeoutMs} ms (last: ${last.slice(0, 200)})`, {
    hint: 'see the container log printed above',
  });
}

async function stopGracefully(o: ScenarioOptions, id: string): Promise<number> {
  const timeout = o.stopTimeoutSeconds ?? 10;
  const start = performance.now();
  await o.podman.run(['kill', '--signal', 'TERM', id]);
  const code = (await o.podman.run(['wait', id], { timeoutMs: timeout * 1000 })).trim();
  const ms = performance.now() - start;
  if (code !== '0')
    throw new ContainerTestError(`serve exited ${code} on SIGTERM, not 0`, {
      hint: 'node must be PID 1 (exec-form ENTRYPOINT) and drain on SIGTERM',
    });
  return ms;
}

async function serveAndProbe(
  o: ScenarioOptions,
  s3: EmbeddedS3,
  dataDate: string,
): Promise<Pick<Measurements, 'startToHealthyMs' | 'sigtermToExitMs'>> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const start = performance.now();
  const id = (
    await o.podman.run(['run', '-d', '--network', 'host', '-e', `PORT=${port}`, ...s3Env(s3), o.image])
  ).trim();
  try {
    const ready = await untilReady(`${origin}${READINESS_PATH}`, o.healthTimeoutMs ?? 20_000);
    // From the `podman run` call, so container creation counts as it would for a task start.
    const startToHealthyMs = performance.now() - start;
    o.log(`readiness ${READINESS_PATH}: ${ready.body.slice(0, 160)}`);
    const page = await fetch(`${origin}/`);
    const html = await page.text();
    if (page.status !== 200 || !html.includes(dataDate))
      throw new ContainerTestError(`the page answered ${page.status} without the data date ${dataDate}`, {
        hint: 'check ingest published index.html into the bucket serve reads',
      });
    return { startToHealthyMs, sigtermToExitMs: await stopGracefully(o, id) };
  } catch (err) {
    o.log(`container log:\n${await o.podman.run(['logs', id]).catch(() => '(none)')}`);
    throw err;
  } finally {
    await o.podman.run(['rm', '-f', id]).catch(() => '');
  }
}

/** Runs the whole scenario; the host S3, the page server and the S3 directory are always removed. */
export async function runScenario(o: ScenarioOptions): Promise<Measurements> {
  const dir = await mkdtemp(join(o.podman.workDir, 's3-'));
  const s3 = await startEmbeddedS3({ dir, buckets: [BUCKET] });
  const exchange = await startSampleExchange({
    file: join(o.repoRoot, SAMPLE_PAGE),
    path: '/latest_share_price_scroll_l.php',
  });
  try {
    const { quotes, date } = await ingest(o, s3, exchange.url);
    o.log(`ingest in the image published ${quotes} quotes for ${date}`);
    const timings = await serveAndProbe(o, s3, date);
    return {
      imageBytes: await imageBytes(o.podman, o.image),
      baseBytes: await imageBytes(o.podman, o.baseImage),
      quotes,
      dataDate: date,
      ...timings,
    };
  } finally {
    await exchange.close();
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
}
