// The page's stylesheet, published as assets/site.css. A separate file (not inline) so the page
// works under `style-src 'self'`. Colours meet WCAG AA contrast on their backgrounds.

export const SITE_CSS = `:root {
  --bg: #f6f8fa; --card: #ffffff; --text: #1f2328; --muted: #59636e; --line: #d0d7de; --soft: #eaeef2;
  --link: #0550ae; --up: #1a7f37; --down: #cf222e; --flat: #6e7781; --focus: #0969da;
  --radius: 10px; --shadow: 0 1px 2px rgba(31, 35, 40, 0.06), 0 1px 8px rgba(31, 35, 40, 0.04);
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
}
a { color: var(--link); text-underline-offset: 2px; }
a:focus-visible, button:focus-visible, input:focus-visible, .table-scroll:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px;
}
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 16px; }
/* A wide window gets the width: the Warsaw quotations table (14 columns) is 1306 px. */
@media (min-width: 1360px) { .wrap { max-width: 1640px; } }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 16px; top: 8px; background: var(--card); padding: 6px 10px; border-radius: 6px; z-index: 10; }

.masthead { background: var(--card); border-bottom: 1px solid var(--line); padding: 20px 0 18px; }
.masthead .wrap { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: flex-end; justify-content: space-between; }
.eyebrow { margin: 0; font-size: 12px; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }
h1 { margin: 2px 0 4px; font-size: clamp(22px, 4vw, 32px); line-height: 1.2; letter-spacing: -0.01em; }
.lede { margin: 0; color: var(--muted); }
.badge {
  display: inline-flex; align-items: center; gap: 8px; padding: 6px 12px; border-radius: 999px;
  font-weight: 600; font-size: 13px; border: 1px solid transparent; white-space: nowrap;
}
.badge::before { content: ""; width: 10px; height: 10px; border-radius: 50%; background: currentColor; }
/* The serving side's /env.css shows it and names its colour; read straight from the bucket it stays hidden. */
.env-badge { display: none; }

main { padding: 20px 0 8px; }
section { margin: 0 0 20px; }
h2 { font-size: 17px; margin: 0 0 10px; letter-spacing: -0.005em; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 16px; }

.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 0; }
.stat { margin: 0; }
.stat dt { font-size: 13px; color: var(--muted); }
.stat dd { margin: 2px 0 0; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.stat.up dd { color: var(--up); }
.stat.down dd { color: var(--down); }

.breadth .chart-breadth { display: block; width: 100%; height: 18px; border-radius: 6px; overflow: hidden; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0; padding: 0; list-style: none; font-size: 14px; color: var(--muted); }
.legend li::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; background: var(--key); }
.legend .k-up { --key: var(--up); } .legend .k-down { --key: var(--down); }
.legend .k-unchanged { --key: #8c959f; } .legend .k-unknown { --key: var(--line); }
.legend strong { color: var(--text); font-variant-numeric: tabular-nums; }

.movers { display: grid; grid-template-columns: 1fr; gap: 16px; }
@media (min-width: 760px) { .movers { grid-template-columns: 1fr 1fr; } }
.movers h3 { margin: 0 0 8px; font-size: 15px; }
.movers h3.up { color: var(--up); } .movers h3.down { color: var(--down); }
.chart-movers { display: block; width: 100%; }
.chart text { font: 14px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; }
.chart .bar-label { font-weight: 600; }
.chart .bar-value { font-variant-numeric: tabular-nums; }

.toolbar { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; justify-content: space-between; margin: 0 0 12px; }
.toolbar label { font-weight: 600; font-size: 14px; margin-right: 8px; }
.toolbar input {
  font: inherit; padding: 7px 10px; border: 1px solid var(--line); border-radius: 8px; min-width: 0; width: 260px; max-width: 100%;
}
.downloads { display: flex; gap: 8px; flex-wrap: wrap; }
.button {
  display: inline-block; padding: 6px 12px; border: 1px solid var(--line); border-radius: 8px; background: var(--soft);
  color: var(--text); text-decoration: none; font-weight: 600; font-size: 14px;
}
.button:hover { background: #dde3e9; }
.status { font-size: 13px; color: var(--muted); margin: 0 0 8px; min-height: 1.2em; }
.table-note { font-size: 13px; color: var(--muted); margin: 0 0 10px; max-width: 100ch; }

.table-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: var(--radius); background: var(--card); max-height: 75vh; overflow-y: auto; }
table.quotes { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 14px; }
table.quotes caption { text-align: left; padding: 10px 12px; font-size: 13px; color: var(--muted); caption-side: top; }
table.quotes th, table.quotes td { padding: 7px 9px; border-bottom: 1px solid var(--soft); white-space: nowrap; }
table.quotes thead th {
  position: sticky; top: 0; z-index: 2; background: #f0f3f6; font-size: 13px; font-weight: 650; color: var(--text);
  border-bottom: 1px solid var(--line); text-align: left;
}
table.quotes .num { text-align: right; font-variant-numeric: tabular-nums; }
table.quotes thead th.num { text-align: right; }
table.quotes tbody th { text-align: left; font-weight: 650; position: sticky; left: 0; background: var(--card); z-index: 1; }
table.quotes tbody tr:nth-child(even) td, table.quotes tbody tr:nth-child(even) th { background: #fafbfc; }
table.quotes tbody tr:hover td, table.quotes tbody tr:hover th { background: #f3f6f9; }
table.quotes tr[hidden] { display: none; }
table.quotes td.up { color: var(--up); } table.quotes td.down { color: var(--down); }
table.quotes td.missing { color: var(--muted); }
.unit { font-weight: 500; color: var(--muted); font-size: 11px; }
button.sort {
  all: unset; cursor: pointer; display: inline-flex; align-items: center; gap: 4px; border-radius: 4px;
}
button.sort:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.sort-icon::after { content: "\\2195"; color: var(--muted); font-size: 11px; }
th[aria-sort="ascending"] .sort-icon::after { content: "\\25B2"; color: var(--text); }
th[aria-sort="descending"] .sort-icon::after { content: "\\25BC"; color: var(--text); }

/* Long names wrap between words (never inside one: "ACAUTOGA /Z" stays whole), so the numbers fit. */
table.quotes td.c-name { white-space: normal; min-width: 10ch; max-width: 24ch; overflow-wrap: normal; word-break: normal; hyphens: manual; }
table.quotes th a { color: inherit; text-decoration-color: var(--line); }
table.quotes .spark-cell { padding-top: 2px; padding-bottom: 2px; }
.spark { display: block; }

.days { display: flex; flex-wrap: wrap; gap: 10px 28px; align-items: flex-start; margin: 0 0 20px; }
.day-links { display: flex; gap: 8px; flex-wrap: wrap; }
.nav-h { font-size: 13px; margin: 0 0 4px; color: var(--muted); font-weight: 600; }
.day-list, .year-list { display: flex; flex-wrap: wrap; gap: 4px 10px; margin: 0; padding: 0; list-style: none; font-variant-numeric: tabular-nums; font-size: 14px; }
.day-month { max-width: 520px; }
.day-years { flex: 1 1 320px; }
.nav-foot { margin: 6px 0 0; font-size: 13px; }

.months { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 12px; }
.month h2 { font-size: 15px; }
table.calendar { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
table.calendar th { color: var(--muted); font-weight: 600; padding: 2px; }
table.calendar td { text-align: center; padding: 3px 0; color: var(--muted); }
table.calendar td.on a { font-weight: 650; }

.chart-card { margin: 0 0 20px; min-height: 200px; }
.chart-close { display: block; max-width: 100%; }
.chart-close .close-line { fill: none; stroke: var(--text); stroke-width: 2; }
.chart-close .axis { stroke: var(--line); }
.chart text.axis-label { font-size: 12px; fill: var(--muted); }
.range { display: flex; gap: 6px; margin: 0 0 10px; }
.range .button[aria-pressed="true"] { background: var(--text); color: var(--card); border-color: var(--text); }
.symbol-list { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 0; padding: 0; list-style: none; }

.sources { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 16px; }
.source-card h2 { font-size: 18px; margin: 0 0 4px; }
.move { display: flex; gap: 18px; margin: 12px 0; }
.move dt { font-size: 12px; color: var(--muted); }
.move dd { margin: 0; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.move .up dd, span.up { color: var(--up); } .move .down dd, span.down { color: var(--down); }

footer { border-top: 1px solid var(--line); background: var(--card); margin-top: 28px; padding: 18px 0 28px; font-size: 14px; color: var(--muted); }
.provenance { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 10px 20px; margin: 0 0 12px; }
.provenance dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; }
.provenance dd { margin: 2px 0 0; color: var(--text); font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }

.error-page { max-width: 640px; margin: 12vh auto; padding: 0 16px; text-align: center; }
.error-page .code { font-size: 64px; font-weight: 750; color: var(--line); margin: 0; line-height: 1; }

@media (max-width: 520px) {
  body { font-size: 14px; }
  .card { padding: 12px; }
  .stat dd { font-size: 20px; }
  table.quotes th, table.quotes td { padding: 6px 8px; }
  .chart text { font-size: 13px; }
}
@media print {
  .toolbar, .skip { display: none; }
  .table-scroll { max-height: none; overflow: visible; }
}
`;

/**
 * The stylesheet `serve` answers at /env.css: the environment badge of the colour serving the page
 * (the badge is empty and hidden in SITE_CSS, so a page read straight from the bucket shows none).
 * Only a plain colour name is written into the CSS; anything else shows as "unknown".
 */
export function envCss(color: string | undefined): string {
  if (!color) return '/* no environment colour: the badge stays hidden */\n';
  const name = /^[a-z0-9-]{1,32}$/.test(color) ? color : 'unknown';
  const palette: Record<string, string> = {
    blue: 'background: #ddf4ff; color: #0550ae; border-color: #80ccff;',
    green: 'background: #dafbe1; color: #116329; border-color: #7ee2a8;',
  };
  return `.env-badge { display: inline-flex; ${palette[name] ?? 'background: #eaeef2; color: #59636e; border-color: #d0d7de;'} }
.env-badge::after { content: "${name} environment"; }
`;
}
