// `exchange backfill`: wires the clients and ingest/backfill.ts; progress on stderr (a redrawn line
// on a terminal, plain lines otherwise), the run's summary on stdout.
import { ENV } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import { progressLine, progressText, runBackfill } from '../../ingest/backfill.ts';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { PublishAbandoned } from '../../ingest/publish/errors.ts';
import { createS3Client } from '../../ingest/publish/s3Client.ts';
import { pageFilesIn, readPageFile } from '../../ingest/run/pageFile.ts';
import { DEFAULT_CHUNK_DATES } from '../../ingest/run/publishChunks.ts';
import { appInfo } from '../../ingest/run/version.ts';
import { getSource } from '../../ingest/source/index.ts';
import { pageLimit } from '../../ingest/source/types.ts';
import { isCalendarDate } from '../../ingest/validate/gate.ts';
import { abortOnStop, optionalInt, requireString, type Command } from '../command.ts';

function dateFlag(values: Record<string, unknown>, flag: 'from' | 'to'): string | undefined {
  const v = values[flag] as string | undefined;
  if (v !== undefined && !isCalendarDate(v)) {
    throw new UsageError(`backfill: --${flag} "${v}" is not a real YYYY-MM-DD day`, {
      hint: `pass e.g. --${flag} 2026-01-02`,
    });
  }
  return v;
}

const command: Command = {
  name: 'backfill',
  summary: 'Load history from saved pages or a series page through the publish gate',
  help: `Usage: exchange backfill --source <id> --bucket <bucket> [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                         [--file <saved page>]... [--dir <folder>] [--resume] [--chunk <dates>]

Publishes every date of the pages that lies in --from … --to (inclusive; open ends take all) and
passes the publish gate, exactly as "exchange ingest" does. Every page is parsed first (held as
compact days), then the dates are published oldest first in chunks of --chunk dates: each chunk
writes its objects, then the source's dates index (compare-and-swap), then — when its newest date is
the latest — the entry points; each has its own 60 s deadline. A kill, a stall or a deadline loses at
most the chunk in flight: a re-run continues from the dates index and writes nothing already
published (dates with the same data are not written again; a changed date is republished and
logged). The pointer only moves forward (backfilling older dates leaves the site on its latest day).
Without --file or --dir the source's URL is fetched once: a series page (ecb-hist: the ECB's whole
history since 1999, ecb-hist-90d, nse-index, nse-fo). Daily pages carry one date each: give their
saved copies with --file, or a folder of them with --dir.
Progress goes to stderr (a line redrawn with dates/s and time left on a terminal, one plain line per
chunk otherwise); the run's summary is one JSON line on stdout. Objects a killed chunk left, and
objects later publishes superseded, are named by nothing: "exchange prune" removes them.

Flags:
  --source <id>        adapter of the pages (default: $${ENV.source})
  --bucket <bucket>    bucket to publish to (default: $${ENV.bucket})
  --from, --to         date range to publish
  --file <path>        a saved page; repeat for several
  --dir <folder>       every file of the folder is a saved page (read in name order)
  --resume             skip dates the dates index already lists, without re-checking their data
                       (the quick way to continue an interrupted backfill)
  --chunk <dates>      dates per chunk, 1–5000 (default: ${DEFAULT_CHUNK_DATES})
  -h, --help           this help

An ingest of the same source running meanwhile makes one of them fail (DatesIndexConflict, pointer
unchanged); a re-run continues. SIGTERM/SIGINT abandon the chunk in progress.
Exit codes: 0 published, 1 a page or chunk failed (the chunks before it stay published), 2 usage,
130/143 stopped by SIGINT/SIGTERM (the chunks before it stay published).`,
  options: {
    source: { type: 'string' },
    bucket: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    file: { type: 'string', multiple: true },
    dir: { type: 'string' },
    resume: { type: 'boolean' },
    chunk: { type: 'string' },
  },
  async run(values, _positionals, ctx) {
    const bucket = requireString(
      { bucket: (values.bucket as string | undefined) || ctx.env[ENV.bucket] },
      'bucket',
      'backfill',
    );
    const source = requireString(
      { source: (values.source as string | undefined) || ctx.env[ENV.source] },
      'source',
      'backfill',
    );
    const from = dateFlag(values, 'from');
    const to = dateFlag(values, 'to');
    if (from && to && from > to)
      throw new UsageError(`backfill: --from ${from} is after --to ${to}`, { hint: 'swap them' });
    const chunkDates = optionalInt(values, 'chunk', 'backfill', { min: 1, max: 5000 });
    const limit = pageLimit(getSource(source));
    const dir = values.dir as string | undefined;
    const files = [...((values.file as string[] | undefined) ?? []), ...(dir ? await pageFilesIn(dir) : [])];
    const info = appInfo(ctx.env);
    const http = createHttpClient({ version: info.version, projectUrl: info.homepage });
    const s3 = createS3Client({ env: ctx.env, log: ctx.log });
    const signal = abortOnStop(ctx, (sig) => new PublishAbandoned('signal', sig));
    const tty = process.stderr.isTTY === true;
    try {
      const summary = await runBackfill(
        {
          http,
          s3,
          log: ctx.log,
          now: () => new Date(),
          signal,
          readFile: (p) => readPageFile(p, limit),
          onChunk: (p) => {
            if (tty) process.stderr.write(`\r\x1b[2K${progressLine(p)}${p.chunk === p.chunks ? '\n' : ''}`);
            else process.stderr.write(`${progressText(p)}\n`);
          },
        },
        {
          bucket,
          source,
          files,
          version: info.version,
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(values.resume === true ? { resume: true } : {}),
          ...(chunkDates ? { chunkDates } : {}),
        },
      );
      // What the run took from the machine: sizing a task that backfills (and the benchmark) reads it.
      const usage = process.resourceUsage();
      const resources = {
        peakRssMiB: Math.round(usage.maxRSS / 1024),
        cpuSeconds: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1e5) / 10,
      };
      ctx.stdout(`${JSON.stringify({ ...summary, resources })}\n`);
      return 0;
    } finally {
      s3.destroy();
    }
  },
};

export default command;
