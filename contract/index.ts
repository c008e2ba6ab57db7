// The plain constants both halves of the system agree on: the app (ingest, site, serve) and the
// infrastructure (components, stacks, policies) import this module and nothing else of each other.

/** Port the `serve` container listens on; the target group and security groups use the same. */
export const SERVICE_PORT = 8080;

/**
 * Liveness: 200 while the process is up and its last background check reached its bucket (data or no
 * data, fresh or stale). The ECS container health check and the ALB target group probe this path, so a
 * weekend of failed ingests never makes ECS replace tasks in a loop or roll back a fix.
 */
export const LIVENESS_PATH = '/livez';

/**
 * Readiness: 200 only while data/latest.json is readable, names objects that exist and is younger than
 * the service's max data age; the JSON body carries colour, version and data date. The shift's preflight
 * and gates, `deploy-check` and the pipeline's verify step require it; ECS does not.
 */
export const READINESS_PATH = '/healthz';

/**
 * The ALB target group's health check, in plain numbers: the target group in components/ and the local
 * router in local/ both read it, so a rehearsal on a laptop detects a sick colour exactly as fast as the
 * ALB does. Interval must exceed timeout (ELBv2 rule); 2 healthy × 10 s puts a new task in service in ~20 s.
 */
export const TARGET_HEALTH = {
  path: LIVENESS_PATH,
  matcher: '200',
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
} as const;

/**
 * The shared ALB's connection idle timeout, seconds (ELB's default, 60). The ALB reuses a connection to a
 * target until it has been idle this long.
 */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;

/**
 * `serve`'s HTTP keep-alive timeout, derived from the ALB's: AWS asks for a target idle timeout longer
 * than the load balancer's, else the target may close a connection the ALB is about to reuse and the ALB
 * answers 502 (ELB User Guide, "Edit attributes for your Application Load Balancer": connection idle
 * timeout). The policy pack refuses an ALB whose idleTimeout is not below this.
 */
export const SERVE_KEEP_ALIVE_TIMEOUT_MS = (ALB_IDLE_TIMEOUT_SECONDS + 5) * 1000;

/** Name of the single container in the task definition (the service's load balancer wiring uses it). */
export const CONTAINER_NAME = 'exchange';

/**
 * The Node heap cap a task of `taskMemoryMiB` runs with (NODE_OPTIONS=--max-old-space-size): 3/8 of
 * the task's memory, so code, buffers and the young generation fit beside it. Without a cap V8 sizes
 * the heap from the host, not the task, and lets garbage grow: a 25-year backfill then peaked at
 * 430 MiB RSS, with a 192 MiB cap at 234 MiB for 19 % more CPU (measured, README "Benchmarks").
 * The task definition sets it and the backfill benchmark runs with it.
 */
export function heapCapMiB(taskMemoryMiB: number): number {
  return Math.floor((taskMemoryMiB * 3) / 8);
}

export function nodeOptions(taskMemoryMiB: number): string {
  return `--max-old-space-size=${heapCapMiB(taskMemoryMiB)}`;
}

/** Header that routes a request to one colour through the shared listener's test rule. */
export const COLOR_HEADER = 'X-Exchange-Color';

/**
 * Header carrying the test route's shared secret (stack config `testRouteSecret`): a colour's test route
 * answers a request with it, or one from an allowed source CIDR (a listener rule each). Pipelines and the
 * shift's probes send it from EXCHANGE_TEST_KEY, since CI runners have no fixed address.
 */
export const TEST_KEY_HEADER = 'X-Exchange-Test-Key';

/** The two environment colours. */
export const COLORS = ['blue', 'green'] as const;
export type Color = (typeof COLORS)[number];

/** Environment variables the task definition sets and the app reads. */
export const ENV = {
  bucket: 'EXCHANGE_BUCKET',
  color: 'EXCHANGE_COLOR',
  version: 'EXCHANGE_VERSION',
  imageTag: 'EXCHANGE_IMAGE_TAG',
  commit: 'EXCHANGE_COMMIT',
  source: 'EXCHANGE_SOURCE',
  port: 'PORT',
  s3Endpoint: 'AWS_ENDPOINT_URL_S3',
  /** The test route's secret for probes (shift, release verify); never set in a task definition. */
  testKey: 'EXCHANGE_TEST_KEY',
} as const;

/**
 * Bucket layout: the contract between ingest, the site, `serve`, the health checks and IAM. Every
 * object a publish creates under data/ and assets/ has a key of its own that is never written again
 * (publish- or content-addressed), so it may be cached as immutable; only the entry points
 * (data/latest.json, index.html, error.html) are rewritten, last, once everything they name exists.
 */
