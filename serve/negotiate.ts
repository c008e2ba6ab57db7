// Content negotiation and content types. Pure.

export type Encoding = 'br' | 'gzip' | 'identity';

/** q-value of `coding` in an Accept-Encoding header ("*" counts for codings not listed). */
function quality(header: string, coding: string): number {
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const value = Number.isFinite(q) ? q : 0;
    if (name.trim() === coding) return value;
    if (name.trim() === '*') star = value;
  }
  return star ?? 0;
}

/** Brotli when accepted, then gzip, else the identity body. */
export function negotiateEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const br = quality(header, 'br');
  const gzip = quality(header, 'gzip');
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
};

/** Content type from the key's extension, for objects stored without one. */
export function contentTypeFor(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return TYPES[ext] ?? 'application/octet-stream';
}

/** Worth compressing: text formats; images here are already compressed or tiny. */
export function isCompressible(contentType: string): boolean {
  return /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/.test(contentType);
}

/** True when an If-None-Match header matches one of the entity's tags (weak comparison, RFC 9110 §13.1.2). */
export function etagMatches(header: string | undefined, etags: readonly string[]): boolean {
  if (!header) return false;
  const strip = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = new Set(etags.map(strip));
  return header.split(',').some((tag) => strip(tag) === '*' || wanted.has(strip(tag)));
}
