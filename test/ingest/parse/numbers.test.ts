// Table tests for the pure number and date parsers, including the inputs that must throw.
import assert from 'node:assert/strict';
import { DateFormatError, NumberFormatError } from '../../../ingest/parse/errors.ts';
import { parseNumber, scaleDecimal, UNITS, type NumberOptions } from '../../../ingest/parse/numbers.ts';
import { parseDate, rollBackWeekend, unixToDate } from '../../../ingest/parse/dates.ts';

const en: NumberOptions = { locale: 'en' };
const enIN: NumberOptions = { locale: 'en-IN' };
const pl: NumberOptions = { locale: 'pl' };
const NBSP = '\u00a0';

describe('parseNumber', () => {
  const cases: [string, NumberOptions, number | null][] = [
    ['1,389', en, 1389],
    ['1,395.8', en, 1395.8],
    ['2,667,450', en, 2667450],
    ['\n            1.5500\n        ', en, 1.55],
    ['8,100.0000', en, 8100],
    ['-0.1', en, -0.1],
    ['+5.16', en, 5.16],
    ['5.77%', en, 5.77],
    ['     8054.55', en, 8054.55],
    ['      140323983', en, 140323983],
    [`17${NBSP}506`, en, 17506],
    [`38${NBSP}703${NBSP}869`, en, 38703869],
    ['3,007.59', en, 3007.59],
    ['13,36,309.59', enIN, 1336309.59],
    ['1,79,32,575', enIN, 17932575],
    ['-7,39,725', enIN, -739725],
    ['7,936.05', enIN, 7936.05],
    ['1,99', pl, 1.99],
    ['-0,88', pl, -0.88],
    [`1${NBSP}431`, pl, 1431],
    [`7${NBSP}050,76`, pl, 7050.76],
    ['4 133,05', pl, 4133.05],
    ['−2,5', pl, -2.5],
    ['-', en, null],
    ['--', en, null],
    ['---', pl, null],
    ['', en, null],
    ['   ', en, null],
    ['—', en, null],
    ['0', en, 0],
    ['-0.00', en, 0],
    ['0.0000', { ...en, zeroIsMissing: true }, null],
    ['0', { ...en, zeroIsMissing: true }, null],
    ['1.104', { ...en, multiplier: UNITS.mn }, 1104000],
    ['319.91', { ...en, multiplier: UNITS.thou }, 319910],
    ['6552.67', { ...en, multiplier: UNITS.crore }, 65526700000],
    ['13,36,309.59', { ...enIN, multiplier: UNITS.lakh }, 133630959000],
    ['0,01', { ...pl, multiplier: UNITS.thou }, 10],
    ['0.3', { ...en, multiplier: 3 }, 0.9],
    ['n.a.', { ...en, missing: ['n.a.'] }, null],
  ];
  for (const [raw, opts, want] of cases) {
    it(`${JSON.stringify(raw)} (${opts.locale}${opts.multiplier ? ` ×${opts.multiplier}` : ''}) → ${want}`, () => {
      assert.equal(parseNumber(raw, opts), want);
    });
  }

  const bad: [string, NumberOptions][] = [
    ['PKC/PCR', en],
    ['abc', en],
    ['1..2', en],
    ['1.2.3', en],
    ['1,2', en], // a Polish decimal read as English must not become 12
    ['1.5', pl], // an English decimal read as Polish must not become 15
    ['1,23,456', en], // lakh grouping only in en-IN
    ['12,34', enIN],
    ['1 234,567', en], // mixed separators inside one number
    ['1.234,5', pl], // dot thousands are not accepted in pl: ambiguous with English decimals
    ['12.5x', en],
    ['--5', en],
    ['1e5', en],
    ['.5', en],
  ];
  for (const [raw, opts] of bad) {
    it(`${JSON.stringify(raw)} (${opts.locale}) throws NumberFormatError`, () => {
      assert.throws(
        () => parseNumber(raw, opts),
        (err: unknown) => {
          assert.ok(err instanceof NumberFormatError);
          assert.match(err.message, new RegExp(`"${raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
          return true;
        },
      );
    });
  }

  it('a missing marker list replaces the defaults', () => {
    assert.throws(() => parseNumber('-', { ...en, missing: [] }), NumberFormatError);
  });

  it('scales without float noise', () => {
    assert.equal(scaleDecimal('0.1', 1e3), 100);
    assert.equal(scaleDecimal('1.005', 1e6), 1005000);
    assert.equal(scaleDecimal('-0.07', 1e7), -700000);
  });
});

describe('parseDate', () => {
  const cases: [string, Parameters<typeof parseDate>[1], string][] = [
    ['Apr 23, 2026', 'MMM D, YYYY', '2026-04-23'],
    ['April 3, 2026', 'MMM D, YYYY', '2026-04-03'],
    ['04-01-2021', 'DD-MM-YYYY', '2021-01-04'],
    ['29-02-2024', 'DD-MM-YYYY', '2024-02-29'],
    ['02-Nov-2015', 'DD-MMM-YYYY', '2015-11-02'],
    [' 26-Nov-2015 ', 'DD-MMM-YYYY', '2015-11-26'],
    ['2022-07-08', 'YYYY-MM-DD', '2022-07-08'],
  ];
  for (const [raw, format, want] of cases) {
    it(`${JSON.stringify(raw)} as ${format} → ${want}`, () => assert.equal(parseDate(raw, format), want));
  }
  const bad: [string, Parameters<typeof parseDate>[1]][] = [
    ['31-02-2021', 'DD-MM-YYYY'],
    ['2021-13-01', 'YYYY-MM-DD'],
    ['Foo 23, 2026', 'MMM D, YYYY'],
    ['02-Nov-15', 'DD-MMM-YYYY'],
    ['2021-01-04', 'DD-MM-YYYY'],
    ['29-02-2023', 'DD-MM-YYYY'],
  ];
  for (const [raw, format] of bad) {
    it(`${JSON.stringify(raw)} as ${format} throws DateFormatError`, () => {
      assert.throws(() => parseDate(raw, format), DateFormatError);
    });
  }

  it('turns a Unix capture time into the Warsaw trading day, off the weekend', () => {
    // 1625399509 = Sunday 2021-07-04 11:51:49 UTC → Friday 2021-07-02.
    assert.equal(unixToDate('1625399509', 'Europe/Warsaw', true), '2021-07-02');
    assert.equal(unixToDate('1625399509', 'Europe/Warsaw', false), '2021-07-04');
    // 23:30 UTC on Monday 2021-07-05 is already Tuesday in Warsaw.
    assert.equal(unixToDate('1625527800', 'Europe/Warsaw', true), '2021-07-06');
    assert.throws(() => unixToDate('12ab', 'UTC', true), DateFormatError);
  });

  it('rolls Saturday and Sunday back to Friday only', () => {
    assert.equal(rollBackWeekend('2021-07-03'), '2021-07-02');
    assert.equal(rollBackWeekend('2021-07-04'), '2021-07-02');
    assert.equal(rollBackWeekend('2021-07-05'), '2021-07-05');
  });
});