export const LAYOUT = {
  /** Fetched bytes, unchanged: raw/<source>/<date>/<fetchedAt>.<ext> */
  rawPrefix: 'raw/',
  /** Raw pages that failed the gate, for debugging: failed/<source>/<date>/<fetchedAt>.<ext> */
  failedPrefix: 'failed/',
  /** One publish: data/<source>/<date>/<publishId>.json, .csv and .html (the page), immutable. */
  dataPrefix: 'data/',
  /** The pointer, written last (with index.html). */
  latestKey: 'data/latest.json',
  indexKey: 'index.html',
  errorKey: 'error.html',
  /** Static site assets, content-addressed: assets/<name>.<hash>.<ext>, immutable. */
  assetsPrefix: 'assets/',
  /**
   * The sources registry: each source's latest publish (date, page, summary) and the landing page of a
   * bucket holding several sources. Rewritten by every publish (compare-and-swap), with the pointer.
   */
  sourcesKey: 'data/sources.json',
  /** Landing pages (several sources in one bucket): data/_landing/<publishId>.html, immutable. */
  landingPrefix: 'data/_landing/',
} as const;

/** Key prefixes the public site may expose (bucket policy, `serve`); raw/ and failed/ never. */
export const PUBLIC_KEY_PATTERNS = [
  LAYOUT.indexKey,
  LAYOUT.errorKey,
  `${LAYOUT.assetsPrefix}*`,
  `${LAYOUT.dataPrefix}*`,
];

const PUBLISH_ID = String.raw`\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{3})?Z-[0-9a-f]{8}`;

/** A publish id: the generation time (":" made safe) and 8 hex of the data file's digest. */
export const PUBLISH_ID_PATTERN = new RegExp(`^${PUBLISH_ID}$`);

/** A symbol as a key segment: letters, digits and '-' kept, anything else as _<hex> ('_' too). */
export const SYMBOL_SLUG = String.raw`[A-Za-z0-9_-]{1,96}`;

/**
 * Shape of every key a publish writes under data/ (besides the pointer); `serve` 404s others without
 * a GET: one date's files (and its per-symbol page, before series files), a source's history window,
 * its per-symbol series files, its dates index, year pages and chart page, the sources registry and
 * the landing pages.
 */
export const PUBLISH_KEY_PATTERN = new RegExp(
  String.raw`^data/(?:[a-z0-9-]+/(?:\d{4}-\d{2}-\d{2}/${PUBLISH_ID}(?:\.symbols)?\.(?:json|csv|html)|history/${PUBLISH_ID}\.json|series/${PUBLISH_ID}/${SYMBOL_SLUG}\.csv|years/\d{4}\.html|symbols\.html|dates\.json)|_landing/${PUBLISH_ID}\.html|sources\.json)$`,
);

/**
 * A key a publish writes once under a publish id (never rewritten): what `exchange prune` may remove
 * when nothing names it. Keys rewritten in place (dates.json, year and chart pages, the registry) are not.
 */
export function isPublishAddressed(key: string): boolean {
  return PUBLISH_KEY_PATTERN.test(key) && new RegExp(`/${PUBLISH_ID}[./]`).test(key);
}

/** Shape of every asset key (content-addressed); `serve` 404s other assets/ keys without a GET. */
export const ASSET_KEY_PATTERN = /^assets\/[a-z0-9-]+\.[0-9a-f]{12}\.(?:css|js)$/;

export function rawKey(source: string, date: string, fetchedAt: string, ext: string): string {
  return `${LAYOUT.rawPrefix}${source}/${date}/${safeStamp(fetchedAt)}.${ext}`;
}

export function failedKey(source: string, date: string, fetchedAt: string, ext: string): string {
  return `${LAYOUT.failedPrefix}${source}/${date}/${safeStamp(fetchedAt)}.${ext}`;
}

export function publishId(generatedAt: string, digestHex: string): string {
  return `${safeStamp(generatedAt)}-${digestHex.slice(0, 8)}`;
}

/** The immutable objects of one publish of one date; `symbols` is its per-symbol history page. */
export function publishKeys(
  source: string,
  date: string,
  id: string,
): { json: string; csv: string; page: string; symbols: string } {
  const base = `${LAYOUT.dataPrefix}${source}/${date}/${id}`;
  return { json: `${base}.json`, csv: `${base}.csv`, page: `${base}.html`, symbols: `${base}.symbols.html` };
}

