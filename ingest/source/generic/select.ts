// Simple CSS selectors for the streaming extractor: one compound selector such as
// "table.footable", "h2.BodyHead", "div#quotes", "th[data-type]". Descendant combinators are not
// supported because matching happens on each start tag as it streams past, with no tree.

export interface SimpleSelector {
  tag: string | undefined;
  id: string | undefined;
  classes: string[];
  attrs: string[];
}

export const SELECTOR_FORMS =
  'tag, .class, #id, [attr] and compounds such as table.footable or th[data-type]';

/** Parse a compound selector; undefined when it is not of the supported form. */
export function parseSelector(text: string): SimpleSelector | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9-]*)?((?:[.#][\w-]+|\[[\w-]+\])*)$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const sel: SimpleSelector = { tag: m[1]?.toLowerCase(), id: undefined, classes: [], attrs: [] };
  for (const part of (m[2] ?? '').match(/[.#][\w-]+|\[[\w-]+\]/g) ?? []) {
    if (part.startsWith('.')) sel.classes.push(part.slice(1));
    else if (part.startsWith('#')) sel.id = part.slice(1);
    else sel.attrs.push(part.slice(1, -1).toLowerCase());
  }
  return sel;
}

export function matches(sel: SimpleSelector, name: string, attribs: Record<string, string>): boolean {
  if (sel.tag !== undefined && sel.tag !== name) return false;
  if (sel.id !== undefined && attribs.id !== sel.id) return false;
  for (const a of sel.attrs) if (attribs[a] === undefined) return false;
  if (sel.classes.length === 0) return true;
  const classes = (attribs.class ?? '').split(/\s+/);
  return sel.classes.every((c) => classes.includes(c));
}
