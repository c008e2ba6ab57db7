// Hostile and degenerate pages: deep nesting (quadratic in htmlparser2), decoy tables, and the
// size limit of `exchange parse`. Each must fail fast with a clear error or parse correctly.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLines, runCli } from '../../helpers/spawn.ts';
import { page, REAL } from './helpers.ts';
import { NestingTooDeepError } from '../../../ingest/parse/errors.ts';
import { LayoutError } from '../../../ingest/source/errors.ts';
import { parsePage } from '../../../ingest/source/index.ts';

/** Runs `fn` and returns what it threw and how long it took. */
function timedThrow(fn: () => unknown): { error: unknown; ms: number } {
  const t0 = performance.now();
  try {
    fn();
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
  return { error: undefined, ms: performance.now() - t0 };
}

describe('hostile and degenerate pages', function () {
  this.timeout(20_000);

  it('2 MB of nested elements in a DSE page: refused at the depth budget in well under a second', () => {
    const dse = page(REAL.dse).toString('utf8');
    const nested = '<div>'.repeat(400_000); // 2 MB
    const body = Buffer.from(dse.replace('<body', `<body><span>${nested}</span`));
    const { error, ms } = timedThrow(() => parsePage({ body }, { source: 'dse' }));
    assert.ok(error instanceof NestingTooDeepError, `expected NestingTooDeepError, got ${String(error)}`);
    assert.match(error.oneLine(), /^dse: page nests elements deeper than 512 levels; refused/);
    assert.ok(ms < 1000, `took ${Math.round(ms)} ms (unbounded, 2 MB of nesting took 43 s)`);
  });

  it('1 MB of nested XML in an ECB page: refused before the DOM parser, fast', () => {
    const xml = page(REAL.ecbDaily).toString('utf8');
    const nested = '<a>'.repeat(350_000); // 1 MB
    const body = Buffer.from(xml.replace('<Cube>', `<Cube>${nested}`));
    const { error, ms } = timedThrow(() =>
      parsePage({ body, contentType: 'application/xml' }, { source: 'ecb-daily' }),
    );
    assert.ok(error instanceof NestingTooDeepError, `expected NestingTooDeepError, got ${String(error)}`);
    assert.ok(ms < 1000, `took ${Math.round(ms)} ms (unbounded, 1 MB of nested XML took 49 s)`);
  });

  it('real pages stay well inside the depth budget', () => {
    for (const rel of [REAL.dse, REAL.gpwArchive, REAL.gpwQuotations]) {
      assert.ok(parsePage({ body: page(rel) }).quotes.length > 0, rel);
    }
  });

  it('a decoy table with the same class before the quotes: the table whose headers match is parsed', () => {
    const dse = page(REAL.dse).toString('utf8');
    const decoy =
      "<table class='table shares-table'><tr><th>Index</th><th>Value</th></tr>" +
      '<tr><td>DSEX</td><td>5,123.4</td></tr></table>';
    const at = dse.indexOf("<table class='table table-bordered background-white shares-table");
    assert.ok(at > 0, 'fixture has the quotes table');
    const body = Buffer.from(dse.slice(0, at) + decoy + dse.slice(at));
    const r = parsePage({ body }, { source: 'dse' });
    assert.equal(r.quotes.length, 396, 'all quotes from the second, matching table');
    assert.deepEqual(r.rejected, []);
  });

  it('only decoy tables: refused with the layout error of the first candidate', () => {
    const dse = page(REAL.dse).toString('utf8');
    const body = Buffer.from(
      dse.replace(/<table class='table table-bordered background-white shares-table/, "<table class='other"),
    ).toString('utf8');
    const decoy = "<table class='shares-table'><tr><th>Index</th></tr><tr><td>DSEX</td></tr></table>";
    const { error } = timedThrow(() =>
      parsePage({ body: Buffer.from(body.replace('<body', `<body>${decoy}`)) }, { source: 'dse' }),
    );
    assert.ok(error instanceof LayoutError, `expected LayoutError, got ${String(error)}`);
  });

  it('exchange parse refuses a file over the 4 MiB daily-page limit (named or detected source), reading no more than a cap + 1 byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exchange-hostile-'));
    try {
      const file = join(dir, 'huge.html');
      await writeFile(file, Buffer.alloc(5 * 1024 * 1024, 'a'));
      for (const args of [[], ['--source', 'dse']]) {
        const result = await runCli(['parse', file, ...args]);
        assert.equal(result.code, 1, result.stderr);
        assert.match(
          errorLines(result.stderr).join('\n'),
          /larger than the 4194304-byte limit for (?:dse \()?a daily page/,
        );
        assert.equal(result.stdout, '');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
