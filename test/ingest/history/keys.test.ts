// The history keys are served by `serve` (their shapes are in PUBLISH_KEY_PATTERN) and nothing
// near them is: a 404 from memory, never an S3 GET.
import assert from 'node:assert/strict';
import { datesKey, historyKey, publishId, publishKeys } from '../../../contract/index.ts';
import { route } from '../../../serve/paths.ts';

const ID = publishId('2026-12-01T10:30:00.000Z', '0123456789abcdef');

describe('history keys and serve', () => {
  it('serves the dates index, the history window and the per-symbol page', () => {
    for (const key of [
      datesKey('ecb-hist-90d'),
      historyKey('ecb-hist-90d', ID),
      publishKeys('dse', '2026-12-01', ID).symbols,
    ]) {
      assert.deepEqual(
        route('GET', `/${key}`),
        { kind: 'object', key },
        `${key}: extend PUBLISH_KEY_PATTERN in contract/index.ts`,
      );
    }
  });

  it('404s shapes no publish writes near them', () => {
    for (const path of [
      '/data/dse/history/x.json',
      '/data/dse/dates.csv',
      `/data/dse/2026-12-01/${ID}.other.html`,
      '/data/dse/history/dates.json',
    ]) {
      assert.equal(route('GET', path).kind, 'reject', path);
    }
  });
});
