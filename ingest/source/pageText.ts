// A page's text as the parsers read it: decoded chunk by chunk from its bytes — or, for a zip archive,
// from the entry its adapter names, inflated chunk by chunk — and, for detection, the whole text of a
// small page or the start and end of a large one (a whole history is detected from those alone).
import { decodeAll, decodeChunks, sniffCharset } from '../parse/decode.ts';
import { isZip, unzipEntry } from '../parse/unzip.ts';
import { DAILY_PAGE_MAX_BYTES, type PageInput, type SourceAdapter } from './types.ts';

/** Bytes of a large page decoded for detection: its start and its end. */
const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 64 * 1024;
/** Zip entries every adapter that reads a zip may name (detection looks at the first one). */
const ANY_ENTRY = /\.(?:csv|xml|html?)$/i;

export interface PageText {
  /** True when the bytes are a zip archive (the text is its entry's). */
  zipped: boolean;
  /** The decoded text, chunk by chunk; each call starts again from the bytes. */
  chunks(adapter: SourceAdapter | undefined): Iterable<string>;
  /** What detection looks at: the whole text when the page is small, else its start and end. */
  sample(): string;
}

function* textOf(bytes: Iterable<Uint8Array>): Generator<string> {
  const decoder = new TextDecoder('utf-8');
  for (const b of bytes) {
    const text = decoder.decode(b, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** The start of a text stream (at least `chars` characters, or all of it). */
function headOf(chunks: Iterable<string>, chars: number): string {
  let head = '';
  for (const c of chunks) {
    head += c;
    if (head.length >= chars) break;
  }
  return head;
}

export function pageText(input: PageInput, maxBytes: number): PageText {
  const body = input.body;
  if (isZip(body)) {
    const entry = (adapter: SourceAdapter | undefined): Iterable<Uint8Array> =>
      unzipEntry(body, {
        wanted: adapter?.zipEntry ?? ANY_ENTRY,
        maxBytes: adapter?.maxBytes ?? maxBytes,
        what: adapter?.id ?? 'page',
      });
    return {
      zipped: true,
      chunks: (adapter) => textOf(entry(adapter)),
      // Stops inflating once the head is read.
      sample: () => headOf(textOf(entry(undefined)), HEAD_BYTES),
    };
  }
  const charset = sniffCharset(body, input.contentType);
  return {
    zipped: false,
    chunks: () => decodeChunks(body, charset),
    sample: () => {
      if (body.length <= DAILY_PAGE_MAX_BYTES) return decodeAll(body, charset);
      const head = decodeAll(body.subarray(0, HEAD_BYTES), charset);
      return `${head}\n${decodeAll(body.subarray(body.length - TAIL_BYTES), charset)}`;
    },
  };
}
