// The release page in a real browser (Debian's chromium via playwright-core), served live by the local
// router's admin port from a data folder holding recorded rehearsal timelines (test/browser/fixtures):
// self-contained (nothing fetched but the page, no script, no console error), four charts, every
// decision and judgment listed, the rollback marked in red only when there was one, refreshing only
// while the shift runs. Saves test-artifacts/release-*.png. Skips without chromium unless CI=true.
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import { sampleRecord } from '../shift/records.ts';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { localStateDir } from '../../contract/localSystem.ts';
import { listen } from '../../lib/listen.ts';
import { silentLogger } from '../../lib/log.ts';
import { liveReleasePage } from '../../local/releasePage.ts';
import { createAdminServer } from '../../local/router/admin.ts';
import { createRouter } from '../../local/router/router.ts';
import { storePaths } from '../../shift/drivers/localStore.ts';
import { parseTimeline, type Timeline } from '../../shift/timeline.ts';
import { CHROMIUM, requireChromium } from '../helpers/chromium.ts';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

async function fixture(name: string): Promise<Timeline> {
  return parseTimeline(JSON.parse(await readFile(join(import.meta.dirname, 'fixtures', name), 'utf8')));
}

describe('release page in a real browser (live from the router admin port)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let dir: string;
  let admin: Server;
  let origin: string;
  const router = createRouter({
    targets: { blue: 'http://127.0.0.1:9', green: 'http://127.0.0.1:9' },
    weights: { blue: 100, green: 0 },
    health: { path: '/livez', intervalMs: 1000, timeoutMs: 500, healthyThreshold: 2, unhealthyThreshold: 2 },
    log: silentLogger,
  });

  before(async function () {
    requireChromium(this);
    dir = await mkdtemp(join(tmpdir(), 'release-page-'));
    admin = createAdminServer(router, { releasePage: () => liveReleasePage(dir) });
    origin = `http://127.0.0.1:${await listen(admin, 0, '127.0.0.1', 'admin')}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    admin?.close();
    router.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Puts a timeline (and a record in `status`) in the data folder, as a local shift leaves them. */
  async function shiftLeft(t: Timeline, status: string): Promise<void> {
    const paths = storePaths(localStateDir(dir));
    await mkdir(paths.dir, { recursive: true });
    await writeFile(paths.timeline, JSON.stringify(t));
    // A whole record, as the controller writes it: the admin page validates what it reads.
    const record = sampleRecord({
      id: t.shiftId,
      from: t.from,
      to: t.to,
      status: status as ShiftRecord['status'],
      plan: { ...sampleRecord().plan, from: t.from, to: t.to },
    });
    await writeFile(paths.record, JSON.stringify(record));
  }

  async function open(shot: string) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${origin}/release`);
    assert.equal(res?.status(), 200);
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: `test-artifacts/${shot}`, fullPage: true });
    return { page, requests, errors };
  }

  it('a rolled-back shift: self-contained, four charts, the rollback marked in red, the judgment that decided it', async () => {
    const t = await fixture('release.rolled-back.json');
    await shiftLeft(t, 'rolled-back');
    const { page, requests, errors } = await open('release-rolled-back.png');
    assert.deepEqual(requests, [`${origin}/release`], 'the page must fetch nothing else');
    assert.deepEqual(errors, []);
    assert.equal(await page.locator('script').count(), 0, 'no script');
    assert.equal(await page.locator('svg').count(), 4, 'weights, requests, 5xx and latency');
    assert.ok((await page.locator('svg line.marker.bad').count()) >= 1, 'the rollback is marked');
    assert.match(await page.locator('table').first().innerText(), /rollback/);
    assert.ok((await page.locator('h2', { hasText: 'Canary judgments' }).count()) === 1);
    assert.equal(
      await page.locator('meta[http-equiv="refresh"]').count(),
      0,
      'a finished shift does not refresh',
    );
    await page.close();
  });

  it('a promoted shift: no rollback marker; while it runs the page refreshes itself', async () => {
    const t = await fixture('release.promoted.json');
    await shiftLeft(t, 'promoted');
    const done = await open('release-promoted.png');
    assert.equal(await done.page.locator('svg line.marker.bad').count(), 0);
    assert.ok((await done.page.locator('svg polyline').count()) >= 4, 'weights and per-colour lines drawn');
    await done.page.close();
    await shiftLeft(t, 'running');
    const live = await open('release-live.png');
    assert.equal(await live.page.locator('meta[http-equiv="refresh"]').getAttribute('content'), '2');
    await live.page.close();
  });

  it('no shift recorded yet: 404 with the command that makes one', async () => {
    await rm(storePaths(localStateDir(dir)).timeline, { force: true });
    const res = await fetch(`${origin}/release`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /shift start --to green --local/);
  });
});
