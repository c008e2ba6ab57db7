// A generated whole ECB history for the backfill benchmark: every weekday from 1999-01-04 over
// `years` years (25 by default: ~6,500 days), each with the 32 currencies of the real 90-day file,
// rates a deterministic random walk from that file's first day, written with the ECB's five
// significant digits in the 90-day file's compact XML (eurofxref-hist.xml has the same schema).
// `node --import tsx bench/ecbHistory.ts <out.xml> [years]` writes one.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const NINETY = fileURLToPath(
  new URL('../test/fixtures/pages/real/ecb/eurofxref-hist-90d_2021-07-05.xml', import.meta.url),
);

/** The currencies and rates of the real file's newest day. */
function startRates(): [string, number][] {
  const text = readFileSync(NINETY, 'utf8');
  const day = /<Cube time="[\d-]+">(.*?)<\/Cube>/.exec(text)?.[1] ?? '';
  return [...day.matchAll(/currency="([A-Z]{3})" rate="([\d.]+)"/g)].map((m) => [m[1]!, Number(m[2])]);
}

/** Five significant digits, trailing zeros dropped, as the ECB writes rates ("1.1866", "131.58"). */
function ecbRate(n: number): string {
  return String(Number(n.toPrecision(5)));
}

export function generateEcbHistory(years = 25): { xml: string; days: number; currencies: number } {
  const rates = startRates();
  let seed = 20240105;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const dates: string[] = [];
  for (let t = Date.UTC(1999, 0, 4); t < Date.UTC(1999 + years, 0, 1); t += 86_400_000) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) dates.push(new Date(t).toISOString().slice(0, 10));
  }
  const levels = rates.map(([, r]) => r);
  const lines: string[] = [];
  for (const date of dates) {
    const cubes = rates.map(([c], i) => {
      levels[i] = levels[i]! * (1 + (rand() - 0.5) * 0.01);
      return `<Cube currency="${c}" rate="${ecbRate(levels[i]!)}"/>`;
    });
    lines.push(`<Cube time="${date}">${cubes.join('')}</Cube>`);
  }
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><gesmes:subject>Reference rates</gesmes:subject><gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender><Cube>' +
    lines.reverse().join('') +
    '</Cube></gesmes:Envelope>';
  return { xml, days: dates.length, currencies: rates.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? 'eurofxref-hist.xml';
  const { xml, days, currencies } = generateEcbHistory(Number(process.argv[3] ?? 25));
  writeFileSync(out, xml);
  process.stdout.write(`${out}: ${days} days × ${currencies} currencies, ${xml.length} bytes\n`);
}
