// `exchange ingest`: wires the HTTP client, the S3 client and the pipeline; prints the summary JSON.
import { ENV } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { runIngest } from '../../ingest/pipeline.ts';
import { PublishAbandoned } from '../../ingest/publish/errors.ts';
import { createS3Client } from '../../ingest/publish/s3Client.ts';
import { readMappingFile } from '../../ingest/run/mappingFile.ts';
import { appInfo } from '../../ingest/run/version.ts';
import { SOURCES } from '../../ingest/source/index.ts';
import { isCalendarDate } from '../../ingest/validate/gate.ts';
import { abortOnStop, optionalInt, type Command } from '../command.ts';

const sourceList = SOURCES.map(
  (s) => `  ${s.id.padEnd(16)} min ${String(s.minQuotes).padStart(4)}  ${s.defaultUrl}`,
).join('\n');

function optionalShare(values: Record<string, unknown>, flag: string): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`ingest: --${flag} "${String(v)}" is not a share between 0 and 1`, {
      hint: `pass e.g. --${flag} 0.1`,
    });
  }
  return n;
}

const command: Command = {
  name: 'ingest',
  summary: 'Fetch → parse → validate → publish one source into a bucket',
  help: `Usage: exchange ingest [--source <id>] [--url <url>] --bucket <bucket> [--date YYYY-MM-DD]
                       [--mapping <file.json>] [--min-quotes <n>] [--max-rejected-share <x>]

Fetches the page (the source's default URL, or --url), parses it (the adapter is detected from the
page when --source is absent), runs the publish gate, reads the source's history (its dates index
data/<source>/dates.json and the window it names: two GETs), then writes to the bucket in three steps:
  1. in parallel, objects no reader sees yet, each under a key never written again:
     raw/<source>/<date>/<fetchedAt>.<ext>              the fetched bytes, unchanged
     data/<source>/<date>/<publishId>.json/.csv/.html   each new or changed date's quotes and page
     data/<source>/history/<publishId>.json             the last 30 trading days' closes
     data/<source>/series/<publishId>/<symbol>.csv      each symbol's closes, when due (~monthly)
     assets/<name>.<hash>.css/.js                       when the last publish did not name them
  2. data/<source>/dates.json, only over the version read in (another ingest of the source wrote it
     meanwhile: DatesIndexConflict, exit 1, readers keep the last complete publish);
  3. together: data/latest.json (the pointer), index.html, error.html, data/sources.json (only over
     the version read), the year's calendar and the chart page — when the latest date is not older
     than the published one (a page of older dates leaves the pointer where it is).
A series page is published in chunks of 250 dates, oldest first, each chunk one such publish with its
own deadline (see "exchange backfill"). A page whose dates are all published with the same data writes
only its raw copy, the pointer and the registry (readiness sees the run).
On success prints one JSON summary on stdout. When parsing or the gate fails, nothing is published,
the page is kept under failed/<source>/<date>/ and the command exits 1.
Every S3 request has a 3 s connect and a 15 s response timeout; each publish (chunk) a 60 s deadline;
a page fetched more than 10 min before the pointer would be written is not published (exit 1).
SIGTERM/SIGINT abort the fetch or publish in progress: the pointer stays on the last complete
publish, the log names what was abandoned, and the command exits 143 (SIGTERM) or 130 (SIGINT).
Series pages (ecb-hist, ecb-hist-90d, nse-index, nse-fo) publish --date, else every date on the page that passes the
gate (dates already published with the same data are not written again; see "exchange backfill").

Flags:
  --source <id>               adapter (default: $${ENV.source}; detected from the page when absent)
  --url <url>                 page to fetch (default: the source's URL below)
  --bucket <bucket>           bucket to publish to (default: $${ENV.bucket})
  --date YYYY-MM-DD           trading date to publish, or to use for pages that carry none
  --mapping <file.json>       parse with a generic table mapping (a page no adapter knows)
  --min-quotes <n>            gate: fewest quotes for the date (default: per source, below)
  --max-rejected-share <x>    gate: largest share of rejected rows, 0–1 (default: 0.1)
  -h, --help                  this help

Sources (gate minimum, default URL):
${sourceList}

Environment:
  ${ENV.bucket}, ${ENV.source}   defaults for --bucket and --source
  ${ENV.s3Endpoint}            an S3-compatible endpoint (path-style), e.g. from "exchange s3"
  ${ENV.version}                version recorded in data/latest.json (default: package.json)
  AWS credentials                the SDK's default provider chain only (the task role on ECS)

Exit codes: 0 published, 1 fetch, parse, gate or S3 failure (one line on stderr), 2 usage error,
130/143 stopped by SIGINT/SIGTERM.`,
  options: {
    source: { type: 'string' },
    url: { type: 'string' },
    bucket: { type: 'string' },
    date: { type: 'string' },
    mapping: { type: 'string' },
    'min-quotes': { type: 'string' },
    'max-rejected-share': { type: 'string' },
  },
  async run(values, _positionals, ctx) {
    const bucket = (values.bucket as string | undefined) || ctx.env[ENV.bucket];
    if (!bucket)
      throw new UsageError('ingest: --bucket is required', {
        hint: `pass --bucket <name> or set ${ENV.bucket}`,
      });
    const source = (values.source as string | undefined) || ctx.env[ENV.source] || undefined;
    const url = values.url as string | undefined;
    const mappingPath = values.mapping as string | undefined;
    if (!source && !url && !mappingPath) {
      throw new UsageError('ingest: nothing to fetch', {
        hint: `pass --source <id> (or set ${ENV.source}) or --url <url>`,
      });
    }
    const date = values.date as string | undefined;
    if (date !== undefined && !isCalendarDate(date)) {
      throw new UsageError(`ingest: --date "${date}" is not a real YYYY-MM-DD day`, {
        hint: 'pass e.g. --date 2026-04-23',
      });
    }
    const info = appInfo(ctx.env);
    const http = createHttpClient({ version: info.version, projectUrl: info.homepage });
    const s3 = createS3Client({ env: ctx.env, log: ctx.log });
    const signal = abortOnStop(ctx, (sig) => {
      ctx.log.warn('stop requested', { signal: sig });
      return new PublishAbandoned('signal', sig);
    });
    try {
      const summary = await runIngest(
        { http, s3, log: ctx.log, now: () => new Date(), signal },
        {
          bucket,
          source,
          url,
          date,
          mapping: mappingPath === undefined ? undefined : await readMappingFile(mappingPath),
          minQuotes: optionalInt(values, 'min-quotes', 'ingest', { min: 0, max: 1_000_000 }),
          maxRejectedShare: optionalShare(values, 'max-rejected-share'),
          version: info.version,
        },
      );
      ctx.stdout(`${JSON.stringify(summary)}\n`);
      return 0;
    } finally {
      s3.destroy();
    }
  },
};

export default command;
