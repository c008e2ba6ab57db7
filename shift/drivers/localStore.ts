// The local system's durable release state: the shift record and the recorded weights as JSON files in
// the data folder, with compare-and-swap on a content hash (the local stand-in for the S3 ETag
// conditional writes of release/state). A lock file makes the compare and the write one step across
// processes, so `exchange shift abort --local` from a second terminal cannot lose a race silently.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Versioned } from '../port.ts';
import { checkWeights, type Weights } from '../../contract/weights.ts';
import { ExchangeError } from '../../lib/errors.ts';
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import { CorruptDocumentError } from '../../release/state/store.ts';
import { parseShiftRecord } from '../../release/state/traffic.ts';
import { DriverError, RecordConflictError } from '../errors.ts';
import { parseTimeline, type Timeline } from '../timeline.ts';

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

/** What a state file holds, for messages and for the fix a person needs when it is bad. */
export interface StateFile<T> {
  /** "shift record", "recorded weights". */
  what: string;
  parse: (raw: unknown) => T;
  /** How to repair the file (appended to the one-line error). */
  fix: string;
}

/** The shift record file: `flags` select the same system on the command line (" --local --dir d"). */
export const recordFile = (flags = ' --local'): StateFile<ShiftRecord> => ({
  what: 'shift record',
  parse: parseShiftRecord,
  fix: `restore it, or move it aside (nothing writes over it while it is bad); "exchange shift reset --to <colour>${flags}" puts all traffic on one colour either way`,
});

/** The shift's timeline (the release page's data): rewritten whole by its one writer, the controller. */
export const timelineFile: StateFile<Timeline> = {
  what: 'shift timeline',
  parse: parseTimeline,
  fix: 'move it aside: the next shift writes a new one (only the release page reads it)',
};

const weightsFile: StateFile<Weights> = {
  what: 'weights document',
  parse: (raw) => checkWeights(raw),
  fix: 'fix it (e.g. {"blue":100,"green":0}) or move it aside (the router then starts at blue 100 / green 0); nothing writes over it while it is bad',
};

/**
 * Reads and validates: a file that is not JSON or not the document is a CorruptDocumentError naming
 * the file and the fix, so no caller ever gets an etag for it (and can never write over it).
 */
export async function readVersioned<T>(path: string, file: StateFile<T>): Promise<Versioned<T> | undefined> {
  const text = await readText(path);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CorruptDocumentError(
      `${path} is not valid JSON (${text.trim() === '' ? 'empty' : (err as Error).message}): truncated or edited by hand?`,
      { hint: file.fix, cause: err },
    );
  }
  try {
    return { value: file.parse(raw), etag: etagOf(text) };
  } catch (err) {
    const problem = err instanceof ExchangeError ? err.message : (err as Error).message;
    throw new CorruptDocumentError(`${path} is not a ${file.what}: ${problem}`, {
      hint: file.fix,
      cause: err,
    });
  }
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
  return (await readVersioned(storePaths(dir).weights, weightsFile))?.value;
}

/** Replaces the recorded weights, unless the file there failed validation (then CorruptDocumentError). */
export async function recordWeights(dir: string, weights: Weights): Promise<void> {
  await withLock(dir, async () => {
    await readVersioned(storePaths(dir).weights, weightsFile);
    await writeAtomic(storePaths(dir).weights, `${JSON.stringify(weights)}\n`);
  });
}

/** Replaces a whole document (one writer: the timeline), atomically. */
export async function writeDocument(dir: string, path: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomic(path, `${JSON.stringify(value)}\n`);
}
