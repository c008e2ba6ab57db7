// A zipped page (the ECB's eurofxref-hist.zip holds one CSV): the first entry whose name matches, as a
// stream of decompressed chunks, never whole. fflate (MIT) does the ZIP and DEFLATE work synchronously,
// so a parser reads the entry like any other page's chunks; the bytes it yields are counted, and an
// entry inflating past the cap is refused however small the archive (a "zip bomb").
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { ExchangeError } from '../../lib/errors.ts';

/** The first bytes of every ZIP archive (a local file header). */
export function isZip(body: Uint8Array): boolean {
  return body[0] === 0x50 && body[1] === 0x4b && body[2] === 0x03 && body[3] === 0x04;
}

/** The archive is damaged, holds no matching entry, or inflates past the cap. */
export class ZipError extends ExchangeError {
  override name = 'ZipError';
}

/**
 * Compressed bytes handed to the inflater at a time. DEFLATE expands at most 1032:1, so one push
 * yields at most about 1 MiB, however compressible the entry.
 */
const PUSH_BYTES = 1024;

/**
 * Decompressed chunks of the first entry whose name matches `wanted`; ZipError when the archive is
 * damaged, has no such entry, or the entry inflates past `maxBytes`.
 */
export function* unzipEntry(
  body: Uint8Array,
  options: { wanted: RegExp; maxBytes: number; what: string },
): Generator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let chosen: string | undefined;
  let total = 0;
  let failure: Error | undefined;
  let finished = false;
  const unzip = new Unzip((file) => {
    if (chosen !== undefined || !options.wanted.test(file.name)) return;
    chosen = file.name;
    file.ondata = (error, data, final) => {
      if (error) failure ??= error;
      else {
        total += data.length;
        if (total > options.maxBytes) {
          failure ??= new ZipError(
            `${options.what}: ${file.name} inflates past the ${options.maxBytes}-byte limit`,
            { hint: 'check the URL returns the published archive; an entry this large is broken or hostile' },
          );
          file.terminate();
        } else if (data.length > 0) ready.push(data);
      }
      if (final) finished = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  for (let at = 0; at < body.length && !failure; at += PUSH_BYTES) {
    try {
      unzip.push(body.subarray(at, at + PUSH_BYTES), at + PUSH_BYTES >= body.length);
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
    }
    while (ready.length > 0 && !failure) yield ready.shift()!;
  }
  if (failure instanceof ZipError) throw failure;
  if (failure) {
    throw new ZipError(`${options.what}: the zip archive is damaged (${failure.message})`, {
      hint: 'fetch it again; a truncated download fails this way',
      cause: failure,
    });
  }
  if (chosen === undefined) {
    throw new ZipError(`${options.what}: the zip archive holds no file matching ${options.wanted}`, {
      hint: 'check the URL names the ECB history archive (eurofxref-hist.zip)',
    });
  }
  if (!finished) {
    throw new ZipError(`${options.what}: the zip archive ends inside ${chosen}`, {
      hint: 'fetch it again; a truncated download fails this way',
    });
  }
}
