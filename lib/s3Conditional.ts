// S3 compare-and-swap: a write carries the ETag of the version it replaces (If-Match), or
// If-None-Match: * when it creates, and S3 refuses it when someone else wrote the key since the read.
// Shared by the release state store (release/state/store.ts) and the dates index of each source
// (ingest/publish/days.ts). Conditional writes need no IAM action beyond s3:PutObject.

/** The header of a conditional PutObject; spread into the command's input. */
export type WriteCondition = { IfMatch: string } | { IfNoneMatch: '*' };

/** Replace exactly the version read with `etag`; null: the key did not exist, so only create it. */
export function writeCondition(etag: string | null): WriteCondition {
  return etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * The conditional write lost: 412 PreconditionFailed (the ETag no longer matches, or the key now
 * exists) or 409 ConditionalRequestConflict (a concurrent conditional write to the key won).
 */
export function isWriteConflict(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 412 || status === 409;
}
