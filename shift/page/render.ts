// A release you can look at: one self-contained HTML page (inline SVG and CSS, no script, nothing
// fetched) from a shift's timeline — weights over time with the observed split, each colour's
// requests, 5xx and latency per judged window, every decision marked, every gate result listed.
// Pure: the timeline (and, for a rehearsal, the load's split per second) in, the page out.
import type { ShiftEvent, WindowFigures } from '../port.ts';
import type { Timeline } from '../timeline.ts';
import { escapeHtml, lineChart, type Marker, type Series } from './svg.ts';

export interface PagePoint {
  atMs: number;
  /** The new colour's share, 0–100. */
  value: number;
}

export interface PageInput {
  timeline: Timeline;
  /** What the users' answers showed per second (a rehearsal's load), the new colour's share. */
  observed?: PagePoint[];
  /** Refresh every N seconds (the live admin page while a shift runs). */
  refreshSeconds?: number;
  /** A line under the title: status, verdict. */
  summary?: string;
}

const MARKED = new Set([
  'write',
  'split-confirmed',
  'pause',
  'resume',
  'promote',
  'abort',
  'rollback',
  'done',
  'error',
]);
const SOURCE_ORDER = ['router', 'emf', 'alb', 'probe'];

const t = (e: ShiftEvent): number => Date.parse(e.time);

function markers(events: ShiftEvent[]): Marker[] {
  return events
    .filter((e) => MARKED.has(e.action))
    .map((e) => ({
      atMs: t(e),
      label: e.action === 'write' ? `step ${e.step}` : e.action,
      kind:
        e.action === 'rollback' || e.action === 'abort' || e.action === 'error'
          ? 'bad'
          : e.action === 'pause' || e.action === 'resume'
            ? 'hold'
            : 'info',
    }));
}

/** The new colour's written weight, as a step line from each write (and the rollback). */
function weightSeries(tl: Timeline): PagePoint[] {
  const out: PagePoint[] = [];
  for (const e of tl.events) {
    if (e.weights === undefined || !['write', 'rollback', 'abort'].includes(e.action)) continue;
    const total = e.weights.blue + e.weights.green;
    const v = total === 0 ? 0 : (e.weights[tl.to] / total) * 100;
    const last = out.at(-1);
    if (last !== undefined) out.push({ atMs: t(e), value: last.value });
    out.push({ atMs: t(e), value: v });
  }
  const end = tl.events.at(-1);
  const last = out.at(-1);
  if (end !== undefined && last !== undefined) out.push({ atMs: t(end), value: last.value });
  return out;
}

/** The split gate's samples ("green 10% of 400"). */
function splitSamples(tl: Timeline): PagePoint[] {
  return tl.events.flatMap((e) => {
    const m = e.gate === 'split' ? /(\d+(?:\.\d+)?)% of/.exec(e.value ?? '') : null;
    return m ? [{ atMs: t(e), value: Number(m[1]) }] : [];
  });
}

interface Judged {
  atMs: number;
  event: ShiftEvent;
  byColor: Partial<Record<string, WindowFigures>>;
}

/** Each canary judgment with the figures of its main source (router locally, EMF on AWS). */
function judgments(tl: Timeline): Judged[] {
  return tl.events
    .filter((e) => e.gate === 'canary' && e.windows !== undefined)
    .map((e) => {
      const w = e.windows ?? [];
      const source =
        SOURCE_ORDER.find((s) => w.some((x) => x.source === s && x.requests > 0)) ?? w[0]?.source;
      const byColor = Object.fromEntries(w.filter((x) => x.source === source).map((x) => [x.color, x]));
      return { atMs: t(e), event: e, byColor };
    });
}

function perColour(js: Judged[], colors: string[], f: (w: WindowFigures) => number | null): Series[] {
  return colors.map((c) => ({
    name: c,
    color: c === 'blue' ? '#2563eb' : '#16a34a',
    points: js.flatMap((j) => {
      const w = j.byColor[c];
      const v = w === undefined ? null : f(w);
      return v === null ? [] : [{ atMs: j.atMs, value: v }];
    }),
  }));
}

const cell = (s: string | number | null | undefined): string =>
  `<td>${escapeHtml(s === null || s === undefined ? '—' : String(s))}</td>`;
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
const fmt = (v: number | null, unit = ''): string => (v === null ? '—' : `${Math.round(v * 10) / 10}${unit}`);

