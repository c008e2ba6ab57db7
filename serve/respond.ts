// Writing responses: cached objects with ETag/304 and encoding negotiation, JSON, and error pages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { etagMatches, negotiateEncoding } from './negotiate.ts';
import type { SiteObject } from './store.ts';
import { envCss } from '../site/styles.ts';

/** Used when even error.html cannot be had (S3 down before anything was cached). No inline style: the CSP forbids it. */
export const FALLBACK_ERROR_HTML = (status: number, title: string): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${status} ${title}</title></head><body><main><h1>${title}</h1>` +
  `<p>Please try again in a moment. <a href="/">Latest quotes</a></p></main></body></html>\n`;

function end(req: IncomingMessage, res: ServerResponse, body: Buffer): number {
  res.setHeader('Content-Length', body.length);
  if (req.method === 'HEAD') {
    res.end();
    return 0;
  }
  res.end(body);
  return body.length;
}

function variantTag(etag: string, encoding: string): string {
  return encoding === 'identity' ? etag : etag.replace(/"?$/, `-${encoding}"`);
}

/** Sends a cached object (200, or 304 when If-None-Match matches). Returns body bytes written. */
export function sendObject(req: IncomingMessage, res: ServerResponse, obj: SiteObject): number {
  const compressed = obj.br !== undefined || obj.gzip !== undefined;
  const wanted = compressed ? negotiateEncoding(req.headers['accept-encoding']) : 'identity';
  const encoding = wanted === 'br' && obj.br ? 'br' : wanted !== 'identity' && obj.gzip ? 'gzip' : 'identity';
  const etag = variantTag(obj.etag, encoding);
  res.setHeader('ETag', etag);
  if (obj.cacheControl) res.setHeader('Cache-Control', obj.cacheControl);
  if (obj.lastModified) res.setHeader('Last-Modified', obj.lastModified);
  if (compressed) res.setHeader('Vary', 'Accept-Encoding');
  // Any variant's tag revalidates: the entity is the same, only its transfer coding differs.
  const tags = [obj.etag, variantTag(obj.etag, 'br'), variantTag(obj.etag, 'gzip')];
  if (etagMatches(req.headers['if-none-match'], tags)) {
    res.statusCode = 304;
    res.end();
    return 0;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', obj.contentType);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  const body = encoding === 'br' ? obj.br! : encoding === 'gzip' ? obj.gzip! : obj.body;
  return end(req, res, body);
}

/** An error status with the site's error page (or the built-in one). Never cached by clients. */
export function sendErrorPage(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  page: SiteObject | null,
  title: string,
): number {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  return end(req, res, page ? page.body : Buffer.from(FALLBACK_ERROR_HTML(status, title)));
}

/** The serving side's colour as the stylesheet that shows the page's environment badge; never cached. */
export function sendEnvCss(req: IncomingMessage, res: ServerResponse, color: string | undefined): number {
  res.statusCode = 200;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/css; charset=utf-8');
  return end(req, res, Buffer.from(envCss(color)));
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): number {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  return end(req, res, Buffer.from(`${JSON.stringify(value)}\n`));
}
