// HTML/SVG escaping and a tiny attribute helper: every scraped string passes through here.

const SPECIAL = /[&<>"']/;

/** Escapes text for element content and quoted attribute values (HTML and SVG alike). */
export function escapeHtml(value: unknown): string {
  const text = String(value ?? '');
  // Most cells (numbers, tickers) hold nothing to escape; one test is far cheaper than five replaces.
  if (!SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Only http(s) URLs become links: a scraped or configured `javascript:` URL must never be
 * clickable. Anything else yields undefined and the caller prints plain text.
 */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** `<a href>` when the URL is safe, else the escaped text alone. */
export function linkOrText(url: string | null | undefined, text: string): string {
  const href = safeHref(url);
  return href
    ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(text)}</a>`
    : escapeHtml(text);
}
