// The page's only script, published as assets/site.js: sorting and filtering as progressive
// enhancement (the table is complete without it). Kept as a string so rendering stays pure and the
// file is byte-identical on every publish; the browser test exercises it.

export const SITE_JS = `// Sort and filter the quotes table. The page works without this file.
(function () {
  'use strict';
  var table = document.getElementById('quotes');
  if (!table || !table.tBodies[0]) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var status = document.getElementById('table-status');
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

  function announce(text) {
    if (status) status.textContent = text;
  }

  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    if (!cell) return null;
    if (kind === 'num') {
      var v = cell.getAttribute('data-v');
      return v === null || v === '' ? null : Number(v);
    }
    var t = cell.textContent.trim();
    return t === '' || t === '\\u2014' ? null : t;
  }

  function compare(a, b, kind, sign) {
    // Missing values always sort last, whichever the direction.
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    return sign * (kind === 'num' ? a - b : collator.compare(a, b));
  }

  function sortBy(th, index) {
    var kind = th.getAttribute('data-sort');
    var next = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    var sign = next === 'ascending' ? 1 : -1;
    headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', next);
    var keyed = rows.map(function (row, i) { return { row: row, i: i, v: cellValue(row, index, kind) }; });
    keyed.sort(function (x, y) { return compare(x.v, y.v, kind, sign) || x.i - y.i; });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.row); });
    tbody.appendChild(frag);
    announce('Sorted by ' + th.textContent.trim() + ', ' + next + '.');
  }

  headers.forEach(function (th, index) {
    if (!th.hasAttribute('data-sort')) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    while (th.firstChild) button.appendChild(th.firstChild);
    var icon = document.createElement('span');
    icon.className = 'sort-icon';
    icon.setAttribute('aria-hidden', 'true');
    button.appendChild(icon);
    th.appendChild(button);
    button.addEventListener('click', function () { sortBy(th, index); });
  });

  var filter = document.getElementById('filter');
  var filterBox = document.getElementById('filter-box');
  if (filter && filterBox) {
    filterBox.hidden = false;
    filter.addEventListener('input', function () {
      var q = filter.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var match = q === '' || (row.getAttribute('data-search') || '').indexOf(q) !== -1;
        row.hidden = !match;
        if (match) shown++;
      });
      announce(q === '' ? 'Showing all ' + rows.length + ' instruments.' : 'Showing ' + shown + ' of ' + rows.length + ' instruments.');
    });
  }
})();
`;
