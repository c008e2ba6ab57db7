// Renders the static site from one publish: index.html, error.html and the assets. Pure: no I/O, no clock.
import { createHash } from 'node:crypto';
import { CACHE_CONTROL, LAYOUT } from '../contract/index.ts';
import { CHART_JS } from './chartClient.ts';
import { SITE_JS } from './client.ts';
import { renderError, renderIndex, type AssetUrls } from './page.ts';
import { SITE_CSS } from './styles.ts';
import type { SiteFile, SiteInput } from './types.ts';

export { escapeHtml } from './html.ts';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Content-addressed: a new stylesheet or script gets a new key, so an asset key is never rewritten
 * with other bytes and may be cached as immutable (see ASSET_KEY_PATTERN in contract/).
 */
export const ASSET_KEYS = {
  css: `${LAYOUT.assetsPrefix}site.${shortHash(SITE_CSS)}.css`,
  js: `${LAYOUT.assetsPrefix}site.${shortHash(SITE_JS)}.js`,
  chart: `${LAYOUT.assetsPrefix}chart.${shortHash(CHART_JS)}.js`,
} as const;

/**
 * The Content-Security-Policy the page is written for: no inline script or style at all, so no
 * hashes are needed; the chart page fetches its data from the site itself (connect-src). `serve`
 * sends it; the browser test fails on any violation.
 */
export const SITE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Asset URLs name the content hash, so a cached old stylesheet is never paired with a new page. */
export function assetUrls(): AssetUrls {
  return { css: `/${ASSET_KEYS.css}`, js: `/${ASSET_KEYS.js}`, chart: `/${ASSET_KEYS.chart}` };
}

/** The content-addressed assets every page links: the stylesheet and the two scripts. */
export function siteAssets(): SiteFile[] {
  return renderSite(null).filter((f) => f.key.startsWith(LAYOUT.assetsPrefix));
}

/** One day's page (what index.html copies). */
export function renderPage(input: SiteInput): string {
  return renderIndex(input, assetUrls());
}

export function renderErrorPage(): string {
  return renderError(assetUrls());
}

/** The assets, error.html and — given an input — index.html. */
export function renderSite(input: SiteInput): SiteFile[];
export function renderSite(input: null): SiteFile[];
export function renderSite(input: SiteInput | null): SiteFile[] {
  const assets = assetUrls();
  const html = 'text/html; charset=utf-8';
  const files: SiteFile[] = [
    {
      key: ASSET_KEYS.css,
      body: SITE_CSS,
      contentType: 'text/css; charset=utf-8',
      cacheControl: CACHE_CONTROL.dated,
    },
    {
      key: ASSET_KEYS.js,
      body: SITE_JS,
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: CACHE_CONTROL.dated,
    },
    {
      key: ASSET_KEYS.chart,
      body: CHART_JS,
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: CACHE_CONTROL.dated,
    },
  ];
  if (input === null) return files;
  files.push({
    key: LAYOUT.errorKey,
    body: renderError(assets),
    contentType: html,
    cacheControl: CACHE_CONTROL.page,
  });
  // index.html last among the site files: it references the assets above.
  files.push({
    key: LAYOUT.indexKey,
    body: renderIndex(input, assets),
    contentType: html,
    cacheControl: CACHE_CONTROL.page,
  });
  return files;
}