function windowRows(tl: Timeline, js: Judged[]): string {
  return js
    .map((j) => {
      const figs = [tl.to, tl.from].map((c) => {
        const w = j.byColor[c];
        if (w === undefined) return `${cell('—')}${cell('—')}${cell('—')}`;
        const share = w.requests > 0 ? (w.errors5xx / w.requests) * 100 : null;
        return `${cell(`${w.requests}`)}${cell(`${w.errors5xx} (${fmt(share, ' %')})`)}${cell(`${fmt(w.p50Ms, ' ms')} / ${fmt(w.p99Ms, ' ms')}`)}`;
      });
      return `<tr class="${j.event.outcome}">${cell(clock(j.atMs))}${figs.join('')}${cell(j.event.outcome)}${cell(j.event.value)}</tr>`;
    })
    .join('\n');
}

function eventRows(events: ShiftEvent[]): string {
  return events
    .map(
      (e) =>
        `<tr class="${e.outcome ?? e.action}">${cell(clock(t(e)))}${cell(e.step)}${cell(e.gate ?? e.action)}${cell(e.outcome ?? '')}${cell(e.value ?? e.message ?? '')}${cell(e.threshold ?? '')}</tr>`,
    )
    .join('\n');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}.summary{color:#444}
table{border-collapse:collapse;width:100%;font-size:12px}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
tr.fail td{background:#fee2e2}tr.rollback td,tr.abort td{background:#fecaca;font-weight:600}tr.no-data td{color:#92400e}
svg{display:block;margin:4px 0 12px}details summary{cursor:pointer;margin:12px 0}`;

export function renderReleasePage(p: PageInput): string {
  const tl = p.timeline;
  const ev = tl.events;
  const start = ev[0] === undefined ? 0 : t(ev[0]);
  const end = ev.at(-1) === undefined ? start + 1 : Math.max(t(ev.at(-1)!), start + 1);
  const range = { fromMs: start, toMs: end };
  const marks = markers(ev);
  const js = judgments(tl);
  const colors = [tl.to, tl.from];
  const weights = lineChart({
    title: `${tl.to}'s share, % (written weight; observed split)`,
    range,
    yMax: 100,
    markers: marks,
    series: [
      { name: 'written weight', color: '#111', points: weightSeries(tl), step: true },
      { name: 'split check', color: '#9333ea', points: splitSamples(tl), dots: true },
      ...(p.observed?.length ? [{ name: 'users saw (per s)', color: '#f59e0b', points: p.observed }] : []),
    ],
  });
  const errors = lineChart({
    title: '5xx, % of each colour’s requests per judged window',
    range,
    markers: marks,
    series: perColour(js, colors, (w) => (w.requests > 0 ? (w.errors5xx / w.requests) * 100 : null)),
  });
  const latency = lineChart({
    title: 'p50 latency, ms, per judged window',
    range,
    markers: marks,
    series: perColour(js, colors, (w) => w.p50Ms),
  });
  const requests = lineChart({
    title: 'requests per judged window',
    range,
    markers: marks,
    series: perColour(js, colors, (w) => w.requests),
  });
  const decisions = ev.filter((e) => e.gate === undefined);
  const head = `<tr><th>time</th><th>${tl.to} req</th><th>${tl.to} 5xx</th><th>${tl.to} p50 / p99</th><th>${tl.from} req</th><th>${tl.from} 5xx</th><th>${tl.from} p50 / p99</th><th>canary</th><th>what it compared</th></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
${p.refreshSeconds ? `<meta http-equiv="refresh" content="${p.refreshSeconds}">` : ''}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>shift ${escapeHtml(tl.shiftId)} ${escapeHtml(tl.from)} → ${escapeHtml(tl.to)}</title>
<style>${STYLE}</style></head><body>
<h1>Shift ${escapeHtml(tl.shiftId)}: ${escapeHtml(tl.from)} → ${escapeHtml(tl.to)}${tl.plan ? `, ${escapeHtml(tl.plan.strategy)}` : ''}</h1>
<p class="summary">${escapeHtml(p.summary ?? '')} · ${ev.length} events from ${escapeHtml(ev[0]?.time ?? '—')} to ${escapeHtml(ev.at(-1)?.time ?? '—')}${p.refreshSeconds ? ` · refreshes every ${p.refreshSeconds} s` : ''}</p>
<h2>Weights and observed split</h2>${weights}
<h2>Each colour per judged window</h2>${requests}${errors}${latency}
<h2>Decisions</h2><table><tr><th>time</th><th>step</th><th>action</th><th></th><th>what</th><th></th></tr>${eventRows(decisions)}</table>
<h2>Canary judgments (${js.length})</h2><table>${head}${windowRows(tl, js)}</table>
<details><summary>Every gate result (${ev.length - decisions.length})</summary><table><tr><th>time</th><th>step</th><th>gate</th><th>outcome</th><th>value</th><th>needs</th></tr>${eventRows(ev.filter((e) => e.gate !== undefined))}</table></details>
</body></html>
`;
}
