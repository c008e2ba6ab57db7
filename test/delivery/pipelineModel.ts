// The pipeline files as data for tests: jobs with `extends` and `default` applied (GitLab's merge is
// deep for hashes such as variables and id_tokens, arrays are replaced), and every script line a job runs.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

export type Job = Record<string, unknown> & {
  stage?: string;
  script?: string[];
  before_script?: string[];
  needs?: (string | { job: string; pipeline?: string })[];
  rules?: Record<string, unknown>[];
};

const RESERVED = new Set([
  'workflow',
  'stages',
  'variables',
  'default',
  'include',
  'image',
  'services',
  'cache',
]);

export function readPipeline(path: string): Record<string, unknown> {
  return load(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

const isHash = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    const prev = into[k];
    if (isHash(prev) && isHash(v)) {
      const copy = { ...prev };
      deepMerge(copy, v);
      into[k] = copy;
    } else into[k] = v;
  }
}

function resolve(doc: Record<string, unknown>, name: string): Job {
  const own = doc[name] as Job;
  const parents = ([] as string[]).concat((own.extends as string | string[] | undefined) ?? []);
  const merged: Job = {};
  for (const p of parents) deepMerge(merged, resolve(doc, p));
  deepMerge(merged, own);
  delete merged.extends;
  return merged;
}

/** Visible jobs (not hidden templates), extends and `default:` applied. */
export function jobsOf(doc: Record<string, unknown>): Record<string, Job> {
  const defaults = (doc.default ?? {}) as Job;
  const names = Object.keys(doc).filter((k) => !RESERVED.has(k) && !k.startsWith('.'));
  return Object.fromEntries(names.map((n) => [n, { ...defaults, ...resolve(doc, n) }]));
}

export function scriptLines(job: Job): string[] {
  return [
    ...(job.before_script ?? []),
    ...(job.script ?? []),
    ...((job.after_script as string[] | undefined) ?? []),
  ];
}

export function needNames(job: Job): string[] {
  return (job.needs ?? []).map((n) => (typeof n === 'string' ? n : n.job));
}

/** `npm run <script>` names used by any line. */
export const npmScripts = (lines: string[]): string[] =>
  lines.flatMap((l) => [...l.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? ''));

/** `exchange <verb>` verbs used by any line (npx exchange …, node bin/exchange.js …). */
export const exchangeVerbs = (lines: string[]): string[] =>
  lines.flatMap((l) =>
    [...l.matchAll(/(?:npx exchange|bin\/exchange\.js) ([a-z][\w-]*)/g)].map((m) => m[1] ?? ''),
  );

/** Repository files a line runs (ci/…, scripts/…). */
export const repoFiles = (lines: string[]): string[] =>
  lines.flatMap((l) =>
    [...l.matchAll(/(?:^|\s)((?:ci|scripts)\/[\w./-]+\.(?:ts|sh|mjs|js))/g)].map((m) => m[1] ?? ''),
  );
