// What the ECB adapters share: the home page, recognising an eurofxref XML document, and the span of
// its days — the 90-day file and the whole history have one schema and are told apart by it.

export const ECB_HOME =
  'https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/';

/** An ECB eurofxref XML document (daily, 90 days or the whole history). */
export const isEcbXml = (text: string): boolean => text.includes('eurofxref') && text.includes('<Cube');

/** The 90-day file spans under 90 calendar days; the whole history spans decades. */
export const HISTORY_MIN_SPAN_DAYS = 95;

/** Days between the first and the last `time="…"` of an ECB XML text (0 when fewer than two). */
export function xmlSpanDays(text: string): number {
  let min = Infinity;
  let max = -Infinity;
  for (const m of text.matchAll(/<Cube\s+time\s*=\s*["'](\d{4}-\d{2}-\d{2})["']/g)) {
    const t = Date.parse(`${m[1]}T00:00:00Z`);
    if (Number.isNaN(t)) continue;
    min = Math.min(min, t);
    max = Math.max(max, t);
  }
  return max > min ? (max - min) / 86_400_000 : 0;
}
