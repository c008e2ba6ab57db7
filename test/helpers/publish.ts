// One date's publish through the ingest's writer (publishDays), for tests and fixtures that publish a
// page of their own rather than run a whole ingest.
import type { S3Client } from '@aws-sdk/client-s3';
import type { LatestPointer } from '../../contract/index.ts';
import { publishDays } from '../../ingest/publish/days.ts';
import type { PublishInput } from '../../ingest/publish/files.ts';
import type { PublishOptions } from '../../ingest/publish/publish.ts';
import type { Logger } from '../../lib/log.ts';

export interface PublishedDay {
  pointer: LatestPointer;
  /** Every key written; the entry points last. */
  keys: string[];
}

/** Publishes `input.date`; fails when the pointer did not move (an older date than the published one). */
export async function publishDay(
  s3: S3Client,
  input: PublishInput,
  log: Logger,
  options: PublishOptions = {},
): Promise<PublishedDay> {
  const { date, quotes, history: _history, nav: _nav, ...shared } = input;
  const result = await publishDays(s3, { ...shared, days: [{ date, quotes }] }, log, options);
  if (!result.pointer) {
    throw new Error(
      `publishDay: ${date} is older than the published latest date, so the pointer did not move; publish a newer date`,
    );
  }
  return { pointer: result.pointer, keys: result.keys };
}
