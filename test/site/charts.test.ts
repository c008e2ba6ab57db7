import assert from 'node:assert/strict';
import type { Quote } from '../../contract/quote.ts';
import { breadthChart, breadthSegments, moversChart } from '../../site/charts.ts';
import { summarize } from '../../site/summary.ts';

const q = (symbol: string, changePercent: number, name?: string): Quote => ({
  source: 't',
  date: '2026-04-23',
  symbol,
  changePercent,
  ...(name ? { name } : {}),
});

function widths(svg: string): number[] {
  return [...svg.matchAll(/<rect x="[\d.]+%?" y="[\d.]+" width="([\d.]+)%?"/g)].map((m) => Number(m[1]));
}

describe('site charts', () => {
  const pct = (n: number): string => `${n > 0 ? '+' : ''}${n.toFixed(2)}%`;

  it('draws one bar per mover, proportional to a shared scale, with an accessible title and desc', () => {
    const s = summarize([q('AAA', 10), q('BBB', 5), q('CCC', -20)]);
    const svg = moversChart({
      id: 'up',
      title: 'Top gainers',
      movers: s.gainers,
      tone: 'up',
      scaleMax: 20,
      formatPercent: pct,
    });
    assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="up-title up-desc"/);
    assert.match(svg, /<title id="up-title">Top gainers<\/title>/);
    assert.match(svg, /<desc id="up-desc">AAA \+10\.00%, BBB \+5\.00%<\/desc>/);
    const [a, b] = widths(svg);
    assert.ok(a && b, 'two bars');
    assert.equal(Math.round((a / b) * 100) / 100, 2);
    // 10 % of a 20 % scale is half the bar span (48 % of the chart's width).
    assert.equal(a, 24);
    assert.doesNotMatch(svg, /style=/, 'no inline style (CSP)');
    // Sized by its card, never scaled: its 14 px labels stay 14 px on a phone.
    assert.doesNotMatch(svg, /viewBox=/);
    assert.match(svg, /^<svg [^>]*width="100%"/);
  });

  it('escapes symbols and names and clips long labels', () => {
    const evil = '<script>alert("x")</script>';
    const s = summarize([q('VERYLONGSYMBOL123', 3, evil), q('"><b>', 2)]);
    const svg = moversChart({
      id: 'm',
      title: 'T & "x"',
      movers: s.gainers,
      tone: 'up',
      scaleMax: 3,
      formatPercent: pct,
    });
    assert.doesNotMatch(svg, /<script|<b>/);
    assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)/);
    assert.match(svg, />VERYLONGSYM…</);
    assert.match(svg, /<title id="m-title">T &amp; &quot;x&quot;<\/title>/);
  });

  it('says so when nothing moved', () => {
    const svg = moversChart({
      id: 'd',
      title: 'Losers',
      movers: [],
      tone: 'down',
      scaleMax: 0,
      formatPercent: pct,
    });
    assert.match(svg, /None today/);
    assert.match(svg, /No instruments moved in this direction/);
  });

  it('splits breadth into segments that fill the bar in order', () => {
    const s = { ...summarize([]), advancers: 3, unchanged: 1, decliners: 4, unknown: 0 };
    const segs = breadthSegments(s);
    assert.deepEqual(
      segs.map((g) => [g.key, g.count, g.x, g.width]),
      [
        ['up', 3, 0, 37.5],
        ['unchanged', 1, 37.5, 12.5],
        ['down', 4, 50, 50],
      ],
    );
    const svg = breadthChart(s);
    assert.match(svg, /role="img"/);
    assert.match(svg, /<desc id="breadth-desc">3 advancing, 1 unchanged, 4 declining<\/desc>/);
    assert.deepEqual(widths(svg), [37.5, 12.5, 50]);
  });

  it('draws an empty breadth bar for an empty day', () => {
    assert.deepEqual(breadthSegments(summarize([])), []);
    assert.match(breadthChart(summarize([])), /No instruments\./);
  });
});
