// Inline SVG line charts for the release page: a shared time axis, series as lines, steps or dots,
// and vertical markers for decisions (the rollback in red). Pure string building, every text escaped.

export interface Point {
  atMs: number;
  value: number;
}

export interface Series {
  name: string;
  color: string;
  points: Point[];
  /** Hold each value until the next point (weights). */
  step?: boolean;
  /** Dots instead of a line (samples). */
  dots?: boolean;
}

export interface Marker {
  atMs: number;
  label: string;
  kind: 'info' | 'hold' | 'bad';
}

export interface Chart {
  title: string;
  range: { fromMs: number; toMs: number };
  series: Series[];
  markers: Marker[];
  /** Top of the y axis. @default the largest value (at least 1) */
  yMax?: number;
}

const W = 1000;
const H = 180;
const PAD = { left: 48, right: 12, top: 24, bottom: 22 };
const MARK_COLOR = { info: '#64748b', hold: '#d97706', bad: '#dc2626' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const r1 = (n: number): string => String(Math.round(n * 10) / 10);

export function lineChart(c: Chart): string {
  const span = Math.max(1, c.range.toMs - c.range.fromMs);
  const yMax = c.yMax ?? Math.max(1, ...c.series.flatMap((s) => s.points.map((p) => p.value)));
  const x = (ms: number): number => PAD.left + ((ms - c.range.fromMs) / span) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - (Math.min(v, yMax) / yMax) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.5, 1]
    .map(
      (f) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${r1(y(yMax * f))}" y2="${r1(y(yMax * f))}" stroke="#e5e7eb"/><text x="${PAD.left - 4}" y="${r1(y(yMax * f) + 4)}" text-anchor="end" font-size="10">${r1(yMax * f)}</text>`,
    )
    .join('');
  const marks = c.markers
    .map(
      (m, i) =>
        `<line class="marker ${m.kind}" x1="${r1(x(m.atMs))}" x2="${r1(x(m.atMs))}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="${MARK_COLOR[m.kind]}" stroke-width="${m.kind === 'bad' ? 2.5 : 1}" stroke-dasharray="${m.kind === 'bad' ? '' : '4 3'}"><title>${escapeHtml(m.label)}</title></line><text x="${r1(x(m.atMs) + 3)}" y="${PAD.top + 10 + (i % 3) * 11}" font-size="10" fill="${MARK_COLOR[m.kind]}">${escapeHtml(m.label)}</text>`,
    )
    .join('');
  const lines = c.series
    .map((s) => {
      if (s.points.length === 0) return '';
      if (s.dots)
        return s.points
          .map((p) => `<circle cx="${r1(x(p.atMs))}" cy="${r1(y(p.value))}" r="3" fill="${s.color}"/>`)
          .join('');
      const pts = s.points.map((p) => `${r1(x(p.atMs))},${r1(y(p.value))}`).join(' ');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"><title>${escapeHtml(s.name)}</title></polyline>`;
    })
    .join('');
  const legend = c.series
    .map(
      (s, i) =>
        `<rect x="${PAD.left + i * 150}" y="${H - 10}" width="10" height="4" fill="${s.color}"/><text x="${PAD.left + 14 + i * 150}" y="${H - 5}" font-size="10">${escapeHtml(s.name)}</text>`,
    )
    .join('');
  const seconds = Math.round(span / 1000);
  return `<svg viewBox="0 0 ${W} ${H + 6}" width="100%" role="img" aria-label="${escapeHtml(c.title)}" xmlns="http://www.w3.org/2000/svg">
<text x="${PAD.left}" y="12" font-size="12" font-weight="600">${escapeHtml(c.title)}</text><text x="${W - PAD.right}" y="12" font-size="10" text-anchor="end">${seconds} s</text>
${grid}${marks}${lines}${legend}</svg>`;
}
