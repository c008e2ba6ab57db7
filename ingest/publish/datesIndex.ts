// The source's dates index (data/<source>/dates.json) as a publish writes it: merged with the index
// read, written only over the version read (S3 compare-and-swap), and before the entry points — so
// when two ingests of one source run at once, the later writer fails before the pointer moves
// instead of silently dropping the dates the other published.
import { CACHE_CONTROL, datesKey } from '../../contract/index.ts';
import { isWriteConflict, writeCondition } from '../../lib/s3Conditional.ts';
import type { DatesIndex } from '../history/types.ts';
import { DatesIndexConflict, PublishError } from './errors.ts';
import type { PlannedObject } from './files.ts';
import { settle, type Step, type Write } from './publish.ts';

/** The index as JSON, one date per line: compact (25 years are 6,500 dates), still readable. */
export function datesIndexJson(index: DatesIndex): string {
  const { dates, ...head } = index;
  const entries = dates.map((e) => JSON.stringify(e)).join(',\n');
  return `${JSON.stringify({ ...head, dates: [] }).slice(0, -3)}[\n${entries}\n]}\n`;
}

/** The index object; `etag` is the one read with it (null: there was none, so only create it). */
export function datesIndexObject(index: DatesIndex, etag: string | null): PlannedObject {
  return {
    key: datesKey(index.source),
    body: datesIndexJson(index),
    contentType: 'application/json',
    cacheControl: CACHE_CONTROL.pointer,
    condition: writeCondition(etag),
  };
}

/**
 * Awaits the index write and returns the ETag it created (the next chunk's condition); a lost
 * compare-and-swap becomes DatesIndexConflict, other failures stay PublishError.
 */
export async function settleIndex(step: Step, write: Write, source: string): Promise<string | null> {
  try {
    await settle(step, [write]);
    return (await write.done) ?? null;
  } catch (error) {
    if (error instanceof PublishError && isWriteConflict(error.cause)) {
      throw new DatesIndexConflict(step.bucket, write.key, source, [...step.written], error.cause);
    }
    throw error;
  }
}
