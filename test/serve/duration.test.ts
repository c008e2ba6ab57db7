import assert from 'node:assert/strict';
import { UsageError } from '../../lib/errors.ts';
import { parseDuration } from '../../serve/duration.ts';

describe('parseDuration', () => {
  const ok: [string, number][] = [
    ['3600', 3600],
    ['36h', 129_600],
    ['90m', 5400],
    ['45s', 45],
    ['2d', 172_800],
    ['1h30m', 5400],
    ['1.5h', 5400],
    [' 36H ', 129_600],
  ];
  for (const [text, seconds] of ok)
    it(`${JSON.stringify(text)} → ${seconds} s`, () => assert.equal(parseDuration(text, 'max-age'), seconds));

  for (const bad of ['', '0', '-5', '36x', 'h', '1h-30m', '36 h', 'abc', '0h']) {
    it(`refuses ${JSON.stringify(bad)} naming the flag`, () => {
      assert.throws(
        () => parseDuration(bad, 'max-age'),
        (err: unknown) =>
          err instanceof UsageError &&
          err.exitCode === 2 &&
          err.message.includes('--max-age') &&
          err.message.includes(`"${bad}"`) &&
          /36h/.test(err.hint ?? ''),
      );
    });
  }
});
