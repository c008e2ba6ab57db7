// Where a colour's image and version come from at `up`: the release record the pipeline wrote to the
// durable release state (next to the Pulumi state) when there is one, else the committed stack config,
// which keeps only the bootstrap value. Without this, an `up` from a fresh checkout would redeploy the
// committed placeholder over the released image, since a `pulumi config set` in a CI job dies with it.
import { S3Client } from '@aws-sdk/client-s3';
import { COLORS, type Color } from '../../contract/index.ts';
import { ExchangeError } from '../../lib/errors.ts';
import { SBOM_DIGEST } from '../../release/state/sbom.ts';
import type { DocumentStore, StoreLocation } from '../../release/state/store.ts';
import { s3DocumentStore } from '../../release/state/store.ts';

/** One document per colour: `<statePrefix>/exchange-release/images/<colour>.json`. */
export const releasedImageDocument = (color: Color): string => `images/${color}`;

/** The SBOM of the image's production dependencies, stored in the release state (release/state/sbom.ts). */
export interface ReleasedSbom {
  /** sha256:<64 hex> of the document; the image carries it as the label exchange.sbom.digest. */
  digest: string;
  /** Where the document is kept: s3://<state bucket>/<prefix>/exchange-release/sbom/<hex>.json. */
  location: string;
}

export interface ReleasedImage {
  /** Pinned by digest: <registry>/<repository>@sha256:<64 hex>. */
  image: string;
  version: string;
  /** ISO time the release recorded it. */
  releasedAt: string;
  /** Who recorded it, e.g. "gitlab pipeline 1234 (job 5678)". */
  releasedBy: string;
  /** What the image contains; absent on records written before SBOMs were kept. */
  sbom?: ReleasedSbom;
  /** What this colour ran before, for a manual rollback of the image. */
  previous?: { image: string; version: string; sbom?: ReleasedSbom };
}

const DIGEST_REF = /^[a-z0-9][a-z0-9._/:-]*@sha256:[0-9a-f]{64}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export class ReleaseRecordError extends ExchangeError {
  override name = 'ReleaseRecordError';
}

function parseSbomRef(raw: unknown, field: string): ReleasedSbom | undefined {
  if (raw === undefined) return undefined;
  const d = raw as Partial<ReleasedSbom> | null;
  if (typeof d?.digest !== 'string' || !SBOM_DIGEST.test(d.digest) || typeof d.location !== 'string')
    throw new Error(`${field} ${JSON.stringify(raw)} is not { digest: "sha256:<64 hex>", location }`);
  return { digest: d.digest, location: d.location };
}

/** Validates what is read or about to be written; throws naming the bad field. */
export function parseReleasedImage(raw: unknown): ReleasedImage {
  const d = raw as Partial<ReleasedImage> | null;
  if (typeof d !== 'object' || d === null)
    throw new Error('expected { image, version, releasedAt, releasedBy }');
  if (typeof d.image !== 'string' || !DIGEST_REF.test(d.image))
    throw new Error(`image ${JSON.stringify(d.image)} is not <registry>/<repository>@sha256:<64 hex>`);
  if (typeof d.version !== 'string' || !VERSION.test(d.version))
    throw new Error(`version ${JSON.stringify(d.version)} is not letters, digits and . _ + -`);
  const out: ReleasedImage = {
    image: d.image,
    version: d.version,
    releasedAt: String(d.releasedAt ?? ''),
    releasedBy: String(d.releasedBy ?? ''),
  };
  const sbom = parseSbomRef(d.sbom, 'sbom');
  if (sbom) out.sbom = sbom;
  if (d.previous && typeof d.previous.image === 'string' && typeof d.previous.version === 'string') {
    const before = parseSbomRef(d.previous.sbom, 'previous.sbom');
    out.previous = {
      image: d.previous.image,
      version: d.previous.version,
      ...(before ? { sbom: before } : {}),
    };
  }
  return out;
}

/** Reads a colour's release record, or undefined when no release recorded one. Injected in tests. */
export type ReleasedImageReader = (color: Color) => Promise<ReleasedImage | undefined>;

export interface ImageAtUp {
  image: string;
  version: string;
  source: 'release' | 'config';
}

/** The release record wins over the committed config; no reader (mocks, synth) means config only. */
export async function imageAtUp(
  cfg: { color: Color; image: string; version: string },
  read?: ReleasedImageReader,
): Promise<ImageAtUp> {
  const record = read === undefined ? undefined : await read(cfg.color);
  return record === undefined
    ? { image: cfg.image, version: cfg.version, source: 'config' }
    : { image: record.image, version: record.version, source: 'release' };
}

