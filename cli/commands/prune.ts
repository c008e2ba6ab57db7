// `exchange prune`: wires the S3 client and ingest/prune.ts; prints what was (or would be) removed.
import { ENV } from '../../contract/index.ts';
import { DEFAULT_PRUNE_GRACE_MS, prune } from '../../ingest/prune.ts';
import { createS3Client } from '../../ingest/publish/s3Client.ts';
import { parseDuration } from '../../serve/duration.ts';
import { requireString, type Command } from '../command.ts';

const command: Command = {
  name: 'prune',
  summary: 'Remove publish objects that no index names (left by killed chunks or superseded)',
  help: `Usage: exchange prune --bucket <bucket> [--source <id>] [--older-than <duration>] [--dry-run]

Removes a source's publish-addressed objects under data/<source>/ that nothing names any more: what a
killed or failed chunk of an ingest or backfill left before its dates index was written, and what
later publishes superseded (a republished date's old files, earlier history windows, series files and
pages), plus landing pages the sources registry no longer names. Named means listed by the source's
dates index (data/<source>/dates.json), the pointer (data/latest.json) or the registry
(data/sources.json). raw/ and failed/ are never touched (the bucket's lifecycle rules expire them),
nor assets/, the entry points, year pages or chart pages. Objects younger than --older-than are kept
whatever names them, so a publish in flight is never cut short.
Needs s3:ListBucket and s3:DeleteObject: run it with an operator's credentials (the task roles may not
delete). Prints one JSON summary on stdout.

Flags:
  --bucket <bucket>        bucket to prune (default: $${ENV.bucket})
  --source <id>            only this source (default: every source with a dates index)
  --older-than <duration>  grace period: "90m", "36h", "2d" (default: 1h)
  --dry-run                list what would be removed, remove nothing
  -h, --help               this help

Exit codes: 0 done, 1 a dates index missing or unreadable (nothing removed) or S3 failed, 2 usage.`,
  options: {
    bucket: { type: 'string' },
    source: { type: 'string' },
    'older-than': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(values, _positionals, ctx) {
    const bucket = requireString(
      { bucket: (values.bucket as string | undefined) || ctx.env[ENV.bucket] },
      'bucket',
      'prune',
    );
    const olderThan = values['older-than'] as string | undefined;
    const graceMs =
      olderThan === undefined ? DEFAULT_PRUNE_GRACE_MS : parseDuration(olderThan, 'older-than') * 1000;
    const s3 = createS3Client({ env: ctx.env, log: ctx.log });
    try {
      const result = await prune(s3, ctx.log, {
        bucket,
        graceMs,
        ...(values.source ? { source: values.source as string } : {}),
        ...(values['dry-run'] === true ? { dryRun: true } : {}),
      });
      ctx.stdout(`${JSON.stringify(result)}\n`);
      return 0;
    } finally {
      s3.destroy();
    }
  },
};

export default command;
