// Response headers every answer carries: security policy and which environment answered.
import { COLOR_HEADER } from '../contract/index.ts';
import { SITE_CSP } from '../site/render.ts';

/** What the task definition tells the service about itself (EXCHANGE_COLOR, EXCHANGE_VERSION, …). */
export interface ServiceIdentity {
  color: string | undefined;
  version: string;
  imageTag: string | undefined;
  commit: string | undefined;
}

export const VERSION_HEADER = 'X-Exchange-Version';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': SITE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Security headers plus the identity headers, computed once per server. Header values must be
 * single-line ASCII, so identity values from the environment are sanitized. */
export function baseHeaders(id: ServiceIdentity): Record<string, string> {
  const clean = (v: string): string => v.replace(/[^\x20-\x7e]/g, '?');
  const headers: Record<string, string> = { ...SECURITY_HEADERS, [VERSION_HEADER]: clean(id.version) };
  if (id.color) headers[COLOR_HEADER] = clean(id.color);
  if (id.imageTag) headers['X-Exchange-Image-Tag'] = clean(id.imageTag);
  if (id.commit) headers['X-Exchange-Commit'] = clean(id.commit);
  return headers;
}
