// Derives, from a checkout of terraform-provider-aws (the code @pulumi/aws bridges), which AWS API operations
// each resource type's create/read/update/delete and each data source's read may call: it follows the Go call
// graph inside the resource's package from its CRUD functions and collects every SDK client call. The result is
// data (operation names per resource), committed as test/iam/data/providerActions.json with the commit it came
// from; none of the provider's code is copied.
//
//   node --import tsx test/iam/derive/providerActions.ts <provider git dir> <commit>
//
// It reads the terraform names from test/iam/resourceTypes.ts, so adding a resource type is: add its entry
// there, run this, commit the JSON. An over-approximation by design: a call on any path (a retry, a
// force-destroy branch) counts, which is what a role needs to never fail an `up` half-way.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROVIDER_SOURCE, providerTerraformNames } from '../resourceTypes.ts';

type Phase = 'create' | 'read' | 'update' | 'delete';
interface GoFunc {
  key: string;
  name: string;
  recv?: string;
  file: string;
  params: string;
  body: string;
}

/** Go client accessor / SDK package → IAM service prefix. */
const ACCESSOR: Record<string, string> = {
  EC2: 'ec2',
  ELBV2: 'elasticloadbalancing',
  ELB: 'elasticloadbalancing',
  IAM: 'iam',
  S3: 's3',
  ECS: 'ecs',
  Logs: 'logs',
  CloudWatch: 'cloudwatch',
  Events: 'events',
  Scheduler: 'scheduler',
  SNS: 'sns',
  SQS: 'sqs',
  STS: 'sts',
  AppAutoScaling: 'application-autoscaling',
};
const SDK_PACKAGE: Record<string, string> = {
  ec2: 'ec2',
  elbv2: 'elasticloadbalancing',
  elb: 'elasticloadbalancing',
  iam: 'iam',
  s3: 's3',
  ecs: 'ecs',
  cloudwatchlogs: 'logs',
  cloudwatch: 'cloudwatch',
  eventbridge: 'events',
  scheduler: 'scheduler',
  sns: 'sns',
  sqs: 'sqs',
  sts: 'sts',
  applicationautoscaling: 'application-autoscaling',
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** The body of the function whose signature starts at `start`: from its opening brace to the matching one. */
function bodyAt(src: string, start: number): string {
  // The brace that ends the signature (a trailing comment may follow it on the same line).
  const open = start + src.slice(start).search(/\{[ \t]*(\/\/[^\n]*)?\n/);
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === '`' || c === "'") {
      const end = c === '`' ? src.indexOf('`', i + 1) : skipQuoted(src, i, c);
      i = end;
    } else if (c === '/' && src[i + 1] === '/') i = src.indexOf('\n', i);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return src.slice(open, i + 1);
  }
  return src.slice(open);
}

function skipQuoted(src: string, i: number, q: string): number {
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === q || src[j] === '\n') return j;
  }
  return src.length;
}

