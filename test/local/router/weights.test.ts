import assert from 'node:assert/strict';
import { ConfigError } from '../../../lib/errors.ts';
import { checkWeights, shares } from '../../../contract/weights.ts';
import { colorFromHeader, pickColor } from '../../../local/router/weights.ts';

describe('router weights', () => {
  it('accepts integer weights 0–999 per colour, like the listener', () => {
    assert.deepEqual(checkWeights({ blue: 90, green: 10 }), { blue: 90, green: 10 });
    assert.deepEqual(checkWeights({ blue: 0, green: 999 }), { blue: 0, green: 999 });
  });

  const refused: [string, unknown, RegExp][] = [
    ['a fraction', { blue: 50.5, green: 50 }, /weight of blue 50.5 is not an integer in 0–999/],
    ['above 999', { blue: 1000, green: 0 }, /weight of blue 1000/],
    ['negative', { blue: 100, green: -1 }, /weight of green -1/],
    ['missing colour', { blue: 100 }, /weight of green undefined/],
    ['unknown colour', { blue: 100, green: 0, red: 1 }, /unknown colour\(s\) red/],
    ['all zero', { blue: 0, green: 0 }, /all 0/],
    ['not an object', 'blue', /are not an object/],
  ];
  for (const [name, value, message] of refused) {
    it(`refuses ${name} with the reason`, () => {
      assert.throws(
        () => checkWeights(value),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
      );
    });
  }

  it('sends each request to the colour whose share the random point falls in', () => {
    const w = { blue: 90, green: 10 };
    assert.equal(pickColor(w, 0), 'blue');
    assert.equal(pickColor(w, 0.8999), 'blue', 'points below 90% must go to blue');
    assert.equal(pickColor(w, 0.9), 'green', 'points from 90% on must go to green');
    assert.equal(pickColor(w, 0.999999), 'green');
  });

  it('never sends a request to a colour at weight 0', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      assert.equal(pickColor({ blue: 0, green: 5 }, r), 'green', `r=${r} went to blue at weight 0`);
      assert.equal(pickColor({ blue: 5, green: 0 }, r), 'blue', `r=${r} went to green at weight 0`);
    }
  });

  it('routes the X-Exchange-Color test header to a known colour only', () => {
    assert.equal(colorFromHeader('green'), 'green');
    assert.equal(colorFromHeader(' Blue '), 'blue');
    assert.equal(colorFromHeader('red'), undefined, 'an unknown colour must fall through to the weights');
    assert.equal(colorFromHeader(undefined), undefined);
  });

  it('states shares in percent for reports', () => {
    assert.deepEqual(shares({ blue: 2, green: 1 }), { blue: 66.7, green: 33.3 });
  });
});
