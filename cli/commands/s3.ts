// `exchange s3`: runs the embedded S3-compatible server until SIGTERM/SIGINT; prints its endpoint.
import { resolve } from 'node:path';
import { ENV } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import { EMBEDDED_CREDENTIALS, EMBEDDED_REGION, startEmbeddedS3 } from '../../local/embeddedS3.ts';
import { optionalInt, requireString, type Command } from '../command.ts';

const command: Command = {
  name: 's3',
  summary: 'Run an embedded S3-compatible server on loopback',
  help: `Usage: exchange s3 --dir <dir> [--port <p>] [--bucket <name>]…

Runs an S3-compatible server (s3rver, on its own worker thread) on 127.0.0.1, storing objects under --dir and
creating each --bucket with a website configuration (index.html / error.html). When it is ready it
prints ONE JSON line on stdout:
  {"endpoint":"http://127.0.0.1:<port>","accessKeyId":"${EMBEDDED_CREDENTIALS.accessKeyId}","secretAccessKey":"${EMBEDDED_CREDENTIALS.secretAccessKey}","region":"${EMBEDDED_REGION}"}
Point the other commands at it with:
  ${ENV.s3Endpoint}=<endpoint> AWS_ACCESS_KEY_ID=${EMBEDDED_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${EMBEDDED_CREDENTIALS.secretAccessKey} AWS_REGION=${EMBEDDED_REGION}
Logs go to stderr. Runs until SIGTERM or SIGINT, then closes and exits 0.

Flags:
  --dir <dir>        directory for the objects (created if missing)
  --port <p>         TCP port on 127.0.0.1 (default: 0 = a free port; the JSON line names it)
  --bucket <name>    bucket to create; repeat for several
  -h, --help         this help`,
  options: {
    dir: { type: 'string' },
    port: { type: 'string' },
    bucket: { type: 'string', multiple: true },
  },
  async run(values, _positionals, ctx) {
    const dir = resolve(requireString(values, 'dir', 's3'));
    const port = optionalInt(values, 'port', 's3', { min: 0, max: 65_535 }) ?? 0;
    const buckets = (values.bucket as string[] | undefined) ?? [];
    if (buckets.some((b) => b === ''))
      throw new UsageError('s3: --bucket needs a name', { hint: 'pass --bucket <name>' });
    const server = await startEmbeddedS3({ dir, port, buckets });
    const { endpoint, accessKeyId, secretAccessKey, region } = server;
    ctx.stdout(`${JSON.stringify({ endpoint, accessKeyId, secretAccessKey, region })}\n`);
    ctx.log.info('s3 ready', { endpoint, dir, buckets });
    const signal = await ctx.stopSignal;
    ctx.log.info('s3 stopping', { signal });
    await server.close();
    return 0;
  },
};

export default command;
