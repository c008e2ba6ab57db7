import assert from 'node:assert/strict';
import {
  MISSING,
  createFormats,
  formatInstant,
  formatTradingDate,
  hostOf,
  safeCurrency,
  safeLocale,
} from '../../site/format.ts';

// Intl uses narrow no-break spaces in some locales; compare with plain spaces.
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

describe('site formatting', () => {
  it('formats numbers in the exchange locale (pl-PL: comma decimals, space groups)', () => {
    const f = createFormats('pl-PL', 'PLN');
    // Polish does not group four-digit numbers (CLDR minimum grouping digits = 2).
    assert.equal(f.price(1234.5), '1234,50');
    assert.equal(plain(f.price(12345.5)), '12 345,50');
    assert.equal(f.price(1.0172), '1,0172');
    assert.equal(f.change(0.5), '+0,50');
    assert.equal(plain(f.percent(-6.5)), '-6,50%');
    assert.equal(plain(f.integer(2667450)), '2 667 450');
    assert.equal(plain(f.money(1_300_000_000)), '1 300 000 000 zł');
    assert.equal(plain(f.moneyCompact(1_300_000_000)), '1,3 mld zł');
  });

  it('formats en-US with the currency code or symbol', () => {
    const f = createFormats('en-US', 'USD');
    assert.equal(f.price(1389.5), '1,389.50');
    assert.equal(f.change(-0.1), '-0.10');
    assert.equal(f.change(0), '0.00');
    assert.equal(f.percent(9.99), '+9.99%');
    assert.equal(f.moneyCompact(8_400_000_000), '$8.4B');
  });

  it('shows missing values as an em dash, never 0', () => {
    const f = createFormats('en-US');
    for (const fn of [f.price, f.change, f.percent, f.integer, f.money, f.moneyCompact]) {
      assert.equal(fn(null), MISSING);
      assert.equal(fn(undefined), MISSING);
      assert.equal(fn(Number.NaN), MISSING);
    }
    assert.equal(f.integer(0), '0');
  });

  it('falls back for unknown locales and currencies instead of throwing', () => {
    assert.equal(safeLocale('not a locale!'), 'en');
    assert.equal(safeLocale('en-IN'), 'en-IN');
    assert.equal(safeCurrency('BDT'), 'BDT');
    assert.equal(safeCurrency('bdt'), undefined);
    assert.equal(safeCurrency(null), undefined);
    const f = createFormats('xx-!!', 'nope');
    assert.equal(f.locale, 'en');
    assert.equal(f.currency, undefined);
    assert.equal(f.money(1234), '1,234');
  });

  it('formats dates and instants in English', () => {
    assert.equal(formatTradingDate('2026-04-23'), 'Thursday, 23 April 2026');
    assert.equal(formatTradingDate('23.04.2026'), '23.04.2026');
    assert.equal(formatInstant('2026-04-24T02:03:40.123Z'), '2026-04-24 02:03 UTC');
    assert.equal(formatInstant('yesterday'), 'yesterday');
    assert.equal(hostOf('https://www.dsebd.org/latest_share_price_scroll_l.php'), 'dsebd.org');
    assert.equal(hostOf('not a url'), 'not a url');
  });
});
