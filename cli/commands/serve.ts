// `exchange serve`: wires the S3 client, the service identity and the HTTP server; drains on SIGTERM.
import { ENV, LIVENESS_PATH, READINESS_PATH, SERVICE_PORT } from '../../contract/index.ts';
import { ConfigError, UsageError } from '../../lib/errors.ts';
import { listen } from '../../lib/listen.ts';
import { createS3Client } from '../../ingest/publish/s3Client.ts';
import { appInfo } from '../../ingest/run/version.ts';
import { parseDuration } from '../../serve/duration.ts';
import { createService } from '../../serve/server.ts';
import { createServeMetrics, emfEnabled } from '../../serve/emf.ts';
import { drain } from '../../serve/shutdown.ts';
import { optionalInt, type Command } from '../command.ts';

const DEFAULT_MAX_AGE = '36h';
const DEFAULT_GRACE = '10s';

function portFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv): number {
  const flag = optionalInt(values, 'port', 'serve', { min: 0, max: 65_535 });
  if (flag !== undefined) return flag;
  const fromEnv = env[ENV.port];
  if (fromEnv === undefined || fromEnv === '') return SERVICE_PORT;
  return optionalInt({ port: fromEnv }, 'port', 'serve', { min: 0, max: 65_535 }) ?? SERVICE_PORT;
}

const command: Command = {
  name: 'serve',
  summary: `Serve the site from a bucket, with ${READINESS_PATH} and ${LIVENESS_PATH}`,
  help: `Usage: exchange serve --bucket <bucket> [--port <p>] [--host <addr>] [--max-age <duration>] [--grace <duration>]

Serves the site from the bucket (never raw/ or failed/) through an in-memory cache revalidated
against S3; / is the page data/latest.json names (with several sources, the landing page
data/sources.json names), so it changes exactly when the pointer does; /<source>/ is that source's
latest page; /env.css shows this colour on the page's environment badge.
A background check reads the pointer every 2 s (each check bounded to 3 s); probes answer from it
and never wait on S3:
  ${READINESS_PATH}  readiness: 200 while the pointer is readable, names objects that exist and is
            younger than --max-age — and every source of data/sources.json too; 503 within 5 s of
            S3 failing or stalling. JSON body: colour, version, source, data date, age, each
            source's date and age, and a short public reason (details go to the log).
  ${LIVENESS_PATH}    liveness: 200 while the bucket was found in the last 60 s, data or not;
            503 (NoSuchBucket or unreachable) after 60 s without finding it.
A missing bucket (NoSuchBucket) at start-up is an error: serve exits 2 before listening.
On SIGTERM/SIGINT it stops accepting, closes idle connections (also ones that never sent a
request), finishes in-flight requests and exits 0. Request headers must arrive within 10 s (408).

Flags:
  --bucket <bucket>     bucket to serve (default: $${ENV.bucket})
  --port <p>            TCP port (default: $${ENV.port}, else ${SERVICE_PORT}; 0 picks a free one)
  --host <addr>         address to bind (default: 0.0.0.0, as the load balancer reaches the task by its IP)
  --max-age <duration>  oldest data still healthy: seconds ("3600") or "90m", "36h", "2d" (default: ${DEFAULT_MAX_AGE})
  --grace <duration>    longest wait for in-flight requests on shutdown (default: ${DEFAULT_GRACE})
  -h, --help            this help

Environment:
  ${ENV.bucket}, ${ENV.port}                 defaults for --bucket and --port
  ${ENV.color}, ${ENV.version}   shown in ${READINESS_PATH} and the X-Exchange-Color / X-Exchange-Version headers
  ${ENV.imageTag}, ${ENV.commit}  shown in ${READINESS_PATH}
  ${ENV.s3Endpoint}                an S3-compatible endpoint (path-style), e.g. from "exchange s3"
  AWS credentials                    the SDK's default provider chain (the task role on ECS)`,
  options: {
    bucket: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'max-age': { type: 'string' },
    grace: { type: 'string' },
  },
  async run(values, _positionals, ctx) {
    const bucket = (values.bucket as string | undefined) ?? ctx.env[ENV.bucket];
    if (!bucket) {
      throw new UsageError('serve: --bucket is required', {
        hint: `pass --bucket <name> or set ${ENV.bucket}`,
      });
    }
    const port = portFrom(values, ctx.env);
    const host = (values.host as string | undefined) ?? '0.0.0.0';
    const maxAgeSeconds = parseDuration(
      (values['max-age'] as string | undefined) ?? DEFAULT_MAX_AGE,
      'max-age',
    );
    const graceMs = parseDuration((values.grace as string | undefined) ?? DEFAULT_GRACE, 'grace') * 1000;
    const identity = {
      color: ctx.env[ENV.color] || undefined,
      version: appInfo(ctx.env).version,
      imageTag: ctx.env[ENV.imageTag] || undefined,
      commit: ctx.env[ENV.commit] || undefined,
    };
    // Short timeouts and one retry: a page miss must not wait long on a sick S3.
    const s3 = createS3Client({ env: ctx.env, maxAttempts: 2, requestTimeoutMs: 3000, log: ctx.log });
    // On ECS: per-colour requests, 5xx and latency as 10 s EMF metrics on stdout (the shift's canary gate reads them).
    const metrics = emfEnabled(ctx.env)
      ? createServeMetrics({
          color: identity.color ?? 'unknown',
          write: (line) => ctx.stdout(`${line}\n`),
          onError: (error) => ctx.log.warn('EMF metrics flush failed', { error }),
        })
      : undefined;
    const { server, watch } = createService({
      s3,
      bucket,
      log: ctx.log,
      identity,
      maxAgeSeconds,
      ...(metrics ? { onAnswered: metrics.record } : {}),
    });
    metrics?.start();
    const first = await watch.start();
    if (first.bucket === 'missing') {
      watch.stop();
      s3.destroy();
      throw new ConfigError(`serve: bucket "${bucket}" does not exist (NoSuchBucket)`, {
        hint: `create it (locally: exchange s3 --bucket ${bucket}; on AWS: deploy the stack) or fix --bucket / ${ENV.bucket}`,
      });
    }
    const bound = await listen(server, port, host, 'serve');
    ctx.log.info('listening', {
      url: `http://${host}:${bound}`,
      port: bound,
      bucket,
      maxAgeSeconds,
      ...identity,
    });
    const signal = await ctx.stopSignal;
    ctx.log.info('stopping', { signal, graceMs });
    const { forced } = await drain(server, { graceMs, log: ctx.log });
    await metrics?.stop();
    s3.destroy();
    ctx.log.info('stopped', { forced });
    return 0;
  },
};

export default command;
