// The observed-split sample (issue 19): exactly `requests` readiness probes through the main URL, at most
// `concurrency` at a time, counted by the colour that answered; no answer or an unknown colour is "other".
import assert from 'node:assert/strict';
import { READINESS_PATH } from '../../../contract/index.ts';
import type { ProbeRequest, ProbeResult } from '../../../shift/port.ts';
import { sampleSplit } from '../../../shift/drivers/sample.ts';

describe('shift drivers: split sample', () => {
  it('counts answers by colour and everything else as other, with exactly the requested number of probes', async () => {
    const answers: ProbeResult[] = [
      { status: 200, color: 'green', body: '' },
      { status: 200, color: 'blue', body: '' },
      { status: 503, color: 'green', body: '' },
      { status: 0, color: 'green', body: '', error: 'timeout' },
      { status: 200, color: 'purple', body: '' },
      { status: 200, body: '' },
    ];
    const seen: ProbeRequest[] = [];
    let i = 0;
    const sample = await sampleSplit(
      async (req) => {
        seen.push(req);
        return answers[i++ % answers.length] as ProbeResult;
      },
      6,
      2,
    );
    assert.deepEqual(sample, { counts: { blue: 1, green: 2 }, other: 3 });
    assert.equal(seen.length, 6);
    assert.ok(seen.every((r) => r.route.via === 'main' && r.path === READINESS_PATH));
  });

  it('never runs more than `concurrency` probes at once, nor more workers than requests', async () => {
    let inFlight = 0;
    let peak = 0;
    const probe = async (): Promise<ProbeResult> => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      return { status: 200, color: 'blue', body: '' };
    };
    assert.deepEqual(await sampleSplit(probe, 10, 3), { counts: { blue: 10, green: 0 }, other: 0 });
    assert.equal(peak, 3);
    peak = 0;
    await sampleSplit(probe, 2, 8);
    assert.equal(peak, 2);
  });
});
