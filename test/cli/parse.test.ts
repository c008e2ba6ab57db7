// `exchange parse` end to end in a child process: stdout JSON, one-line errors, exit codes 0/1/2.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = 'test/fixtures/pages/';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function exchange(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/exchange.js', ...args],
      { cwd: ROOT, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('exchange parse (CLI)', function () {
  this.timeout(30_000);

  it('detects the source and prints { source, quotes, rejected } on stdout (exit 0)', async () => {
    const r = await exchange('parse', `${PAGES}excerpts/nse-fo.html`);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      source: string;
      quotes: { symbol: string; close: number }[];
      rejected: unknown[];
    };
    assert.equal(out.source, 'nse-fo');
    assert.deepEqual(
      out.quotes.map((q) => [q.symbol, q.close]),
      [
        ['NIFTY FUT 2015-11-26', 7936.05],
        ['NIFTY FUT 2015-11-26', 7774.3],
      ],
    );
    assert.deepEqual(out.rejected, []);
    assert.match(r.stderr, /"msg":"parsed"/); // logs go to stderr as JSON lines
  });

  it('--source, --date and --mapping are honoured', async () => {
    const [withDate, withMapping] = await Promise.all([
      exchange('parse', `${PAGES}excerpts/gpw-2016.html`, '--source', 'gpw-2016', '--date', '2016-09-09'),
      exchange('parse', `${PAGES}excerpts/dse.html`, '--mapping', 'ingest/source/mappings/dse.json'),
    ]);
    assert.equal(withDate.code, 0, withDate.stderr);
    const q = JSON.parse(withDate.stdout).quotes[0];
    assert.deepEqual([q.date, q.symbol, q.close], ['2016-09-09', '06N', 1.99]);
    assert.equal(withMapping.code, 0, withMapping.stderr);
    assert.equal(JSON.parse(withMapping.stdout).quotes.length, 9);
  });

  it('failures are one stderr line, exit 1, nothing on stdout', async () => {
    const [missing, undetected, noDate] = await Promise.all([
      exchange('parse', 'no/such/page.html'),
      exchange('parse', 'package.json'),
      exchange('parse', `${PAGES}excerpts/gpw-2016.html`),
    ]);
    for (const r of [missing, undetected, noDate]) {
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    assert.match(missing.stderr, /^exchange parse: cannot read page "no\/such\/page\.html": no such file — /);
    assert.match(
      undetected.stderr,
      /no source adapter recognizes the page — pass --source <id> \(known: dse, /,
    );
    assert.match(noDate.stderr, /gpw-2016: page carries no trading date — pass --date YYYY-MM-DD/);
  });

  it('usage errors exit 2: unknown source, bad date, bad mapping, no file', async () => {
    const runs = await Promise.all([
      exchange('parse', `${PAGES}excerpts/dse.html`, '--source', 'nyse'),
      exchange('parse', `${PAGES}excerpts/dse.html`, '--date', '2021-02-30'),
      exchange('parse', `${PAGES}excerpts/dse.html`, '--mapping', 'package.json'),
      exchange('parse'),
    ]);
    assert.deepEqual(
      runs.map((r) => r.code),
      [2, 2, 2, 2],
    );
    assert.match(runs[0]!.stderr, /unknown source "nyse" — use one of: dse, gpw-archive/);
    assert.match(runs[1]!.stderr, /--date "2021-02-30" is not a real YYYY-MM-DD day/);
    assert.match(runs[2]!.stderr, /mapping \(root\)\.name: is not a known key/);
    assert.match(runs[3]!.stderr, /expected exactly one <file>/);
  });

  it('--help lists the known sources', async () => {
    const r = await exchange('parse', '--help');
    assert.equal(r.code, 0);
    for (const id of [
      'dse',
      'gpw-archive',
      'gpw-quotations',
      'gpw-2016',
      'nse-index',
      'nse-fo',
      'ecb-daily',
      'ecb-hist-90d',
    ]) {
      assert.match(r.stdout, new RegExp(`^  ${id} `, 'm'));
    }
  });
});
