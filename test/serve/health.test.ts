import assert from 'node:assert/strict';
import type { LatestPointer, SourceEntry, SourcesRegistry } from '../../contract/index.ts';
import { isPointer, liveness, readiness, type HealthLimits, type WatchState } from '../../serve/health.ts';

const pointer: LatestPointer = {
  source: 'dse',
  date: '2026-04-23',
  fetchedAt: '2026-04-24T00:00:00.000Z',
  generatedAt: '2026-04-24T00:00:00.000Z',
  version: '1',
  sourceUrl: 'https://x.test/',
  publishId: '2026-04-24T00-00-00.000Z-0123abcd',
  counts: { quotes: 1, rejected: 0 },
  keys: {
    raw: 'raw/x',
    json: 'data/dse/2026-04-23/2026-04-24T00-00-00.000Z-0123abcd.json',
    csv: 'data/dse/2026-04-23/2026-04-24T00-00-00.000Z-0123abcd.csv',
    page: 'data/dse/2026-04-23/2026-04-24T00-00-00.000Z-0123abcd.html',
    index: 'index.html',
    assets: [],
  },
};
const at = (iso: string): number => Date.parse(iso);
const NOW = at('2026-04-24T01:00:00Z');
const limits = (over: Partial<HealthLimits> = {}): HealthLimits => ({
  nowMs: NOW,
  maxAgeSeconds: 36 * 3600,
  staleAfterMs: 6000,
  livenessToleranceMs: 60_000,
  startedAt: NOW - 600_000,
  ...over,
});
const state = (over: Partial<WatchState> = {}): WatchState => ({
  checkedAt: NOW - 1000,
  reachedAt: NOW - 1000,
  bucket: 'ok',
  pointer,
  missingKeys: [],
  registry: null,
  registryMissing: [],
  ...over,
});

describe('readiness (/healthz) from the last background check', () => {
  it('ready when fresh and complete, with source, date and age', () => {
    assert.deepEqual(readiness(state(), limits()), {
      ok: true,
      source: 'dse',
      dataDate: '2026-04-23',
      generatedAt: '2026-04-24T00:00:00.000Z',
      ageSeconds: 3600,
    });
  });

  it('stale once older than max-age (exactly max-age is still ready)', () => {
    assert.equal(readiness(state(), limits({ maxAgeSeconds: 3600 })).ok, true);
    const stale = readiness(state(), limits({ maxAgeSeconds: 3599 }));
    assert.deepEqual([stale.ok, stale.reason, stale.ageSeconds], [false, 'data older than max age', 3600]);
  });

  it('each failure has its own public reason and no internal text', () => {
    const cases: [Partial<WatchState>, string][] = [
      [{ checkedAt: null }, 'starting'],
      [{ bucket: 'missing' }, 'bucket does not exist (NoSuchBucket)'],
      [{ bucket: 'unreachable' }, 'bucket unreachable'],
      [{ pointer: null }, 'nothing published yet'],
      [{ pointerProblem: 'pointer unreadable' }, 'pointer unreadable'],
      [{ missingKeys: [pointer.keys.csv] }, 'pointer names missing objects'],
    ];
    for (const [over, reason] of cases) {
      const v = readiness(state(over), limits());
      assert.deepEqual([v.ok, v.reason], [false, reason], `state ${JSON.stringify(over)}`);
      assert.ok(!JSON.stringify(v).includes('data/dse/'), 'keys and errors stay in the log');
    }
  });

  it('a check that stalls turns readiness off once it is overdue, even with a good last answer', () => {
    assert.equal(readiness(state({ checkedAt: NOW - 6000 }), limits()).ok, true);
    const overdue = readiness(state({ checkedAt: NOW - 6001 }), limits());
    assert.deepEqual([overdue.ok, overdue.reason], [false, 'check overdue']);
  });

  it('a clock behind the publisher never yields a negative age', () => {
    assert.equal(readiness(state(), limits({ nowMs: at('2026-04-23T23:59:00Z') })).ageSeconds, 0);
  });
});

