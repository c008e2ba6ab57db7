// A write to the bucket failed after the SDK's own retries: names the key, and says the pointer
// was left alone so readers still see the previous complete publish.
import { ExchangeError } from '../../lib/errors.ts';

export class PublishError extends ExchangeError {
  override name = 'PublishError';

  constructor(
    readonly bucket: string,
    readonly key: string,
    /** Keys written before the failure (they are harmless: nothing points at them yet). */
    readonly written: string[],
    cause: unknown,
    options: { pointerUntouched?: boolean } = {},
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const untouched = options.pointerUntouched ?? true;
    super(`could not write s3://${bucket}/${key}: ${reason.split('\n')[0]}`, {
      cause,
      hint: `${untouched ? 'data/latest.json was not changed; ' : ''}check the bucket name, credentials and AWS_ENDPOINT_URL_S3, then re-run: a re-run fetches again and writes new keys; objects already written stay, named by nothing (the raw/ page expires by the bucket's raw/ lifecycle rule)`,
    });
  }
}

/**
 * Another ingest of the same source (the schedule and an `ingest-now`, or a backfill) wrote the
 * source's dates index after this run read it: writing ours would drop its dates, so this run stops
 * before the entry points and the pointer stays on the last complete publish.
 */
export class DatesIndexConflict extends ExchangeError {
  override name = 'DatesIndexConflict';

  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly source: string,
    /** Keys written before the conflict (named by nothing yet). */
    readonly written: string[],
    cause: unknown,
  ) {
    super(
      `another ingest of ${source} published its dates index s3://${bucket}/${key} meanwhile; data/latest.json was not changed`,
      {
        cause,
        hint: 're-run the ingest: it reads the new index, and dates already published with the same data are not written again',
      },
    );
  }
}

/** The fetched page is older than the publish limit: publishing it would show stale data as new. */
export class StaleFetchError extends ExchangeError {
  override name = 'StaleFetchError';

  constructor(
    readonly fetchedAt: string,
    readonly ageSeconds: number,
    readonly maxAgeSeconds: number,
  ) {
    super(
      `the page fetched at ${fetchedAt} is ${ageSeconds} s old, older than the ${maxAgeSeconds} s publish limit; nothing was published`,
      {
        hint: 'data/latest.json was not changed; re-run the ingest once S3 answers again (it fetches afresh)',
      },
    );
  }
}

/** Why a publish was abandoned before its end: the deadline passed, or the process was asked to stop. */
export class PublishAbandoned extends ExchangeError {
  override name = 'PublishAbandoned';

  constructor(
    readonly why: 'deadline' | 'signal',
    detail: string,
  ) {
    super(why === 'deadline' ? `publish deadline of ${detail} passed` : `stopped by ${detail}`);
  }
}

/**
 * The run was stopped by SIGTERM/SIGINT: whatever was in progress was abandoned and the pointer
 * left on the last complete publish. Exit code 128 + signal number, as a shell reports it.
 */
export class IngestStopped extends ExchangeError {
  override name = 'IngestStopped';
  override readonly exitCode: number;

  constructor(
    readonly signal: string,
    readonly stage: string,
    readonly written: string[],
  ) {
    super(`stopped by ${signal} during ${stage}; data/latest.json still names the last complete publish`, {
      hint: `nothing a reader sees changed${written.length ? ` (${written.length} unnamed object(s) were left, harmless)` : ''}; run the ingest again`,
    });
    this.exitCode = signal === 'SIGINT' ? 130 : 143;
  }
}
