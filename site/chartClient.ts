// The chart page's script, published as assets/chart.<hash>.js: draws the symbol the URL fragment
// names over 1 month, 1 year or all time, from its series file and the history window. The SVG is
// sized to its box in CSS pixels (no viewBox scaling), so its labels stay 12 px on a phone; a range
// with more points than the box has room for is drawn from the last close of each bucket of days.
// Kept as a string so rendering stays pure; the browser test exercises it.

export const CHART_JS = `// Charts of one symbol's closes. Data: the symbol's series file and the history window.
(function () {
  'use strict';
  var box = document.getElementById('chart');
  if (!box || !window.fetch) return;
  var SVG = 'http://www.w3.org/2000/svg';
  var RANGES = [['1m', '1 month'], ['1y', '1 year'], ['all', 'All time']];
  var range = '1y';
  var windowData = null;
  var seriesCache = {};
  var current = null;

  function el(name, attrs, text) {
    var e = document.createElementNS(name === 'svg' || /^(polyline|text|line|title|desc|g|circle)$/.test(name) ? SVG : 'http://www.w3.org/1999/xhtml', name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function json(url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ' ' + r.status); return r.json(); });
  }
  function text(url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ' ' + r.status); return r.text(); });
  }
  function decimals(n) {
    var s = String(n);
    return s.indexOf('e') >= 0 ? 6 : (s.split('.')[1] || '').length;
  }
  function points(symbol, seriesText) {
    var out = [];
    var through = box.getAttribute('data-through') || '';
    if (seriesText) {
      seriesText.split('\\n').forEach(function (line) {
        var m = /^(\\d{4}-\\d{2}-\\d{2}),(-?[\\d.eE+-]+)$/.exec(line.trim());
        if (m) out.push([m[1], Number(m[2])]);
      });
    }
    var w = windowData || { dates: [], closes: {} };
    var values = w.closes[symbol] || [];
    w.dates.forEach(function (d, i) {
      if (d > through && typeof values[i] === 'number') out.push([d, values[i]]);
    });
    return out;
  }
  function since(last, which) {
    if (which === 'all') return '';
    var d = new Date(last + 'T00:00:00Z');
    if (which === '1m') d.setUTCMonth(d.getUTCMonth() - 1); else d.setUTCFullYear(d.getUTCFullYear() - 1);
    return d.toISOString().slice(0, 10);
  }
  /** At most n points: the last close of each of n buckets of consecutive days. */
  function reduce(pts, n) {
    if (pts.length <= n) return pts;
    var out = [];
    var size = pts.length / n;
    for (var i = 1; i <= n; i++) out.push(pts[Math.min(pts.length - 1, Math.round(i * size) - 1)]);
    return out;
  }
  function fmt(v, places) {
    return v.toLocaleString('en-GB', { minimumFractionDigits: places, maximumFractionDigits: places });
  }

  function draw() {
    if (!current) return;
    var heading = document.getElementById('chart-h');
    while (box.lastChild && box.lastChild !== heading) box.removeChild(box.lastChild);
    var all = current.points;
    heading.textContent = current.label + (current.name ? ' \\u2014 ' + current.name : '');
    var nav = el('div', { class: 'range', role: 'group', 'aria-label': 'Range' });
    RANGES.forEach(function (r) {
      var b = el('button', { type: 'button', class: 'button', 'aria-pressed': String(r[0] === range) }, r[1]);
      b.addEventListener('click', function () { range = r[0]; draw(); });
      nav.appendChild(b);
    });
    box.appendChild(nav);
    if (all.length === 0) {
      box.appendChild(el('p', { class: 'status' }, 'No closes published for ' + current.symbol + '.'));
      return;
    }
    var last = all[all.length - 1][0];
    var from = since(last, range);
    var shown = all.filter(function (p) { return p[0] >= from; });
    var places = 0;
    shown.forEach(function (p) { places = Math.max(places, decimals(p[1])); });
    places = Math.min(places, 6);
    if (shown.length < 2) {
      box.appendChild(el('p', { class: 'status single' }, 'One close in this range: ' + fmt(shown[0][1], places) + ' on ' + shown[0][0] + '. The chart starts from two.'));
      links(all);
      return;
    }
    var width = Math.max(240, box.clientWidth - 32);
    var height = width < 480 ? 200 : 260;
    var left = 8, right = 72, top = 12, bottom = 28;
    var drawn = reduce(shown, Math.max(60, Math.floor((width - left - right) / 2)));
    var values = drawn.map(function (p) { return p[1]; });
    var min = Math.min.apply(null, values), max = Math.max.apply(null, values);
    var span = max - min || 1;
    var step = (width - left - right) / (drawn.length - 1);
    var line = drawn.map(function (p, i) {
      var x = left + i * step;
      var y = top + (1 - (p[1] - min) / span) * (height - top - bottom);
      return Math.round(x * 10) / 10 + ',' + Math.round(y * 10) / 10;
    }).join(' ');
    var desc = shown.length + ' closes from ' + shown[0][0] + ' to ' + last + (drawn.length < shown.length ? ' (drawn as ' + drawn.length + ' points)' : '') + ': low ' + fmt(min, places) + ', high ' + fmt(max, places) + ', last ' + fmt(shown[shown.length - 1][1], places);
    var svg = el('svg', { class: 'chart chart-close', width: String(width), height: String(height), role: 'img', 'aria-labelledby': 'chart-t chart-d' });
    svg.appendChild(el('title', { id: 'chart-t' }, current.label));
    svg.appendChild(el('desc', { id: 'chart-d' }, desc));
    svg.appendChild(el('line', { x1: String(left), x2: String(width - right), y1: String(height - bottom), y2: String(height - bottom), class: 'axis' }));
    svg.appendChild(el('polyline', { points: line, class: 'close-line' }));
    svg.appendChild(el('text', { x: String(width - right + 6), y: String(top + 10), class: 'axis-label' }, fmt(max, places)));
    svg.appendChild(el('text', { x: String(width - right + 6), y: String(height - bottom), class: 'axis-label' }, fmt(min, places)));
    svg.appendChild(el('text', { x: String(left), y: String(height - 8), class: 'axis-label' }, shown[0][0]));
    svg.appendChild(el('text', { x: String(width - right), y: String(height - 8), 'text-anchor': 'end', class: 'axis-label' }, last));
    box.appendChild(svg);
    box.appendChild(el('p', { class: 'status' }, desc + '.'));
    links(all);
  }
  function links(all) {
    var p = el('p', { class: 'downloads' });
    if (current.series) {
      var a = el('a', { class: 'button', href: current.series, download: box.getAttribute('data-source') + '-' + current.symbol.replace(/[^A-Za-z0-9-]/g, '_') + '-to-' + (box.getAttribute('data-through') || '') + '.csv' }, 'Download the series (CSV, to ' + box.getAttribute('data-through') + ')');
      p.appendChild(a);
    }
    var w = el('a', { class: 'button', href: box.getAttribute('data-window'), download: box.getAttribute('data-source') + '-last-30-days.json' }, 'Last 30 days (JSON)');
    p.appendChild(w);
    box.appendChild(p);
  }
  function show() {
    var id = decodeURIComponent(location.hash.slice(1));
    var item = id && document.getElementById(id);
    var link = item && item.querySelector('a[data-symbol]');
    if (!link) return;
    var symbol = link.getAttribute('data-symbol');
    var series = link.getAttribute('data-series');
    var loads = [windowData ? Promise.resolve(windowData) : json(box.getAttribute('data-window'))];
    if (series) loads.push(seriesCache[series] !== undefined ? Promise.resolve(seriesCache[series]) : text(series));
    Promise.all(loads).then(function (r) {
      windowData = r[0];
      if (series) seriesCache[series] = r[1];
      current = { symbol: symbol, label: link.getAttribute('data-label') || symbol, name: link.getAttribute('data-name'), series: series, points: points(symbol, series ? r[1] : '') };
      draw();
    }, function (e) {
      box.appendChild(el('p', { class: 'status' }, 'The chart data could not be loaded (' + e.message + ').'));
    });
  }
  window.addEventListener('hashchange', show);
  var resizing;
  window.addEventListener('resize', function () { clearTimeout(resizing); resizing = setTimeout(draw, 150); });
  show();
})();
`;
