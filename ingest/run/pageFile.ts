// Saved pages read from disk (`exchange parse`, `backfill --file`, `backfill --dir`): at most the page
// cap of the adapter that will parse them plus one byte, so a huge (or endless, /dev/zero) file is
// refused without being loaded; a missing or unreadable file is one clear line, never a stack trace.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExchangeError } from '../../lib/errors.ts';

/** A saved page (or mapping) could not be read: missing, a folder, no permission. */
export class PageFileError extends ExchangeError {
  override name = 'PageFileError';
  constructor(
    readonly path: string,
    readonly what: string,
    readonly code: string,
  ) {
    const why: Record<string, string> = {
      ENOENT: 'no such file',
      EISDIR: 'it is a folder',
      EACCES: 'permission denied',
      ENOTDIR: 'a part of the path is not a folder',
    };
    super(`cannot read ${what} "${path}": ${why[code] ?? code}`, {
      hint:
        code === 'EISDIR'
          ? 'name a file, or use --dir for a folder of saved pages'
          : 'check the path and permissions',
    });
  }
}

/** The file is larger than the cap that applies to its kind of page (the same cap ingest fetches with). */
export class PageTooLargeError extends ExchangeError {
  override name = 'PageTooLargeError';
  constructor(
    readonly path: string,
    readonly what: string,
    readonly maxBytes: number,
    readonly kind: string,
  ) {
    super(`${what} "${path}" is larger than the ${maxBytes}-byte limit for ${kind}`, {
      hint: 'check it is the quotes page; a whole history needs a series source (e.g. --source ecb-hist), whose limit is larger',
    });
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Reads at most `maxBytes` + 1 bytes; PageTooLargeError when there are more. */
export async function readPageFile(
  path: string,
  limit: { maxBytes: number; kind: string },
  what = 'page',
): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      // Grows with the file (a few reads), never past the cap + 1.
      let buffer = Buffer.alloc(Math.min(limit.maxBytes + 1, 1 << 20));
      let length = 0;
      for (;;) {
        if (length === buffer.length) {
          if (buffer.length > limit.maxBytes) break;
          const bigger = Buffer.alloc(Math.min(limit.maxBytes + 1, buffer.length * 4));
          buffer.copy(bigger, 0, 0, length);
          buffer = bigger;
        }
        const n = (await file.read(buffer, length, buffer.length - length, null)).bytesRead;
        if (n === 0) break;
        length += n;
      }
      bytes = buffer.subarray(0, length);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new PageFileError(path, what, codeOf(error));
  }
  if (bytes.length > limit.maxBytes) throw new PageTooLargeError(path, what, limit.maxBytes, limit.kind);
  return bytes;
}

/** The saved pages of a folder (files only, not hidden ones), sorted by name; an empty folder is an error. */
export async function pageFilesIn(dir: string): Promise<string[]> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    names = await readdir(dir);
  } catch (error) {
    throw new PageFileError(dir, 'folder', codeOf(error));
  }
  const files: string[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) files.push(path);
  }
  if (files.length === 0) {
    throw new ExchangeError(`folder "${dir}" holds no saved pages`, {
      hint: 'save one page per day into it (any file name; they are read in name order)',
    });
  }
  return files;
}
