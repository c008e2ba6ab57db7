// The local shift state files read back after a crash, a hand edit or a full disk: each bad file is a
// one-line error naming the file and the fix (never "unexpected error"), and nothing writes over it.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptDocumentError } from '../../../release/state/store.ts';
import { parseShiftRecord } from '../../../release/state/traffic.ts';
import { resumeShift, abortShift } from '../../../shift/api.ts';
import { createLocalDriver } from '../../../shift/drivers/local.ts';
import { readRecordedWeights, recordWeights, storePaths } from '../../../shift/drivers/localStore.ts';
import { errorLines, runCli } from '../../helpers/spawn.ts';
import { FakeClock } from '../fakeDriver.ts';
import { sampleRecord } from '../records.ts';

const BAD_FILES: [string, string, RegExp][] = [
  ['truncated', JSON.stringify(sampleRecord()).slice(0, 120), /is not valid JSON/],
  ['not JSON at all', 'shift in progress, do not touch\n', /is not valid JSON/],
  ['wrong schema', JSON.stringify({ schema: 1, id: 'x', plan: {} }), /is not a shift record: from: /],
  [
    'a wrong field deep inside',
    JSON.stringify(sampleRecord({ weights: { blue: 90, green: '10' as unknown as number } })),
    /is not a shift record: weights\.green: /,
  ],
];

describe('local shift state files: validated on read, never written over when bad', () => {
  let dir: string;
  let paths: ReturnType<typeof storePaths>;
  const driver = () =>
    createLocalDriver({ routerUrl: 'http://127.0.0.1:1', adminUrl: 'http://127.0.0.1:1', stateDir: dir });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exchange-state-files-'));
    paths = storePaths(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  for (const [name, text, problem] of BAD_FILES) {
    it(`a ${name} record names the file, the problem and the fix`, async () => {
      await writeFile(paths.record, text);
      const d = driver();
      try {
        await assert.rejects(d.readRecord(), (e: unknown) => {
          assert.ok(e instanceof CorruptDocumentError, `expected CorruptDocumentError, got ${String(e)}`);
          assert.ok(e.message.startsWith(paths.record), e.message);
          assert.match(e.message, problem);
          assert.match(e.oneLine(), /move it aside .*"exchange shift reset --to <colour> --local"/);
          return true;
        });
      } finally {
        d.close();
      }
    });
  }

  it('resume and abort refuse a wrong-schema record without writing over it', async () => {
    const text = `${JSON.stringify({ ...sampleRecord(), plan: { steps: 'all' } })}\n`;
    await writeFile(paths.record, text);
    const d = driver();
    const clock = new FakeClock();
    try {
      await assert.rejects(resumeShift({ driver: d, clock }, true), CorruptDocumentError);
      await assert.rejects(abortShift({ driver: d, clock }), CorruptDocumentError);
    } finally {
      d.close();
    }
    assert.equal(
      await readFile(paths.record, 'utf8'),
      text,
      'a file that failed validation is never written',
    );
  });

  it('bad recorded weights: named on read, and recording new weights does not write over them', async () => {
    await mkdir(dir, { recursive: true });
    for (const text of ['{"blue":90,', '{"blue":1000,"green":0}', '[]']) {
      await writeFile(paths.weights, text);
      await assert.rejects(readRecordedWeights(dir), (e: unknown) => {
        assert.ok(e instanceof CorruptDocumentError, String(e));
        assert.ok(e.message.startsWith(paths.weights), e.message);
        assert.match(e.oneLine(), /fix it .*or move it aside/);
        return true;
      });
      await assert.rejects(recordWeights(dir, { blue: 100, green: 0 }), CorruptDocumentError);
      assert.equal(await readFile(paths.weights, 'utf8'), text);
    }
  });

  it('the CLI prints the one-line error, not "unexpected error … please report it"', async () => {
    const data = join(dir, 'data');
    await mkdir(join(data, 'shift'), { recursive: true });
    await writeFile(join(data, 'shift', 'shift-record.json'), '{"schema":1,"id":"20261201');
    await writeFile(
      join(data, 'system.json'),
      JSON.stringify({
        pid: process.pid,
        routerUrl: 'http://127.0.0.1:1',
        adminUrl: 'http://127.0.0.1:1',
        colours: {},
        dir: data,
      }),
    );
    const r = await runCli(['shift', 'status', '--local', '--dir', data]);
    const line = errorLines(r.stderr).join('\n');
    assert.equal(r.code, 1, line);
    assert.doesNotMatch(line, /unexpected error|please report/);
    assert.match(line, /shift-record\.json is not valid JSON/);
  });
});

describe('parseShiftRecord (the record on AWS and locally)', () => {
  it('accepts a record as the controller writes it, keeping fields a newer writer added', () => {
    const r = { ...sampleRecord(), futureField: 1 };
    assert.deepEqual(parseShiftRecord(JSON.parse(JSON.stringify(r))), r);
  });

  const CASES: [string, unknown, RegExp][] = [
    ['not an object', 7, /expected object/],
    ['schema 2', { ...sampleRecord(), schema: 2 }, /^schema: /],
    ['unknown status', { ...sampleRecord(), status: 'done' }, /^status: /],
    ['a colour that is not one', { ...sampleRecord(), to: 'red' }, /^to: /],
    ['from equal to to', { ...sampleRecord(), to: 'blue' }, /from and to are both blue/],
    ['weights out of range', { ...sampleRecord(), weights: { blue: 1000, green: 0 } }, /^weights\.blue: /],
    ['no steps', { ...sampleRecord(), plan: { ...sampleRecord().plan, steps: [] } }, /^plan\.steps: /],
    [
      'a step past the plan',
      { ...sampleRecord(), currentStep: 3 },
      /currentStep 3 is past the plan's 2 steps/,
    ],
    [
      'a plan of other colours',
      { ...sampleRecord(), plan: { ...sampleRecord().plan, to: 'blue', from: 'green' } },
      /plan goes green → blue but the record blue → green/,
    ],
  ];
  for (const [name, raw, problem] of CASES)
    it(`refuses ${name}, naming the field`, () => {
      assert.throws(
        () => parseShiftRecord(raw),
        (e: Error) => problem.test(e.message) || assert.fail(e.message),
      );
    });
});