describe('readiness with several sources (the sources registry)', () => {
  const entry = (
    source: string,
    hoursOld: number,
    page = `data/${source}/2026-04-23/p.html`,
  ): SourceEntry => ({
    source,
    title: source,
    date: '2026-04-23',
    generatedAt: new Date(NOW - hoursOld * 3600_000).toISOString(),
    publishId: 'x',
    page,
    quotes: 1,
    move: { up: 0, down: 0, unchanged: 1 },
  });
  const registry = (...entries: SourceEntry[]): SourcesRegistry => ({
    updatedAt: new Date(NOW).toISOString(),
    landing: 'data/_landing/x.html',
    sources: Object.fromEntries(entries.map((e) => [e.source, e])),
  });

  it("reports each source's freshness; ready while every source is", () => {
    const v = readiness(state({ registry: registry(entry('dse', 1), entry('ecb-hist', 30)) }), limits());
    assert.equal(v.ok, true);
    assert.deepEqual(
      v.sources?.map((s) => [s.source, s.ok, s.ageSeconds]),
      [
        ['dse', true, 3600],
        ['ecb-hist', true, 30 * 3600],
      ],
    );
  });

  it('one stale source makes the colour unready, naming it; exactly the max age is still fresh', () => {
    const v = readiness(state({ registry: registry(entry('dse', 1), entry('ecb-hist', 37)) }), limits());
    assert.equal(v.ok, false);
    assert.equal(v.reason, 'a source is not ready');
    assert.deepEqual(
      v.sources?.find((s) => !s.ok),
      {
        source: 'ecb-hist',
        ok: false,
        dataDate: '2026-04-23',
        generatedAt: new Date(NOW - 37 * 3600_000).toISOString(),
        ageSeconds: 37 * 3600,
        reason: 'data older than max age',
      },
    );
    assert.equal(readiness(state({ registry: registry(entry('ecb-hist', 36)) }), limits()).ok, true);
  });

  it('a source whose page is missing is not ready; a bucket without a registry reports no sources', () => {
    const r = registry(entry('dse', 1));
    const v = readiness(state({ registry: r, registryMissing: ['data/dse/2026-04-23/p.html'] }), limits());
    assert.deepEqual([v.ok, v.sources?.[0]?.reason], [false, 'page missing']);
    assert.equal(readiness(state(), limits()).sources, undefined);
  });
});

describe('liveness (/livez)', () => {
  it('alive while the bucket was reached lately, data or not, fresh or stale', () => {
    assert.equal(liveness(state({ pointer: null }), limits()).ok, true);
    assert.equal(liveness(state(), limits({ maxAgeSeconds: 1 })).ok, true);
  });

  it('fails on a missing (NoSuchBucket) or unreachable bucket only after the tolerance', () => {
    const missing = (ago: number): ReturnType<typeof liveness> =>
      liveness(state({ bucket: 'missing', reachedAt: NOW - ago }), limits());
    assert.deepEqual(missing(60_000), { ok: true });
    assert.deepEqual(missing(60_001), { ok: false, reason: 'bucket does not exist (NoSuchBucket)' });
    const unreachable = (ago: number): boolean =>
      liveness(state({ bucket: 'unreachable', reachedAt: NOW - ago }), limits()).ok;
    assert.equal(unreachable(60_000), true, 'within the tolerance a blip must not get the task replaced');
    assert.equal(unreachable(60_001), false);
    const neverReached = state({ bucket: 'unreachable', reachedAt: null });
    assert.equal(
      liveness(neverReached, limits({ startedAt: NOW - 1000 })).ok,
      true,
      'tolerance counts from start',
    );
  });
});

describe('isPointer', () => {
  it('accepts a complete pointer and refuses anything missing a named key', () => {
    assert.equal(isPointer(pointer), true);
    const older = {
      ...pointer,
      keys: {
        raw: 'raw/x',
        json: 'data/dse/2026-04-23.json',
        csv: 'data/dse/2026-04-23.csv',
        index: 'index.html',
      },
    };
    assert.equal(
      isPointer(older),
      true,
      'a pointer of the previous version is still read (deploy before the next ingest)',
    );
    for (const bad of [
      null,
      42,
      {},
      { ...pointer, keys: { ...pointer.keys, page: '', index: '' } },
      { ...pointer, keys: { ...pointer.keys, csv: 1 } },
      { ...pointer, generatedAt: 'x' },
    ]) {
      assert.equal(isPointer(bad), false, JSON.stringify(bad));
    }
  });
});
