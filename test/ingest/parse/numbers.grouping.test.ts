// Digit grouping is exact (issue 19): a group before the first separator has one to three digits
// (en, pl) or one to two (en-IN lakh/crore), every later group three (en, pl), and a separator mixed
// within one number is refused — a shifted column never becomes a plausible number.
import assert from 'node:assert/strict';
import { NumberFormatError } from '../../../ingest/parse/errors.ts';
import { parseDecimal, parseNumber, scaleDecimal } from '../../../ingest/parse/numbers.ts';

const refuses = (raw: string, locale: 'en' | 'en-IN' | 'pl', why: RegExp) =>
  assert.throws(
    () => parseNumber(raw, { locale }),
    (err: unknown) => err instanceof NumberFormatError && why.test(err.message),
    `${JSON.stringify(raw)} (${locale}) must be refused with ${why}`,
  );

describe('parseNumber: digit grouping rules', () => {
  it('English grouping with four leading digits is refused (1234,567)', () => {
    refuses('1234,567', 'en', /digit grouping/);
    refuses('1234,567.5', 'en', /digit grouping/);
    refuses('1234,567', 'en-IN', /digit grouping/);
    assert.equal(parseNumber('234,567', { locale: 'en' }), 234567, 'three leading digits are fine');
    assert.equal(parseNumber('4,567', { locale: 'en' }), 4567, 'one leading digit is fine');
  });

  it('every later English group has exactly three digits, with one separator kind per number', () => {
    refuses('1,23', 'en', /digit grouping/);
    refuses('1,2345', 'en', /digit grouping/);
    refuses('1,234 567', 'en', /digit grouping/);
    assert.equal(parseNumber('1 234 567', { locale: 'en' }), 1234567);
    assert.equal(parseNumber('1\u00a0234\u00a0567.25', { locale: 'en' }), 1234567.25);
  });

  it('Indian grouping: one or two leading digits, then pairs, then a final three', () => {
    assert.equal(parseNumber('1,79,32,575', { locale: 'en-IN' }), 17932575);
    assert.equal(parseNumber('12,34,567', { locale: 'en-IN' }), 1234567);
    refuses('123,45,678', 'en-IN', /digit grouping/);
    refuses('1,79,32,57', 'en-IN', /digit grouping/);
    refuses('1,79,32,575', 'en', /digit grouping/);
  });

  it('Polish grouping uses spaces only, three digits a group, a decimal comma', () => {
    assert.equal(parseNumber('7 050,76', { locale: 'pl' }), 7050.76);
    assert.equal(parseNumber('1\u202f234\u202f567', { locale: 'pl' }), 1234567);
    refuses('1234 567', 'pl', /digit grouping/);
    refuses('1 23,5', 'pl', /digit grouping/);
    refuses('1.234,5', 'pl', /digit grouping|unexpected|more than one/);
  });

  it('signs: a leading plus is dropped, a minus or U+2212 minus kept, on every path', () => {
    assert.equal(parseDecimal('+1,234.5', { locale: 'en' }), '1234.5');
    assert.equal(parseDecimal('\u22121,234.5', { locale: 'en' }), '-1234.5');
    assert.equal(parseDecimal('-1 234,5', { locale: 'pl' }), '-1234.5');
    assert.equal(parseDecimal('+12,5', { locale: 'pl' }), '12.5');
    assert.equal(parseDecimal('+12', { locale: 'pl' }), '12');
    assert.equal(parseDecimal('+1.5', { locale: 'en' }), '1.5');
    assert.equal(parseDecimal('12.5 %', { locale: 'en' }), '12.5');
  });

  it('malformed fractions and integer parts are refused with the reason', () => {
    refuses('1.2.3', 'en', /more than one "\."/);
    refuses('1,234.5 6', 'en', /fraction digits/);
    refuses('.5', 'en', /no integer digits/);
    refuses('1 .5', 'en', /no integer digits/);
    refuses('12a', 'en', /unexpected characters/);
  });

  it('scaling by a non-power of ten keeps 15 significant digits; by a power of ten it is exact', () => {
    assert.equal(scaleDecimal('1.104', 1e6), 1104000);
    assert.equal(scaleDecimal('0.1', 3), 0.3);
    assert.equal(scaleDecimal('2.5', 1), 2.5);
  });

  it('zero is a value unless the column says a zero means missing', () => {
    assert.equal(parseNumber('0.00', { locale: 'en' }), 0);
    assert.equal(parseNumber('0.00', { locale: 'en', zeroIsMissing: true }), null);
    assert.equal(parseNumber('5', { locale: 'en', zeroIsMissing: true }), 5);
  });
});