function parseFuncs(file: string, src: string): GoFunc[] {
  const out: GoFunc[] = [];
  for (const m of src.matchAll(/^func (?:\(\w+ \*?(\w+)\) )?(\w+)\(([^\n]*)/gm)) {
    const [, recv, name = '', params = ''] = m;
    out.push({
      key: recv ? `${recv}.${name}` : name,
      name,
      ...(recv ? { recv } : {}),
      file,
      params,
      body: bodyAt(src, m.index ?? 0),
    });
  }
  return out;
}

/** `service:Operation` for every SDK client call in one function. */
function sdkCalls(f: GoFunc, packageService: string): string[] {
  const vars = new Map<string, string>();
  for (const m of f.params.matchAll(/(\w+) \*?(\w+?)(?:iface)?\.\w+/g))
    if (m[1] && m[2] && SDK_PACKAGE[m[2]]) vars.set(m[1], SDK_PACKAGE[m[2]] ?? '');
  for (const m of f.body.matchAll(/(\w+) :?= [^\n]*?\b(\w+?)(?:Conn|Client)\(ctx\)/g))
    if (m[1] && m[2] && ACCESSOR[m[2]]) vars.set(m[1], ACCESSOR[m[2]] ?? '');
  const ops: string[] = [];
  for (const m of f.body.matchAll(/\b(\w+)\.([A-Z]\w*)\(/g)) {
    const service = vars.get(m[1] ?? '') ?? (m[1] === 'conn' ? packageService : undefined);
    if (service) ops.push(`${service}:${strip(m[2] ?? '')}`);
  }
  for (const m of f.body.matchAll(/\b(\w+?)(?:Conn|Client)\(ctx\)\.([A-Z]\w*)\(/g))
    if (m[1] && ACCESSOR[m[1]]) ops.push(`${ACCESSOR[m[1]]}:${strip(m[2] ?? '')}`);
  return ops;
}

const strip = (op: string) => op.replace(/(PagesWithContext|WithContext|Pages|Request)$/, '');

class Package {
  readonly funcs = new Map<string, GoFunc[]>();
  constructor(
    readonly service: string,
    files: Record<string, string>,
  ) {
    for (const [file, src] of Object.entries(files))
      for (const f of parseFuncs(file, src)) this.funcs.set(f.name, [...(this.funcs.get(f.name) ?? []), f]);
  }

  /** Every operation reachable from the roots (functions of the package only; methods by name). */
  reach(roots: GoFunc[]): string[] {
    const seen = new Set<GoFunc>();
    const queue = [...roots];
    const ops = new Set<string>();
    while (queue.length > 0) {
      const f = queue.pop() as GoFunc;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const op of sdkCalls(f, this.service)) ops.add(op);
      for (const m of f.body.matchAll(/(\.?)\b([A-Za-z_]\w*)\(/g)) {
        const candidates = (this.funcs.get(m[2] ?? '') ?? []).filter((g) => (m[1] === '.') === !!g.recv);
        queue.push(...candidates);
      }
      // Functions passed as values (`finder = FindRouteByIPv4Destination`, `RetryWhen(…, findX)`).
      for (const m of f.body.matchAll(/(?:= |\(|, )([A-Za-z_]\w*)(?=\s*[,)\n])/g))
        queue.push(...(this.funcs.get(m[1] ?? '') ?? []).filter((g) => !g.recv));
    }
    return [...ops].sort();
  }
}

function locate(dir: string, commit: string, tf: string): string {
  for (const pattern of [`@SDKResource("${tf}"`, `@SDKDataSource("${tf}"`, `TypeName = "${tf}"`]) {
    let out = '';
    try {
      out = git(dir, 'grep', '-l', '-F', pattern, commit, '--', 'internal/service/*.go');
    } catch {
      continue;
    }
    const file = out
      .split('\n')
      .map((l) => l.slice(commit.length + 1))
      .find((l) => l !== '' && !l.endsWith('_test.go'));
    if (file) return file;
  }
  throw new Error(`${tf}: no resource or data source of that name at ${commit}`);
}

function packageOf(dir: string, commit: string, file: string): Record<string, string> {
  const folder = file.slice(0, file.lastIndexOf('/'));
  const names = git(dir, 'ls-tree', '--name-only', commit, `${folder}/`)
    .split('\n')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
  return Object.fromEntries(names.map((f) => [f, git(dir, 'show', `${commit}:${f}`)]));
}

const FOLDER_SERVICE: Record<string, string> = {
  elbv2: 'elasticloadbalancing',
  elb: 'elasticloadbalancing',
  logs: 'logs',
  events: 'events',
};

/** Phase roots: SDKv2 schema fields (`CreateWithoutTimeout: f`), or a framework resource's methods. */
function roots(pkg: Package, file: string, src: string): Record<Phase, GoFunc[]> {
  const byName = (n: string) => (pkg.funcs.get(n) ?? []).filter((f) => !f.recv);
  const out: Record<Phase, GoFunc[]> = { create: [], read: [], update: [], delete: [] };
  for (const m of src.matchAll(/\b(Create|Read|Update|Delete)(?:WithoutTimeout|Context)?:\s+(\w+)/g))
    out[(m[1] ?? '').toLowerCase() as Phase].push(...byName(m[2] ?? ''));
  // Framework: methods of the types defined in this file, plus the phase methods they embed.
  const types = [...src.matchAll(/^type (\w+) struct \{\n\t(\w+)?/gm)].flatMap((m) =>
    [m[1], m[2]].filter((t): t is string => !!t),
  );
  const methods = [...pkg.funcs.values()].flat().filter((f) => f.recv && types.includes(f.recv));
  const fields = new Map([...src.matchAll(/\br\.(\w+) = r\.(\w+)/g)].map((m) => [m[1], m[2]]));
  for (const phase of ['create', 'read', 'update', 'delete'] as Phase[]) {
    const method = phase.charAt(0).toUpperCase() + phase.slice(1);
    const own = methods.filter((f) => f.name === method);
    if (own.length === 0) continue;
    out[phase].push(...own);
    // The base calls r.create / r.delete / r.findByID, which the constructor points at this file's methods.
    const field = { create: 'create', read: 'findByID', update: 'findByID', delete: 'delete' }[phase];
    const target = fields.get(field);
    if (target) out[phase].push(...methods.filter((f) => f.name === target && f.file === file));
  }
  return out;
}

function derive(dir: string, commit: string, tf: string) {
  const file = locate(dir, commit, tf);
  const files = packageOf(dir, commit, file);
  const folder = file.split('/')[2] ?? '';
  const pkg = new Package(FOLDER_SERVICE[folder] ?? folder, files);
  const src = files[file] ?? '';
  const r = roots(pkg, file, src);
  const phases = Object.fromEntries((Object.keys(r) as Phase[]).map((p) => [p, pkg.reach(r[p])])) as Record<
    Phase,
    string[]
  >;
  // @Tags: the provider's interceptor lists tags after every read and updates them on update; creating with
  // tags is authorized as the service's tag action (ECS, IAM, SQS, ELB… document this for tag-on-create).
  const annotated = new RegExp(`@Tags\\(`).test(
    src.slice(0, src.search(/^func (?:new)?[Rr]esource|^func DataSource/m)),
  );
  if (annotated) {
    const list = pkg.reach([...(pkg.funcs.get('listTags') ?? []), ...(pkg.funcs.get('ListTags') ?? [])]);
    const update = pkg.reach([
      ...(pkg.funcs.get('updateTags') ?? []),
      ...(pkg.funcs.get('UpdateTags') ?? []),
    ]);
    phases.read = [...new Set([...phases.read, ...list])].sort();
    phases.update = [...new Set([...phases.update, ...update, ...list])].sort();
    const tagOnCreate = update.filter((op) => !/:(Untag|Remove|Delete)/.test(op));
    phases.create = [...new Set([...phases.create, ...tagOnCreate, ...list])].sort();
  }
  return { file, tagged: annotated, ...phases };
}

function main(): void {
  const [dir, commit] = process.argv.slice(2);
  if (!dir || !commit) {
    process.stderr.write('usage: providerActions.ts <terraform-provider-aws git dir> <commit>\n');
    process.exit(2);
  }
  const names = providerTerraformNames();
  const entries = Object.fromEntries(names.map((tf) => [tf, derive(dir, commit, tf)]));
  const out = {
    source: { ...PROVIDER_SOURCE, commit },
    derivedBy: 'test/iam/derive/providerActions.ts',
    operations: entries,
  };
  const path = fileURLToPath(new URL('../data/providerActions.json', import.meta.url));
  writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`wrote ${names.length} entries to ${path}\n`);
}

main();
