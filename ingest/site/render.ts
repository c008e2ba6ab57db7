// Renders the static site (index.html, error.html) from one publish. Pure: no I/O, no clock.
import { CACHE_CONTROL, LAYOUT } from '../../contract/index.ts';
import { QUOTE_FIELDS } from '../quote.ts';
import type { SiteFile, SiteInput } from './types.ts';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function cell(value: unknown): string {
  return value === null || value === undefined ? '—' : escapeHtml(value);
}

export function renderSite(input: SiteInput): SiteFile[] {
  const { pointer, quotes, source } = input;
  const head = QUOTE_FIELDS.map((f) => `<th scope="col">${f}</th>`).join('');
  const rows = quotes
    .map((q) => `<tr>${QUOTE_FIELDS.map((f) => `<td>${cell(q[f])}</td>`).join('')}</tr>`)
    .join('\n');
  const index = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(source.title)} — ${escapeHtml(pointer.date)}</title></head>
<body><h1>${escapeHtml(source.title)}</h1>
<p>Trading date ${escapeHtml(pointer.date)}, from <a href="${escapeHtml(pointer.sourceUrl)}">${escapeHtml(pointer.sourceUrl)}</a>,
fetched ${escapeHtml(pointer.fetchedAt)}, version ${escapeHtml(pointer.version)}${input.color ? `, ${escapeHtml(input.color)}` : ''}.</p>
<table><caption>${quotes.length} quotes</caption><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
  const error = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><h1>Not found</h1><p><a href="/">Back to the quotes</a></p></body></html>
`;
  return [
    { key: LAYOUT.indexKey, body: index, contentType: 'text/html; charset=utf-8', cacheControl: CACHE_CONTROL.page },
    { key: LAYOUT.errorKey, body: error, contentType: 'text/html; charset=utf-8', cacheControl: CACHE_CONTROL.page },
  ];
}
