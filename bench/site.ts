// siteBytesGzip (issue 12 §4): the first page view — the page, its stylesheet and its script,
// each gzipped as a server would send them — for 400 symbols with 30 trading days of history.
// Also the per-symbol page (loaded only when a symbol is opened) for the same case.
import { gzipSync } from 'node:zlib';
import {
  HISTORY_DAYS,
  publishKeys,
  symbolsPageKey,
  yearPageKey,
  type LatestPointer,
} from '../contract/index.ts';
import type { Quote } from '../contract/quote.ts';
import { ASSET_KEYS, renderSite } from '../site/render.ts';
import { renderSymbols } from '../site/symbols.ts';
import type { SiteInput } from '../site/types.ts';

/** A deterministic market: `symbols` shares with `days` trading days of closes (a random walk). */
export function sampleSiteInput(symbols = 400, days = HISTORY_DAYS): SiteInput {
  let seed = 42;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const dates = Array.from({ length: days }, (_, i) =>
    new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10),
  );
  const date = dates.at(-1) ?? '2026-10-30';
  const closes: Record<string, (number | null)[]> = {};
  const quotes: Quote[] = [];
  for (let s = 0; s < symbols; s++) {
    const symbol = `SYM${String(s).padStart(4, '0')}`;
    let price = 10 + rand() * 500;
    const series = dates.map(() => (price = Math.round(price * (1 + (rand() - 0.5) * 0.06) * 100) / 100));
    closes[symbol] = series;
    const close = series.at(-1) ?? 0;
    const prev = series.at(-2) ?? close;
    quotes.push({
      source: 'bench',
      date,
      symbol,
      name: `Company ${s} Holdings S.A.`,
      isin: `PL${String(1e9 + s)}0`,
      open: prev,
      high: Math.max(prev, close),
      low: Math.min(prev, close),
      close,
      previousClose: prev,
      change: Math.round((close - prev) * 100) / 100,
      volume: Math.round(rand() * 1e6),
      trades: Math.round(rand() * 5000),
      turnover: Math.round(rand() * 1e8),
      derived: ['previousClose', 'change'],
    });
  }
  const id = '2026-10-30T18-00-00.000Z-0123abcd';
  const keys = publishKeys('bench', date, id);
  const pointer: LatestPointer = {
    source: 'bench',
    date,
    fetchedAt: `${date}T18:00:00.000Z`,
    generatedAt: `${date}T18:00:00.000Z`,
    version: 'bench',
    sourceUrl: 'https://example.test/quotes',
    publishId: id,
    counts: { quotes: symbols, rejected: 0 },
    keys: { raw: 'raw/bench/x.html', ...keys, index: 'index.html', assets: [] },
  };
  const pages = dates.map((d) => ({ date: d, page: `data/bench/${d}/${id}.html` }));
  return {
    pointer,
    quotes,
    source: {
      id: 'bench',
      title: 'Bench Exchange',
      homepage: 'https://example.test/',
      locale: 'pl-PL',
      currency: 'PLN',
    },
    history: { dates, closes },
    nav: {
      month: pages.filter((p) => p.date.slice(0, 7) === date.slice(0, 7)),
      // 25 years of calendars, as a source published since 1999 links them.
      years: Array.from({ length: 26 }, (_, i) => ({
        year: String(1999 + i),
        page: yearPageKey('bench', String(1999 + i)),
      })),
      ...(pages.at(-2) ? { previous: pages.at(-2)! } : {}),
      datesIndex: 'data/bench/dates.json',
      symbolsPage: symbolsPageKey('bench'),
    },
  };
}

/** Gzipped bytes of the first view: index.html + stylesheet + script (what a first visit downloads). */
export function firstViewBytesGzip(input: SiteInput): number {
  return (
    renderSite(input)
      // The chart page's script loads only on the chart page.
      .filter((f) => f.key !== 'error.html' && f.key !== ASSET_KEYS.chart)
      .reduce((sum, f) => sum + gzipSync(f.body).length, 0)
  );
}

export async function run(): Promise<Record<string, number>> {
  const input = sampleSiteInput();
  const chart = renderSymbols({
    source: input.source,
    symbols: input.quotes.map((q) => ({ symbol: q.symbol, name: q.name ?? null })),
    seriesKeys: new Map(input.quotes.map((q) => [q.symbol, `data/bench/series/x/${q.symbol}.csv`])),
    through: input.pointer.date,
    windowKey: 'data/bench/history/x.json',
    latestDate: input.pointer.date,
    latestHref: '/bench/',
  });
  return {
    siteBytesGzip: firstViewBytesGzip(input),
    siteSymbolsBytesGzip: gzipSync(chart).length,
  };
}
