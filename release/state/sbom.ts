// The SBOM of a released image, kept in the durable release state next to the colour's release record:
// the CycloneDX document `npm run sbom` wrote in the pipeline (the image's production dependencies), stored
// byte for byte under its own SHA-256, so the digest the image is labelled with (exchange.sbom.digest)
// names exactly one stored document, and "which releases carry package X at version Y" stays answerable
// after the pipeline's artifacts expire.
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ExchangeError } from '../../lib/errors.ts';
import { isWriteConflict } from '../../lib/s3Conditional.ts';
import { documentKey, type StoreLocation } from './store.ts';

export class SbomError extends ExchangeError {
  override name = 'SbomError';
}

export interface SbomComponent {
  name: string;
  version: string;
  purl?: string;
}

export interface Sbom {
  specVersion: string;
  components: SbomComponent[];
}

export const SBOM_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<hex>` of the exact bytes. */
export function sbomDigest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Validates a CycloneDX JSON document enough to rely on its component list; throws naming the problem. */
export function parseSbom(text: string, source: string): Sbom {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SbomError(`${source} is not JSON: ${(err as Error).message}`, {
      hint: 'write it with "npm run --silent sbom > <file>"',
    });
  }
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  if (d.bomFormat !== 'CycloneDX' || typeof d.specVersion !== 'string' || !Array.isArray(d.components))
    throw new SbomError(`${source} is not a CycloneDX document (bomFormat, specVersion, components)`, {
      hint: 'write it with "npm run --silent sbom > <file>"',
    });
  const components = (d.components as unknown[]).map((c, i) => {
    const { name, version, purl } = (c ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof version !== 'string')
      throw new SbomError(`${source}: component ${i} has no name and version`, {
        hint: 'regenerate the SBOM with "npm run --silent sbom"',
      });
    return { name, version, ...(typeof purl === 'string' ? { purl } : {}) };
  });
  return { specVersion: d.specVersion, components };
}

/** `name@version` of every component, sorted and unique: what to compare with an installed tree. */
export function sbomPackages(sbom: Sbom): string[] {
  return [...new Set(sbom.components.map((c) => `${c.name}@${c.version}`))].sort();
}

/** The stored document's name in the release state: sbom/<hex>. */
export const sbomDocumentName = (digest: string): string => `sbom/${digest.replace(/^sha256:/, '')}`;

/**
 * Stores the SBOM under its digest (create only). A document already stored under that name is accepted
 * only when its bytes hash to the same digest (a re-run of the same release), never overwritten.
 */
export async function storeSbom(
  s3: S3Client,
  loc: StoreLocation,
  bytes: Uint8Array,
): Promise<{ digest: string; location: string }> {
  const digest = sbomDigest(bytes);
  const key = documentKey(loc, sbomDocumentName(digest));
  const location = `s3://${loc.bucket}/${key}`;
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: loc.bucket,
        Key: key,
        Body: bytes,
        ContentType: 'application/vnd.cyclonedx+json',
        IfNoneMatch: '*',
      }),
    );
    return { digest, location };
  } catch (err) {
    if (!isWriteConflict(err))
      throw new SbomError(`storing the SBOM at ${location} failed: ${(err as Error).message}`, {
        hint: 'check the credentials can s3:PutObject in the state bucket',
        cause: err,
      });
  }
  const stored = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: key }));
  const existing = sbomDigest((await stored.Body?.transformToByteArray()) ?? new Uint8Array());
  if (existing !== digest)
    throw new SbomError(`${location} exists with different content (${existing})`, {
      hint: 'restore the stored SBOM from the bucket versioning; it must never change',
    });
  return { digest, location };
}
