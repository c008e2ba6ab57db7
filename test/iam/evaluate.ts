// One request through AWS's policy logic (@cloud-copilot/iam-simulate): the principal's identity policies
// and permissions boundary, and the resource policy of the resource it names, same account. `expectCase`
// counts the allowed and denied cases the proof asserts and explains a wrong decision by the statements
// that made it.
import {
  allowedContextKeysForRequest,
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type RequestAnalysis,
} from '@cloud-copilot/iam-simulate';
import {
  createValidatedPolicy,
  validateIdentityPolicy,
  validateResourcePolicy,
  type ValidatedPolicy,
} from '@cloud-copilot/iam-policy';
import type { NamedPolicy, Role, World } from './world.ts';

// Validated once per document (the evaluator re-validates raw documents on every request).
const validated = new WeakMap<object, ValidatedPolicy>();
function valid(doc: object, resource = false): ValidatedPolicy {
  let v = validated.get(doc);
  if (!v) {
    v = createValidatedPolicy(doc, resource ? validateResourcePolicy : validateIdentityPolicy);
    validated.set(doc, v);
  }
  return v;
}
const named = (p: NamedPolicy) => ({ name: p.name, policy: valid(p.policy) });

export interface Request {
  /** A role of the world, or a service principal (`cloudwatch.amazonaws.com`). */
  principal: Role | string;
  action: string;
  resource: string;
  /** Condition keys the request carries; keys the catalogue does not list for the action are dropped. */
  context?: Record<string, string | string[]>;
}

export type Expectation = 'allow' | 'deny';

/** Cases asserted so far in this process (one test file), printed by the proof. */
export const ledger = { allowed: 0, denied: 0 };

/** Actions allowed for a principal carrying each boundary (ARN → actions), to find grants nothing uses. */
export const usedUnder = new Map<string, Set<string>>();

export const describeRequest = (r: Request) =>
  `${typeof r.principal === 'string' ? r.principal : r.principal.label} ${r.action} on ${r.resource}` +
  (r.context && Object.keys(r.context).length > 0 ? ` (${JSON.stringify(r.context)})` : '');

/** The resource policy that applies: the bucket's for its objects, else the resource's own. */
function resourcePolicy(world: World, resource: string) {
  if (resource.startsWith('arn:aws:s3:::')) return world.resourcePolicies.get(resource.split('/')[0] ?? '');
  return world.resourcePolicies.get(resource);
}

function explain(analysis: RequestAnalysis | undefined, allowed: boolean): string {
  if (!analysis) return '';
  if (allowed)
    return getGrantReasons(analysis)
      .map(
        (g) =>
          `${g.policyType}${'policyIdentifier' in g ? ` ${g.policyIdentifier}` : ''} ${g.statementId ?? `#${g.statementIndex}`}`,
      )
      .join(', ');
  return getDenialReasons(analysis)
    .map((d) =>
      d.denialType === 'Explicit'
        ? `explicit deny ${d.policyType} ${d.policyIdentifier ?? ''} ${d.statementId ?? `#${d.statementIndex}`}`
        : `nothing in the ${d.policyType === 'pb' ? 'permissions boundary' : d.policyType} allows it`,
    )
    .join('; ');
}

export async function evaluate(world: World, r: Request): Promise<{ allowed: boolean; why: string }> {
  const [service = '', action = ''] = r.action.split(':');
  const allowedKeys = new Set(
    (await allowedContextKeysForRequest(service, action, r.resource, false, undefined)).map((k) =>
      k.toLowerCase(),
    ),
  );
  const role = typeof r.principal === 'string' ? undefined : r.principal;
  // Every request is signed and sent over TLS from our region (the bucket policies deny plain HTTP).
  const context: Record<string, string | string[]> = {
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': world.region,
    ...(role ? { 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': world.account } : {}),
  };
  for (const [k, v] of Object.entries(r.context ?? {}))
    if (k.startsWith('aws:') || allowedKeys.has(k.toLowerCase())) context[k] = v;
  const rp = resourcePolicy(world, r.resource);
  const result = await runSimulation(
    {
      request: {
        principal: role?.arn ?? (r.principal as string),
        action: r.action,
        resource: { resource: r.resource, accountId: world.account },
        contextVariables: context,
      },
      identityPolicies: (role?.identity ?? []).map(named),
      ...(role?.boundary ? { permissionBoundaryPolicies: [named(role.boundary)] } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(rp ? { resourcePolicy: valid(rp, true) } : {}),
    },
    {},
  );
  if (result.resultType === 'error')
    throw new Error(`the evaluator refused ${describeRequest(r)}: ${JSON.stringify(result.errors)}`);
  const allowed = result.overallResult === 'Allowed';
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  return { allowed, why: explain(analysis, allowed) };
}

/** Evaluates one case; returns a one-line failure, or undefined when the decision is the expected one. */
export async function expectCase(
  world: World,
  r: Request,
  expected: Expectation,
  reason: string,
): Promise<string | undefined> {
  if (expected === 'allow') ledger.allowed++;
  else ledger.denied++;
  const { allowed, why } = await evaluate(world, r);
  const boundary = typeof r.principal === 'string' ? undefined : r.principal.boundaryArn;
  if (allowed && expected === 'allow' && boundary)
    usedUnder.set(boundary, (usedUnder.get(boundary) ?? new Set()).add(r.action.toLowerCase()));
  if (allowed === (expected === 'allow')) return undefined;
  return expected === 'allow'
    ? `${describeRequest(r)} is denied (${why}), but ${reason}`
    : `${describeRequest(r)} is allowed (by ${why}), but must be denied: ${reason}`;
}

/** Runs cases and fails once, listing every wrong decision. */
export async function assertCases(
  world: World,
  cases: { request: Request; expected: Expectation; reason: string }[],
): Promise<void> {
  const failures: string[] = [];
  for (const c of cases) {
    const failure = await expectCase(world, c.request, c.expected, c.reason);
    if (failure) failures.push(failure);
  }
  if (failures.length > 0)
    throw new Error(
      `${failures.length} of ${cases.length} IAM cases decided wrongly:\n  ${failures.join('\n  ')}`,
    );
}

/**
 * Allow patterns of a boundary that no allowed case used: a grant the code does not need (remove it) or a
 * call the proof does not know (add the case). Wildcards count as used when any case matched them.
 */
export function unusedGrants(world: World, boundaryArn: string): string[] {
  const doc = world.managed.get(boundaryArn);
  const used = [...(usedUnder.get(boundaryArn) ?? [])];
  const patterns = (doc?.Statement ?? [])
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => [s.Action as string | string[] | undefined].flat().filter((a): a is string => !!a));
  const re = (p: string) =>
    new RegExp(
      `^${p
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
  return patterns.filter((p) => !used.some((a) => re(p).test(a)));
}
