// Backfill: load history from saved pages (or the source's series page) through the same parse,
// gate and publish as a daily ingest, one page after another. Each page is one publish; dates
// already published with the same data are not written again.
import { basename } from 'node:path';
import { runIngest, type IngestDeps, type IngestSummary } from './pipeline.ts';
import { getSource } from './source/index.ts';

export interface BackfillOptions {
  bucket: string;
  source: string;
  /** Inclusive date range to publish; open ends take every date. */
  from?: string;
  to?: string;
  /** Saved pages; none: fetch the source's URL (a series page) once. */
  files: string[];
  version: string;
  color?: string;
}

export interface BackfillStep {
  /** 1-based page number and the number of pages. */
  index: number;
  total: number;
  label: string;
  summary: IngestSummary;
}

export async function runBackfill(
  deps: IngestDeps & { readFile: (path: string) => Promise<Buffer> },
  opts: BackfillOptions,
  onStep: (step: BackfillStep) => void,
): Promise<IngestSummary[]> {
  const adapter = getSource(opts.source);
  const range = { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) };
  const pages = opts.files.length > 0 ? opts.files : [undefined];
  const out: IngestSummary[] = [];
  for (const [i, file] of pages.entries()) {
    const saved = file === undefined ? undefined : { body: await deps.readFile(file), name: file };
    const summary = await runIngest(deps, {
      bucket: opts.bucket,
      source: adapter.id,
      url: adapter.defaultUrl,
      range,
      version: opts.version,
      ...(saved ? { saved } : {}),
      ...(opts.color ? { color: opts.color } : {}),
    });
    out.push(summary);
    onStep({ index: i + 1, total: pages.length, label: file ? basename(file) : adapter.defaultUrl, summary });
  }
  return out;
}

/** One progress line for a terminal: a bar over the pages and what the last page did. */
export function progressLine(step: BackfillStep, width = 20): string {
  const filled = Math.round((step.index / step.total) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const d = step.summary.dates;
  return `${bar} ${step.index}/${step.total} ${step.label}: ${d.written.length} written (${d.changed.length} changed), ${d.unchanged.length} unchanged, ${d.refused.length} refused`;
}
