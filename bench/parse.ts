// Parse benchmarks (issue 2 §6): parse+normalize of the real DSE and GPW archive pages relative to a
// bare htmlparser2 tokenization of the same bytes, and a synthetic 20,000-row GPW archive page for
// rows/s and peak RSS. Peak RSS is measured in a child process so the harness's own heap is not counted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'htmlparser2';
import { parsePage } from '../ingest/source/index.ts';
import { DAILY_PAGE_MAX_BYTES } from '../ingest/source/types.ts';
import { round } from './stats.ts';

const PAGES = fileURLToPath(new URL('../test/fixtures/pages/real/', import.meta.url));
const DSE = `${PAGES}dse-dhaka/latest_share_price_scroll_l_2026-04-23.html`;
const GPW = `${PAGES}gpw-warsaw/price-archive-full_equities_2021-01-04_en.html`;
/**
 * Rows of the synthetic archive page: as many as fit under the cap a daily page has (4 MiB; issue 18
 * gave whole-history series their own, larger one), so the figures are for the largest page ingest takes.
 */
const SYNTHETIC_ROWS = syntheticRowsUnderCap();

/** Best wall time (ms) of `fn` after `warmup` untimed runs: the least disturbed by other load on the host. */
function bestMs(fn: () => void, warmup: number, runs: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

/** The baseline: bytes → string → htmlparser2 tokenizer/parser with no handlers. */
function bareTokenize(body: Buffer): void {
  const parser = new Parser({});
  parser.end(body.toString('utf8'));
}

function parseRatio(file: string, source: string): number {
  const body = readFileSync(file);
  // Interleave the two measurements so CPU frequency drift affects both alike.
  let parse = 0;
  let bare = 0;
  for (let round = 0; round < 3; round++) {
    parse += bestMs(() => parsePage({ body }, { source }), 3, 9);
    bare += bestMs(() => bareTokenize(body), 3, 9);
  }
  return parse / bare;
}

/** A GPW archive page with `rows` rows, cycling the real page's rows with unique names. */
export function syntheticArchive(rows: number): Buffer {
  const text = readFileSync(GPW, 'utf8');
  const start = text.indexOf('<table class="table footable"');
  const headEnd = text.indexOf('</thead>', start) + '</thead>'.length;
  const end = text.indexOf('</table>', headEnd);
  const real = text.slice(headEnd, end).match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
  const parts: string[] = [text.slice(0, headEnd)];
  for (let i = 0; i < rows; i++) {
    parts.push(
      real[i % real.length]!.replace(/<td class="left">([^<]+)<\/td>/, `<td class="left">$1_${i}</td>`),
    );
  }
  parts.push(text.slice(end));
  return Buffer.from(parts.join('\n'));
}

function syntheticRowsUnderCap(): number {
  const probe = 1_000;
  const bytesPerRow = syntheticArchive(probe * 2).length - syntheticArchive(probe).length;
  const frame = syntheticArchive(probe).length - probe * bytesPerRow;
  return Math.floor((DAILY_PAGE_MAX_BYTES - frame) / (bytesPerRow * 1.01));
}

function rowsPerSecond(): number {
  const body = syntheticArchive(SYNTHETIC_ROWS);
  const ms = bestMs(
    () => {
      const r = parsePage({ body }, { source: 'gpw-archive' });
      if (r.quotes.length !== SYNTHETIC_ROWS)
        throw new Error(`synthetic page gave ${r.quotes.length} quotes`);
    },
    1,
    5,
  );
  return SYNTHETIC_ROWS / (ms / 1000);
}

/**
 * Peak RSS (MiB) of a fresh process that reads the synthetic page's bytes from a file and parses
 * them once, as `exchange parse <file>` does (and as ingest does with fetched bytes). The page is
 * built here, not in the child: building it from strings costs more memory than parsing it, and
 * that scaffolding is not what the figure is about.
 */
function peakRssMiB(): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-parse-'));
  try {
    const file = join(dir, 'synthetic.html');
    writeFileSync(file, syntheticArchive(SYNTHETIC_ROWS));
    const self = fileURLToPath(import.meta.url);
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--rss-child', file], {
      encoding: 'utf8',
    });
    return Number(out.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, number>> {
  return {
    parseRatioDse: round(parseRatio(DSE, 'dse'), 2),
    parseRatioGpw: round(parseRatio(GPW, 'gpw-archive'), 2),
    rowsPerSecond: Math.round(rowsPerSecond()),
    peakRssMiB: round(peakRssMiB(), 1),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const child = process.argv.indexOf('--rss-child');
  if (child !== -1) {
    const r = parsePage({ body: readFileSync(process.argv[child + 1]!) }, { source: 'gpw-archive' });
    if (r.quotes.length !== SYNTHETIC_ROWS) process.exitCode = 1;
    // maxRSS is in KiB.
    process.stdout.write(`${process.resourceUsage().maxRSS / 1024}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(await run())}\n`);
  }
}
