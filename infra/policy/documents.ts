// Pure readers the policies share: IAM/S3 policy documents (JSON text or objects), container
// definitions and image references. Every reader tolerates the shapes the AWS APIs accept.

export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of a policy document given as JSON text or an object; [] when it is not (yet) readable. */
export function statementsOf(doc: unknown): Statement[] {
  let value = doc;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return [];
    }
  }
  if (typeof value !== 'object' || value === null) return [];
  const stmts = (value as { Statement?: unknown }).Statement;
  if (Array.isArray(stmts)) return stmts.filter((s): s is Statement => typeof s === 'object' && s !== null);
  return typeof stmts === 'object' && stmts !== null ? [stmts as Statement] : [];
}

export function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `*`, `{ AWS: "*" }` or `{ AWS: ["*"] }`: anyone, including anonymous internet users. */
export function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return asList((principal as Record<string, unknown>).AWS).includes('*');
}

/** IAM wildcard match (`*` any run, `?` one char), case-insensitive as action names are. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(value);
}

/** Does any action pattern of the statement grant `action`? */
export function grants(stmt: Statement, action: string): boolean {
  return asList(stmt.Action).some((pattern) => wildcardMatches(pattern, action));
}

/** Object keys a resource ARN pattern covers, tested on a probe key (e.g. `raw/probe`). */
export function resourceCoversKey(resourceArn: string, key: string): boolean {
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)\/(.*)$/.exec(resourceArn);
  return m !== null && wildcardMatches(m[2] ?? '', key);
}

/** Condition values for a key under any operator (`StringEquals`, `StringLike`, …), with the operator. */
export function conditionValues(
  stmt: Statement,
  keySuffix: string,
): { operator: string; values: string[] }[] {
  const found: { operator: string; values: string[] }[] = [];
  for (const [operator, block] of Object.entries(stmt.Condition ?? {})) {
    for (const [key, value] of Object.entries(block ?? {})) {
      if (key.toLowerCase().endsWith(keySuffix.toLowerCase()))
        found.push({ operator, values: asList(value) });
    }
  }
  return found;
}

/** Container definitions (JSON text or array); [] when unreadable. */
export function containersOf(defs: unknown): { name?: string; image?: string }[] {
  let value = defs;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return [];
    }
  }
  return Array.isArray(value)
    ? value.filter((c): c is { name?: string; image?: string } => typeof c === 'object' && c !== null)
    : [];
}
