// What the publish-consistency tests read like a user: the bucket keys a page links, whether those
// links mix two publishes of one date, and a poll loop that runs until the test stops it.

/** The bucket keys a page links (data/, assets/), without #fragments. */
export function bucketLinks(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="\/((?:data|assets)\/[^"#]+)/g)].map((m) => m[1] ?? '');
}

/**
 * A consistent page links each date's data files (JSON, CSV) through one publish and its pages
 * (page, symbols page) through one publish: a date whose data did not change is re-rendered over the
 * data files already published, so the two may differ. Other dates are linked by the history
 * navigation. Returns what is wrong, [] when nothing.
 */
export function mixedPublishes(links: string[]): string[] {
  const byDate = new Map<string, Set<string>>();
  for (const link of links) {
    const m = /^data\/[^/]+\/(\d{4}-\d{2}-\d{2})\/(.+?)(?:\.symbols)?\.(\w+)$/.exec(link);
    if (!m?.[1] || !m[2]) continue;
    const files = `${m[1]} ${m[3] === 'html' ? 'pages' : 'data files'}`;
    const ids = byDate.get(files) ?? new Set<string>();
    ids.add(m[2]);
    byDate.set(files, ids);
  }
  if (byDate.size === 0) return ['the page links no published data'];
  return [...byDate]
    .filter(([, ids]) => ids.size !== 1)
    .map(([files, ids]) => `the page links the ${files} of ${ids.size} publishes: ${[...ids].join(', ')}`);
}

/** Runs `once` over and over until stop(), which resolves after the read in progress with `result()`. */
export function pollUntilStopped<T>(once: () => Promise<void>, result: () => T): { stop(): Promise<T> } {
  let running = true;
  const loop = (async () => {
    while (running) await once();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return result();
    },
  };
}
