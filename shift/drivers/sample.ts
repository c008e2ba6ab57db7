// The observed-split sample both drivers take: `requests` readiness requests through the main URL,
// `concurrency` at a time, counted by the colour that answered (anything else counts as `other`).
import { COLORS, READINESS_PATH, type Color } from '../../contract/index.ts';
import type { ProbeRequest, ProbeResult, SplitSample } from '../port.ts';

export async function sampleSplit(
  probe: (req: ProbeRequest) => Promise<ProbeResult>,
  requests: number,
  concurrency: number,
): Promise<SplitSample> {
  const counts = Object.fromEntries(COLORS.map((c) => [c, 0])) as Record<Color, number>;
  let other = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      next += 1;
      const r = await probe({ route: { via: 'main' }, path: READINESS_PATH });
      if (r.status > 0 && (COLORS as readonly string[]).includes(r.color ?? ''))
        counts[r.color as Color] += 1;
      else other += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  return { counts, other };
}
