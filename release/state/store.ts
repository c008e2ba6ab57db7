// Durable release state: named JSON documents in the Pulumi state bucket, next to the state, with
// ETag compare-and-swap (S3 conditional writes) so two writers can never both win. Used by the shift
// (traffic weights and the shift record), by delivery (each colour's released image and version) and
// read by the shared program at `pulumi up`.
import { GetObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { ExchangeError } from '../../lib/errors.ts';
import { isWriteConflict, writeCondition } from '../../lib/s3Conditional.ts';

export interface StoreLocation {
  /** Shared stack config `stateBucket`. */
  bucket: string;
  /** Shared stack config `statePrefix` ("" = bucket root). */
  prefix: string;
}

/** Folder under the state prefix; Pulumi's DIY backend keeps its own files under `.pulumi/`. */
export const RELEASE_FOLDER = 'exchange-release';

export interface Stored<T> {
  value: T;
  etag: string;
}

/** Someone else wrote (or created) the document since it was read: re-read and decide again. */
export class ConflictError extends ExchangeError {
  override name = 'ConflictError';
}

/** The document exists but is not JSON the caller accepts. */
export class CorruptDocumentError extends ExchangeError {
  override name = 'CorruptDocumentError';
}

/** The store a caller needs: read, and write only if nothing changed since. */
export interface DocumentStore {
  read<T>(name: string, parse: (raw: unknown) => T): Promise<Stored<T> | undefined>;
  /** ifMatch: the etag read, or null to create (fails when the document exists). Returns the new etag. */
  write<T>(name: string, value: T, ifMatch: string | null): Promise<string>;
  /** Where a document lives, for messages: s3://bucket/key. */
  where(name: string): string;
}

const NAME = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

export function documentKey(loc: StoreLocation, name: string): string {
  if (!NAME.test(name))
    throw new ExchangeError(`document name "${name}" is not lower-case words separated by - and /`, {
      hint: 'e.g. traffic/weights',
    });
  const prefix = loc.prefix === '' || loc.prefix.endsWith('/') ? loc.prefix : `${loc.prefix}/`;
  return `${prefix}${RELEASE_FOLDER}/${name}.json`;
}

function statusOf(err: unknown): number | undefined {
  return err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
}

export function s3DocumentStore(s3: S3Client, loc: StoreLocation): DocumentStore {
  const where = (name: string): string => `s3://${loc.bucket}/${documentKey(loc, name)}`;
  return {
    where,
    async read<T>(name: string, parse: (raw: unknown) => T): Promise<Stored<T> | undefined> {
      let out;
      try {
        out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: documentKey(loc, name) }));
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        // S3 answers a missing key with 403, not 404, to a caller without ListBucket on the bucket: the
        // first read of a document nobody wrote yet fails like this (GetObject API reference).
        if (statusOf(err) === 403)
          throw new ExchangeError(
            `reading ${where(name)} was denied (403): a document not written yet reads as AccessDenied ` +
              `unless the credentials may s3:ListBucket on ${loc.bucket}`,
            {
              hint: `grant s3:ListBucket on arn:aws:s3:::${loc.bucket} without an s3:prefix condition, and s3:GetObject on the prefix`,
              cause: err,
            },
          );
        throw new ExchangeError(`reading ${where(name)} failed: ${(err as Error).message}`, {
          hint: 'check the credentials can s3:GetObject in the state bucket',
          cause: err,
        });
      }
      const text = (await out.Body?.transformToString('utf8')) ?? '';
      let value: T;
      try {
        value = parse(JSON.parse(text));
      } catch (err) {
        throw new CorruptDocumentError(`${where(name)} is not a valid document: ${(err as Error).message}`, {
          hint: 'restore a previous version of the object (bucket versioning) or move it aside',
          cause: err,
        });
      }
      return { value, etag: out.ETag ?? '' };
    },
    async write<T>(name: string, value: T, ifMatch: string | null): Promise<string> {
      const condition = writeCondition(ifMatch);
      try {
        const out = await s3.send(
          new PutObjectCommand({
            Bucket: loc.bucket,
            Key: documentKey(loc, name),
            Body: `${JSON.stringify(value, null, 2)}\n`,
            ContentType: 'application/json',
            CacheControl: 'no-store',
            ...condition,
          }),
        );
        return out.ETag ?? '';
      } catch (err) {
        if (isWriteConflict(err))
          throw new ConflictError(
            `${where(name)} changed since it was read (${ifMatch === null ? 'it already exists' : `expected ETag ${ifMatch}`})`,
            { hint: 're-read it and try again', cause: err },
          );
        // If-Match on a key deleted since the read: S3 answers 404 (conditional writes, user guide).
        if (ifMatch !== null && statusOf(err) === 404)
          throw new ConflictError(`${where(name)} no longer exists (deleted since it was read)`, {
            hint: 're-read it and decide again',
            cause: err,
          });
        throw new ExchangeError(`writing ${where(name)} failed: ${(err as Error).message}`, {
          hint: 'check the credentials can s3:PutObject in the state bucket',
          cause: err,
        });
      }
    },
  };
}
