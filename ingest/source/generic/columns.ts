// Header flattening and column resolution: grouped two-row headers (rowspan/colspan) become one
// path per column ("Best bid / Volume"), and each mapped field is found by its header text.
// A required header that is absent or matches twice is a LayoutError: positions are never guessed.
import { LayoutError } from '../errors.ts';
import { spanOf, squash, type Row } from './extract.ts';
import type { ColumnSpec } from './mapping.ts';

export interface HeaderColumn {
  /** Bottom-most header text of the column, e.g. "Volume". */
  leaf: string;
  /** Distinct header texts top to bottom joined by " / ", e.g. "Best bid / Volume". */
  path: string;
}

/** Flatten header rows into one entry per column position. */
export function flattenHeaders(rows: Row[]): HeaderColumn[] {
  const grid: string[][] = rows.map(() => []);
  rows.forEach((tr, r) => {
    let c = 0;
    for (const cell of tr.cells) {
      while (grid[r]![c] !== undefined) c++;
      const text = squash(cell.text);
      const colspan = spanOf(cell, 'colspan');
      const rowspan = Math.min(spanOf(cell, 'rowspan'), rows.length - r);
      for (let dr = 0; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) grid[r + dr]![c + dc] = text;
      c += colspan;
    }
  });
  const width = Math.max(0, ...grid.map((row) => row.length));
  const columns: HeaderColumn[] = [];
  for (let c = 0; c < width; c++) {
    const texts: string[] = [];
    for (const row of grid) {
      const t = row[c];
      if (t && texts.at(-1) !== t) texts.push(t);
    }
    columns.push({ leaf: texts.at(-1) ?? '', path: texts.join(' / ') });
  }
  return columns;
}

const norm = (s: string): string => squash(s).toLowerCase();

function describe(spec: ColumnSpec): string {
  if (spec.index !== undefined) return `#${spec.index}`;
  if (spec.headerRegex !== undefined) return `/${spec.headerRegex}/`;
  return [spec.header ?? []]
    .flat()
    .map((h) => `"${h}"`)
    .join(' or ');
}

function matches(spec: ColumnSpec, col: HeaderColumn): boolean {
  if (spec.headerRegex !== undefined) return new RegExp(spec.headerRegex, 'i').test(col.path);
  const wanted = [spec.header ?? []].flat().map(norm);
  return wanted.includes(norm(col.leaf)) || wanted.includes(norm(col.path));
}

/**
 * Resolve field → column index. Throws LayoutError naming every missing required column, or a
 * header that matches more than one column.
 */
export function resolveColumns(
  source: string,
  specs: Record<string, ColumnSpec>,
  headers: HeaderColumn[],
): Map<string, number> {
  const found = new Map<string, number>();
  const missing: string[] = [];
  for (const [field, spec] of Object.entries(specs)) {
    if (spec.index !== undefined) {
      found.set(field, spec.index);
      continue;
    }
    const hits = headers.flatMap((col, i) => (matches(spec, col) ? [i] : []));
    if (hits.length > 1) {
      const paths = hits.map((i) => `"${headers[i]!.path}"`).join(', ');
      throw new LayoutError(
        source,
        [field],
        `header ${describe(spec)} for ${field} matches several columns: ${paths}`,
      );
    }
    if (hits[0] !== undefined) found.set(field, hits[0]);
    else if (spec.required !== false) missing.push(`${describe(spec)} (${field})`);
  }
  if (missing.length > 0) {
    const have = headers.map((h) => `"${h.path}"`).join(', ') || 'no header row';
    throw new LayoutError(source, missing, `missing column(s) ${missing.join(', ')}; the table has ${have}`);
  }
  return found;
}
