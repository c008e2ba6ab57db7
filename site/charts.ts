// Inline SVG charts drawn at publish time (no script, no external assets). Pure string builders.
// Colours are presentation attributes, not `style`, because a strict CSP blocks inline styles.
import { escapeHtml } from './html.ts';
import type { Mover, Summary } from './summary.ts';

export const CHART_COLORS = {
  up: '#1a7f37',
  down: '#cf222e',
  unchanged: '#8c959f',
  unknown: '#d0d7de',
  text: '#1f2328',
  muted: '#59636e',
} as const;

export interface MoversChartOptions {
  /** Unique id prefix for the title/desc elements. */
  id: string;
  title: string;
  movers: readonly Mover[];
  tone: 'up' | 'down';
  /** Largest |percent| across both panels, so gainers and losers share one scale. */
  scaleMax: number;
  formatPercent: (value: number) => string;
}

const ROW = 30;
/**
 * Bars are laid out in percent of the chart's width, with no viewBox: the SVG is as wide as its card
 * and its text keeps its CSS size (a scaled viewBox made labels 7–9 px on a phone).
 */
const LABEL_END = 30;
const BAR_SPAN = 48;
/** Longer symbols are clipped with an ellipsis (the full one is in the bar's tooltip and the desc). */
const MAX_LABEL = 12;

function clip(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Horizontal bars of the top gainers or losers, with symbol labels and percent values. */
export function moversChart(o: MoversChartOptions): string {
  const rows = Math.max(o.movers.length, 1);
  const height = rows * ROW + 8;
  const fill = CHART_COLORS[o.tone];
  const span = BAR_SPAN;
  const desc = o.movers.length
    ? o.movers.map((m) => `${m.quote.symbol} ${o.formatPercent(m.percent)}`).join(', ')
    : 'No instruments moved in this direction.';
  const bars = o.movers.map((m, i) => {
    const y = 4 + i * ROW;
    const len = o.scaleMax > 0 ? Math.max(0.5, (Math.abs(m.percent) / o.scaleMax) * span) : 0.5;
    const label = m.quote.name ? `${m.quote.symbol} — ${m.quote.name}` : m.quote.symbol;
    return (
      `<g class="bar"><title>${escapeHtml(label)}: ${escapeHtml(o.formatPercent(m.percent))}</title>` +
      `<text x="${LABEL_END}%" dx="-8" y="${y + 19}" text-anchor="end" fill="${CHART_COLORS.text}" class="bar-label">${escapeHtml(clip(m.quote.symbol))}</text>` +
      `<rect x="${LABEL_END}%" y="${y + 5}" width="${round(len)}%" height="${ROW - 10}" rx="3" fill="${fill}" class="bar-${o.tone}"/>` +
      `<text x="${round(LABEL_END + len)}%" dx="6" y="${y + 19}" fill="${CHART_COLORS.muted}" class="bar-value">${escapeHtml(o.formatPercent(m.percent))}</text></g>`
    );
  });
  if (!o.movers.length) {
    bars.push(
      `<text x="${LABEL_END}%" dx="8" y="23" fill="${CHART_COLORS.muted}" class="bar-value">None today</text>`,
    );
  }
  return (
    `<svg class="chart chart-movers" role="img" width="100%" height="${height}" ` +
    `aria-labelledby="${o.id}-title ${o.id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${o.id}-title">${escapeHtml(o.title)}</title><desc id="${o.id}-desc">${escapeHtml(desc)}</desc>` +
    `<line x1="${LABEL_END}%" y1="0" x2="${LABEL_END}%" y2="${height}" stroke="${CHART_COLORS.unknown}"/>` +
    `${bars.join('')}</svg>`
  );
}

export interface BreadthSegment {
  key: 'up' | 'unchanged' | 'down' | 'unknown';
  label: string;
  count: number;
  /** Start and width in percent of the bar. */
  x: number;
  width: number;
}

/** Splits the breadth bar into segments (advancers, unchanged, decliners, no data), zero-width ones dropped. */
export function breadthSegments(s: Summary): BreadthSegment[] {
  const parts: Omit<BreadthSegment, 'x' | 'width'>[] = [
    { key: 'up', label: 'advancing', count: s.advancers },
    { key: 'unchanged', label: 'unchanged', count: s.unchanged },
    { key: 'down', label: 'declining', count: s.decliners },
    { key: 'unknown', label: 'without change data', count: s.unknown },
  ];
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  let x = 0;
  const out: BreadthSegment[] = [];
  for (const p of parts) {
    if (p.count === 0 || total === 0) continue;
    const width = (p.count / total) * 100;
    out.push({ ...p, x: round(x), width: round(width) });
    x += width;
  }
  return out;
}

/** One stacked bar: advancers | unchanged | decliners | no data, stretched to the container width. */
export function breadthChart(s: Summary, id = 'breadth'): string {
  const segments = breadthSegments(s);
  const desc = segments.length ? segments.map((g) => `${g.count} ${g.label}`).join(', ') : 'No instruments.';
  const rects = segments
    .map(
      (g) =>
        `<rect x="${g.x}" y="0" width="${g.width}" height="10" fill="${CHART_COLORS[g.key]}" class="seg-${g.key}"/>`,
    )
    .join('');
  return (
    `<svg class="chart chart-breadth" role="img" viewBox="0 0 100 10" preserveAspectRatio="none" ` +
    `aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">Market breadth</title><desc id="${id}-desc">${escapeHtml(desc)}</desc>` +
    `${rects || `<rect x="0" y="0" width="100" height="10" fill="${CHART_COLORS.unknown}"/>`}</svg>`
  );
}
