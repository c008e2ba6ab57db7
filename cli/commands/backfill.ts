// `exchange backfill`: wires the clients and ingest/backfill.ts; a progress line on a terminal.
import { ENV } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import { progressLine, runBackfill } from '../../ingest/backfill.ts';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { PublishAbandoned } from '../../ingest/publish/errors.ts';
import { createS3Client } from '../../ingest/publish/s3Client.ts';
import { readPageFile } from '../../ingest/run/pageFile.ts';
import { appInfo } from '../../ingest/run/version.ts';
import { getSource } from '../../ingest/source/index.ts';
import { pageLimit } from '../../ingest/source/types.ts';
import { isCalendarDate } from '../../ingest/validate/gate.ts';
import { abortOnStop, requireString, type Command } from '../command.ts';

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
                         [--file <saved page>]...

Publishes every date of the pages that lies in --from … --to (inclusive; open ends take all) and
passes the publish gate, exactly as "exchange ingest" does: one publish per page, dates already
published with the same data are not written again, a changed date is republished and logged, and
the pointer only moves forward (backfilling older dates leaves the site on its latest day).
Without --file the source's URL is fetched once (useful for series pages: ecb-hist-90d, nse-index,
nse-fo). Daily pages carry one date: give their saved copies with --file, one per day.
On a terminal a progress line is redrawn on stderr; each page's summary is one JSON line on stdout.

Flags:
  --source <id>        adapter of the pages (default: $${ENV.source})
  --bucket <bucket>    bucket to publish to (default: $${ENV.bucket})
  --from, --to         date range to publish
  --file <path>        a saved page; repeat for several
  -h, --help           this help

An ingest of the same source running meanwhile makes one of them fail (DatesIndexConflict, pointer
unchanged); a re-run skips the dates already published. SIGTERM/SIGINT abandon the page in progress.
Exit codes: 0 all pages published, 1 a page failed (the pages before it stay published), 2 usage,
130/143 stopped by SIGINT/SIGTERM (the pages before it stay published).`,
  options: {
    source: { type: 'string' },
    bucket: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    file: { type: 'string', multiple: true },
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
    const limit = pageLimit(getSource(source));
    const info = appInfo(ctx.env);
    const http = createHttpClient({ version: info.version, projectUrl: info.homepage });
    const s3 = createS3Client({ env: ctx.env, log: ctx.log });
    const signal = abortOnStop(ctx, (sig) => new PublishAbandoned('signal', sig));
    const tty = process.stderr.isTTY === true;
    try {
      await runBackfill(
        { http, s3, log: ctx.log, now: () => new Date(), signal, readFile: (p) => readPageFile(p, limit) },
        {
          bucket,
          source,
          files: (values.file as string[] | undefined) ?? [],
          version: info.version,
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(ctx.env[ENV.color] ? { color: ctx.env[ENV.color] } : {}),
        },
        (step) => {
          if (tty)
            process.stderr.write(`\r\x1b[2K${progressLine(step)}${step.index === step.total ? '\n' : ''}`);
          ctx.stdout(`${JSON.stringify(step.summary)}\n`);
        },
      );
      return 0;
    } finally {
      s3.destroy();
    }
  },
};

export default command;
