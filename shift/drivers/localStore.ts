// The local system's durable release state: the shift record and the recorded weights as JSON files in
// the data folder, with compare-and-swap on a content hash (the local stand-in for the S3 ETag
// conditional writes of release/state). A lock file makes the compare and the write one step across
// processes, so `exchange shift abort --local` from a second terminal cannot lose a race silently.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Versioned } from '../port.ts';
import type { Weights } from '../../contract/weights.ts';
import { DriverError, RecordConflictError } from '../errors.ts';

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 2_000;

export const storePaths = (dir: string) => ({
  dir,
  record: join(dir, 'shift-record.json'),
  weights: join(dir, 'weights.json'),
  timeline: join(dir, 'timeline.json'),
  lock: join(dir, '.lock'),
});

const etagOf = (text: string): string => `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"`;

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readVersioned<T>(path: string): Promise<Versioned<T> | undefined> {
  const text = await readText(path);
  return text === undefined ? undefined : { value: JSON.parse(text) as T, etag: etagOf(text) };
}

/** Writes through a temporary file and a rename, so a reader never sees half a document. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const { lock } = storePaths(dir);
  await mkdir(dir, { recursive: true });
  const end = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      // A writer killed between open and rm leaves the lock behind; past this age nobody holds it.
      if (age > LOCK_STALE_MS) await rm(lock, { force: true });
      else if (Date.now() > end)
        throw new DriverError(`local state lock ${lock} held for ${Math.round(age)} ms`, {
          hint: `remove ${lock} if no other "exchange shift --local" runs`,
        });
      else await new Promise((r) => setTimeout(r, 10));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/** Compare-and-swap: writes when the stored etag is `ifMatch` (or nothing is stored and it is null). */
export async function writeVersioned<T>(
  dir: string,
  path: string,
  value: T,
  ifMatch: string | null,
): Promise<string> {
  return withLock(dir, async () => {
    const current = await readText(path);
    const currentEtag = current === undefined ? null : etagOf(current);
    if (currentEtag !== ifMatch) {
      throw new RecordConflictError(
        `${path} changed since it was read (etag ${currentEtag ?? 'none'}, expected ${ifMatch ?? 'none'})`,
        {
          hint: 'another shift process wrote it: read it again ("exchange shift status --local")',
        },
      );
    }
    const text = `${JSON.stringify(value, null, 2)}\n`;
    await writeAtomic(path, text);
    return etagOf(text);
  });
}

/** The recorded weights (what a fresh `npm start` applies), or undefined when none were recorded. */
export async function readRecordedWeights(dir: string): Promise<Weights | undefined> {
  return (await readVersioned<Weights>(storePaths(dir).weights))?.value;
}

export async function recordWeights(dir: string, weights: Weights): Promise<void> {
  await withLock(dir, () => writeAtomic(storePaths(dir).weights, `${JSON.stringify(weights)}\n`));
}

/** Replaces a whole document (one writer: the timeline), atomically. */
export async function writeDocument(dir: string, path: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomic(path, `${JSON.stringify(value)}\n`);
}
