import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordConflictError } from '../../../shift/errors.ts';
import {
  readRecordedWeights,
  readVersioned,
  recordWeights,
  storePaths,
  writeVersioned,
} from '../../../shift/drivers/localStore.ts';

const NUMBERED = { what: 'numbered document', parse: (raw: unknown) => raw as { n: number }, fix: '' };

describe('local shift store (files with compare-and-swap)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exchange-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates only when nothing is stored, then writes only with the current etag', async () => {
    const { record } = storePaths(dir);
    const first = await writeVersioned(dir, record, { n: 1 }, null);
    await assert.rejects(
      writeVersioned(dir, record, { n: 2 }, null),
      RecordConflictError,
      'a second create must lose',
    );
    const second = await writeVersioned(dir, record, { n: 2 }, first);
    await assert.rejects(
      writeVersioned(dir, record, { n: 3 }, first),
      RecordConflictError,
      'a stale etag must lose',
    );
    assert.deepEqual(await readVersioned(record, NUMBERED), { value: { n: 2 }, etag: second });
  });

  it('of two simultaneous writers with the same etag exactly one wins', async () => {
    const { record } = storePaths(dir);
    const etag = await writeVersioned(dir, record, { n: 0 }, null);
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((n) => writeVersioned(dir, record, { n }, etag)),
    );
    assert.equal(
      results.filter((r) => r.status === 'fulfilled').length,
      1,
      JSON.stringify(results.map((r) => r.status)),
    );
  });

  it('a lock left by a killed writer does not block forever once stale', async () => {
    const { lock, record } = storePaths(dir);
    await writeFile(lock, '');
    const old = new Date(Date.now() - 60_000);
    await import('node:fs/promises').then((fs) => fs.utimes(lock, old, old));
    await writeVersioned(dir, record, { n: 1 }, null);
  });

  it('records weights for the next start to read', async () => {
    assert.equal(await readRecordedWeights(dir), undefined);
    await recordWeights(dir, { blue: 0, green: 100 });
    assert.deepEqual(await readRecordedWeights(dir), { blue: 0, green: 100 });
  });
});