export function storeReleasedImageReader(store: DocumentStore): ReleasedImageReader {
  return async (color) => (await store.read(releasedImageDocument(color), parseReleasedImage))?.value;
}

/** The real reader for `up`: the SDK's default credential chain, in the stack's region. */
export function s3ReleasedImageReader(
  region: string | undefined,
  location: StoreLocation,
): ReleasedImageReader {
  return async (color) => {
    const s3 = new S3Client(region === undefined ? {} : { region });
    try {
      return await storeReleasedImageReader(s3DocumentStore(s3, location))(color);
    } finally {
      s3.destroy();
    }
  };
}

/**
 * Records a release of `color`: read, then write only if unchanged since (ConflictError otherwise),
 * keeping what the colour ran before as `previous`. Returns the new document.
 */
export async function recordRelease(
  store: DocumentStore,
  color: Color,
  release: { image: string; version: string; releasedBy: string; sbom?: ReleasedSbom },
  now: Date,
): Promise<ReleasedImage> {
  if (!(COLORS as readonly string[]).includes(color))
    throw new ReleaseRecordError(`colour "${String(color)}" is not ${COLORS.join(' or ')}`, {
      hint: 'pass --color blue or --color green',
    });
  const name = releasedImageDocument(color);
  let doc: ReleasedImage;
  try {
    doc = parseReleasedImage({ ...release, releasedAt: now.toISOString() });
  } catch (err) {
    throw new ReleaseRecordError(`release of ${color} not recorded: ${(err as Error).message}`, {
      hint: 'pass the pushed image by digest, e.g. ghcr.io/acme/exchange@sha256:…',
    });
  }
  const current = await store.read(name, parseReleasedImage);
  if (current) doc.previous = withoutPrevious(current.value);
  await store.write(name, doc, current?.etag ?? null);
  return doc;
}

/** What a record keeps of the release it replaces: the image, its version and its SBOM. */
function withoutPrevious(r: ReleasedImage): NonNullable<ReleasedImage['previous']> {
  return { image: r.image, version: r.version, ...(r.sbom ? { sbom: r.sbom } : {}) };
}

export type RevertOutcome =
  { reverted: true; doc: ReleasedImage } | { reverted: false; why: string; current?: ReleasedImage };

/**
 * Puts `color` back on the image it ran before `failedImage`, when the record still names that image: the
 * pipeline's answer to a deploy that ECS rolled back. The next `up` then moves the service AND the
 * scheduled ingest (which runs the exported task definition) back onto one good revision, instead of
 * leaving the schedule on the revision ECS rejected. Nothing is written when the record names another
 * image (the failed deploy never recorded this one, or someone released since).
 */
export async function revertRelease(
  store: DocumentStore,
  color: Color,
  failedImage: string,
  releasedBy: string,
  now: Date,
): Promise<RevertOutcome> {
  const name = releasedImageDocument(color);
  const current = await store.read(name, parseReleasedImage);
  if (!current) return { reverted: false, why: `no release of ${color} is recorded` };
  if (current.value.image !== failedImage)
    return {
      reverted: false,
      why: `the record names ${current.value.image}, not ${failedImage}`,
      current: current.value,
    };
  const before = current.value.previous;
  if (!before)
    throw new ReleaseRecordError(`${color} has no earlier release to return to from ${failedImage}`, {
      hint: `set exchange:image in Pulumi.${color}.yaml to a known-good digest and record it with ci/record-release.ts`,
    });
  const doc: ReleasedImage = {
    image: before.image,
    version: before.version,
    ...(before.sbom ? { sbom: before.sbom } : {}),
    releasedAt: now.toISOString(),
    releasedBy,
    previous: withoutPrevious(current.value),
  };
  await store.write(name, doc, current.etag);
  return { reverted: true, doc };
}

/** The config with the colour's released image and version applied; says where they came from. */
export async function withReleasedImage<C extends { color: Color; image: string; version: string }>(
  cfg: C,
  read: ReleasedImageReader,
  log: (line: string) => void,
): Promise<C> {
  const { image, version, source } = await imageAtUp(cfg, read);
  log(
    `${cfg.color}: image ${image} (version ${version}) from the ${source === 'release' ? 'release record' : 'committed config (no release recorded yet)'}`,
  );
  return { ...cfg, image, version };
}