/**
 * A source's dates index: every published date and the keys of its current publish, plus the key of
 * the history window. Rewritten by every publish of the source, with the entry points (short cache).
 */
export function datesKey(source: string): string {
  return `${LAYOUT.dataPrefix}${source}/dates.json`;
}

/** A source's history window (the last HISTORY_DAYS closes per symbol), publish-addressed, immutable. */
export function historyKey(source: string, id: string): string {
  return `${LAYOUT.dataPrefix}${source}/history/${id}.json`;
}

/** Trading days the history window (and so the sparklines and the charts' latest month) holds. */
export const HISTORY_DAYS = 30;

export function symbolSlug(symbol: string): string {
  return symbol.replace(/[^A-Za-z0-9-]/g, (c) => `_${(c.codePointAt(0) ?? 0).toString(16)}`).slice(0, 96);
}

/**
 * One symbol's closes, "date,close" lines, up to the series' `through` date: written together for
 * every symbol of a source (one id), when the history window would no longer reach back to it.
 * Immutable; the dates index names the current id. The charts read it and the window after it.
 */
export function seriesKey(source: string, id: string, symbol: string): string {
  return `${LAYOUT.dataPrefix}${source}/series/${id}/${symbolSlug(symbol)}.csv`;
}

/** A year's calendar of a source's published days; rewritten in place (short cache) as days are added. */
export function yearPageKey(source: string, year: string): string {
  return `${LAYOUT.dataPrefix}${source}/years/${year}.html`;
}

/** A source's chart page (one symbol at a time, by URL fragment); rewritten in place with each publish. */
export function symbolsPageKey(source: string): string {
  return `${LAYOUT.dataPrefix}${source}/symbols.html`;
}

/** The landing page of a bucket with several sources, publish-addressed; the registry names the current one. */
export function landingKey(id: string): string {
  return `${LAYOUT.landingPrefix}${id}.html`;
}

/** ISO timestamps contain ':' which is legal in S3 keys but awkward in URLs and shells. */
function safeStamp(iso: string): string {
  return iso.replace(/:/g, '-');
}

/** Shape of data/latest.json. */
export interface LatestPointer {
  source: string;
  /** Trading date, YYYY-MM-DD. */
  date: string;
  /** ISO time the page was fetched. */
  fetchedAt: string;
  /** ISO time the publish was generated. */
  generatedAt: string;
  /** App version that generated it. */
  version: string;
  /** Page URL the data came from. */
  sourceUrl: string;
  /** Names this publish's immutable keys (see publishKeys). */
  publishId: string;
  counts: { quotes: number; rejected: number };
  keys: {
    raw: string;
    json: string;
    csv: string;
    /** The publish's own page (immutable); `serve` answers / with it, so / follows the pointer. */
    page: string;
    /** index.html, a copy of `page` for readers of the bucket itself, written with the pointer. */
    index: string;
    /** The content-addressed assets the page links. */
    assets: string[];
    /** The per-symbol history page of this publish (absent before history). */
    symbols?: string;
    /** The source's dates index and history window when this publish was written (absent before history). */
    dates?: string;
    history?: string;
  };
}

/** Cache-Control values: short for the entry points, long for keys that are never rewritten. */
export const CACHE_CONTROL = {
  pointer: 'public, max-age=60',
  page: 'public, max-age=60',
  /** Publish- and content-addressed keys only (never rewritten). */
  dated: 'public, max-age=31536000, immutable',
  raw: 'private, max-age=31536000, immutable',
} as const;

/** One source's latest publish, as the sources registry (data/sources.json) lists it. */
export interface SourceEntry {
  source: string;
  title: string;
  /** 'fx' for exchange rates (the move is then the currencies' against the base). */
  kind?: 'fx';
  /** The base currency of an 'fx' source. */
  base?: string;
  /** Trading date of the latest day, and when it was published. */
  date: string;
  generatedAt: string;
  publishId: string;
  /** That day's page: `serve` answers /<source>/ with it. */
  page: string;
  quotes: number;
  /** The day's move: shares up/down/unchanged, or currencies stronger/weaker/unchanged against the base. */
  move: { up: number; down: number; unchanged: number; top?: { symbol: string; percent: number } };
}

/** data/sources.json: every source of the bucket; written with each publish that moves a source's pointer. */
export interface SourcesRegistry {
  updatedAt: string;
  /** The landing page (data/_landing/<id>.html), when the bucket holds two sources or more; else null. */
  landing: string | null;
  sources: Record<string, SourceEntry>;
}
