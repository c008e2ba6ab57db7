// Maps a request line to what to serve. Pure. Only site keys are reachable: raw/ and failed/, dot
// segments, encoded separators and anything that could name a key outside the site never are;
// nor is any data/ or assets/ key whose shape a publish never writes (a 404 without an S3 GET).
import {
  ASSET_KEY_PATTERN,
  LAYOUT,
  LIVENESS_PATH,
  PUBLISH_KEY_PATTERN,
  READINESS_PATH,
} from '../contract/index.ts';
import { ENV_CSS_PATH } from '../site/page.ts';

export type Route =
  | { kind: 'readiness' }
  | { kind: 'liveness' }
  /** / and /index.html: the page the current pointer names (so / follows the pointer atomically). */
  | { kind: 'index' }
  /** /<source>/: that source's latest page, as the sources registry (or the pointer) names it. */
  | { kind: 'source'; source: string }
  /** The serving side's colour, as a stylesheet (the page's environment badge). */
  | { kind: 'env' }
  | { kind: 'object'; key: string }
  | { kind: 'reject'; status: 400 | 404 | 405 | 414; reason: string };

/** Longest request target accepted; the ALB allows 16 KiB but no site URL needs more than a few dozen bytes. */
export const MAX_URL_BYTES = 8192;

export const ALLOWED_METHODS = ['GET', 'HEAD'] as const;

/** Characters bucket keys of the site use; everything else is refused before any S3 call. */
const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

const PUBLIC_KEYS: readonly string[] = [LAYOUT.errorKey, LAYOUT.latestKey];

/** data/<source>/<date>.json|csv and assets/site.css|js, as versions before publish-addressed keys wrote them. */
const LEGACY_KEY = /^(?:data\/[a-z0-9-]+\/\d{4}-\d{2}-\d{2}\.(?:json|csv)|assets\/site\.(?:css|js))$/;

const reject = (status: 400 | 404 | 405 | 414, reason: string): Route => ({ kind: 'reject', status, reason });

/** Top-level folders of the bucket: never a source's site path. */
const NOT_SOURCES = new Set(['data', 'assets', 'raw', 'failed']);

/** The site key a decoded path names, or a 404 when it is not a public site key. */
export function siteKey(path: string): Route {
  if (path === '/' || path === `/${LAYOUT.indexKey}`) return { kind: 'index' };
  if (path === ENV_CSS_PATH) return { kind: 'env' };
  const source = /^\/([a-z0-9-]{1,64})\/(?:index\.html)?$/.exec(path)?.[1];
  if (source !== undefined && !NOT_SOURCES.has(source)) return { kind: 'source', source };
  const key = path.slice(1);
  if (!SAFE_KEY.test(key)) return reject(404, 'not a site key');
  if (PUBLIC_KEYS.includes(key)) return { kind: 'object', key };
  if (PUBLISH_KEY_PATTERN.test(key) || ASSET_KEY_PATTERN.test(key) || LEGACY_KEY.test(key)) {
    return { kind: 'object', key };
  }
  return reject(404, 'not a site key');
}

export function route(method: string | undefined, target: string | undefined): Route {
  const url = target ?? '';
  if (Buffer.byteLength(url) > MAX_URL_BYTES)
    return reject(414, `request target longer than ${MAX_URL_BYTES} bytes`);
  if (!(ALLOWED_METHODS as readonly string[]).includes(method ?? ''))
    return reject(405, `method ${method} not allowed`);
  if (!url.startsWith('/')) return reject(400, 'request target must be an absolute path');
  const rawPath = url.split(/[?#]/, 1)[0] ?? '';
  // Backslashes and NUL are separators or terminators somewhere; refuse them raw or encoded.
  if (/[\\\0]|%5c|%00/i.test(rawPath)) return reject(400, 'backslash or NUL in path');
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return reject(400, 'malformed percent-encoding');
  }
  // A '%' left after one decode is double encoding (%252e%252e): refuse rather than decode again.
  if (path.includes('%')) return reject(400, 'double-encoded path');
  if (path.split('/').some((seg) => seg === '.' || seg === '..')) return reject(400, 'dot segment in path');
  if (path === READINESS_PATH) return { kind: 'readiness' };
  if (path === LIVENESS_PATH) return { kind: 'liveness' };
  return siteKey(path);
}
