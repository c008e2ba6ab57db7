// Bytes → text. The charset is taken, in order, from: the HTTP Content-Type header, a byte-order
// mark, a <meta charset>/<meta http-equiv> in the first 2 KiB, an XML declaration. When nothing
// declares one, the bytes are tried as strict UTF-8 and otherwise read as windows-1252 (the
// WHATWG default for undeclared HTML). Trying UTF-8 first is safe because legacy single-byte text
// with non-ASCII letters is practically never valid UTF-8, and it keeps undeclared UTF-8 fragments
// (the GPW 2016 table) readable. A declared but unknown label is an error, never a guess.
// decodeChunks gives the same text as a sequence of chunks, so a parser can stream a large page
// without ever holding it as one string (twice its byte size as soon as one character is non-Latin-1).
import { isUtf8 } from 'node:buffer';
import { CharsetError } from './errors.ts';

export type CharsetOrigin = 'content-type' | 'bom' | 'meta' | 'xml-declaration' | 'utf-8-valid' | 'default';

export interface Decoded {
  text: string;
  /** WHATWG encoding name actually used, e.g. "utf-8", "windows-1250". */
  charset: string;
  origin: CharsetOrigin;
}

/** Bytes scanned for <meta> / XML declarations; the HTML standard's prescan uses 1024, pages overrun it. */
const PRESCAN_BYTES = 2048;

const BOMS: { bytes: number[]; label: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], label: 'utf-8' },
  { bytes: [0xfe, 0xff], label: 'utf-16be' },
  { bytes: [0xff, 0xfe], label: 'utf-16le' },
];

/** The charset parameter of a Content-Type header value, or undefined. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return m?.[2];
}

function charsetFromBom(body: Uint8Array): string | undefined {
  return BOMS.find((b) => b.bytes.every((byte, i) => body[i] === byte))?.label;
}

/** Charset declared by <meta charset> or <meta http-equiv="Content-Type" content="…charset=…">. */
export function charsetFromMeta(head: string): string | undefined {
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(tag);
    // A charset inside content= only counts with http-equiv: GPW's bogus <META NAME="Content-Type"
    // CONTENT="…charset=en"> must not win over the real declaration.
    if (direct && !/\bcontent\s*=/i.test(tag.slice(0, direct.index))) return direct[1];
    if (/http-equiv\s*=\s*["']?content-type/i.test(tag)) {
      const inContent = /\bcontent\s*=\s*["'][^"']*charset\s*=\s*([^"'\s;]+)/i.exec(tag);
      if (inContent) return inContent[1];
    }
  }
  return undefined;
}

function charsetFromXmlDeclaration(head: string): string | undefined {
  return /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
}

/** The WHATWG name for a label ("latin1" → "windows-1252"); CharsetError when it is unknown. */
function encodingFor(label: string, declaredBy: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new CharsetError(label, declaredBy);
  }
}

/** The charset a page is decoded with, and the evidence that chose it. */
export interface Charset {
  /** WHATWG encoding name, e.g. "utf-8", "windows-1250". */
  encoding: string;
  origin: CharsetOrigin;
}

function charsetFromHead(body: Uint8Array): Charset | undefined {
  // Latin-1 maps every byte to one char, so ASCII markup survives whatever the real charset is.
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, PRESCAN_BYTES)).toString(
    'latin1',
  );
  const fromMeta = charsetFromMeta(head);
  if (fromMeta) return { encoding: encodingFor(fromMeta, '<meta> tag'), origin: 'meta' };
  const fromXml = charsetFromXmlDeclaration(head);
  if (fromXml) return { encoding: encodingFor(fromXml, 'XML declaration'), origin: 'xml-declaration' };
  return undefined;
}

/** Pick the charset per the file comment; CharsetError when a declared label is unknown. */
export function sniffCharset(body: Uint8Array, contentType?: string): Charset {
  const fromHeader = charsetFromContentType(contentType);
  if (fromHeader)
    return { encoding: encodingFor(fromHeader, 'HTTP Content-Type header'), origin: 'content-type' };
  const bom = charsetFromBom(body);
  if (bom) return { encoding: bom, origin: 'bom' };
  const declared = charsetFromHead(body);
  if (declared) return declared;
  if (isUtf8(body)) return { encoding: 'utf-8', origin: 'utf-8-valid' };
  return { encoding: 'windows-1252', origin: 'default' };
}

/** Decode a fetched or saved page; see the file comment for the order of evidence. */
export function decodePage(body: Uint8Array, contentType?: string): Decoded {
  const charset = sniffCharset(body, contentType);
  return { text: decodeAll(body, charset), charset: charset.encoding, origin: charset.origin };
}

/** The whole page as one string, in a charset already chosen by sniffCharset. */
export function decodeAll(body: Uint8Array, charset: Charset): string {
  return new TextDecoder(charset.encoding).decode(body);
}

/** Bytes per decoded chunk: large enough that per-chunk costs vanish, small next to any big page. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * The page's text in chunks that concatenate to exactly what decodePage gives. A multi-byte
 * character split between two byte chunks is carried over by the streaming decoder.
 */
export function* decodeChunks(
  body: Uint8Array,
  charset: Charset,
  chunkBytes = CHUNK_BYTES,
): Generator<string> {
  const decoder = new TextDecoder(charset.encoding);
  for (let at = 0; at < body.byteLength; at += chunkBytes) {
    const text = decoder.decode(body.subarray(at, at + chunkBytes), { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
