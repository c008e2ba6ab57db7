// Where a CPU profile's time went, by part of the work: the site renderer, the S3 SDK, parsing,
// the data files and digests, garbage collection, waiting (idle: S3 round trips), the rest. Reads a
// .cpuprofile (Chrome DevTools format, as `node --cpu-prof` writes it).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PARTS: [string, (url: string, fn: string) => boolean][] = [
  ['idle (waiting on S3)', (_u, fn) => fn === '(idle)'],
  ['garbage collection', (_u, fn) => fn === '(garbage collector)'],
  ['rendering (site/)', (u) => /\/site\//.test(u)],
  ['S3 SDK (@aws-sdk, @smithy)', (u) => /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(u)],
  [
    'parsing (htmlparser2, ingest/source, ingest/parse)',
    (u) => /htmlparser2|\/ingest\/(source|parse)\//.test(u),
  ],
  ['publish planning, data files, digests (ingest/)', (u) => /\/ingest\//.test(u)],
  ['HTTP and streams (node:)', (u) => /^node:/.test(u)],
  ['module loading (tsx)', (u) => /tsx|esbuild/.test(u)],
];

/** Milliseconds per part, largest first. */
export function profileParts(file: string): { part: string; ms: number }[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const url = frame?.url ?? '';
    const fn = frame?.functionName ?? '';
    const part = PARTS.find(([, match]) => match(url, fn))?.[0] ?? 'other';
    out.set(part, (out.get(part) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return [...out].map(([part, ms]) => ({ part, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms);
}
