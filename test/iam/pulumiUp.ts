// The requests `pulumi up` and `pulumi preview` send, per declared resource: the operations the provider's
// code calls for that resource type (data/providerActions.json, derived from terraform-provider-aws), mapped
// to IAM actions, on the resource's own ARN, with the condition keys the request carries.
import { readFileSync } from 'node:fs';
import type { DeclaredResource } from '../../infra/synth/synth.ts';
import type { SynthStack } from '../../infra/synth/stacks.ts';
import { iamActionsFor } from './apiActions.ts';
import { actionInfo, arnPattern, fillArn, mainResourceType } from './catalogue.ts';
import type { Request } from './evaluate.ts';
import {
  COMPONENT_CHILDREN,
  CONDITIONAL_OPERATIONS,
  LOCAL_COMPONENTS,
  PASSES_ROLES,
  RESOURCE_TYPES,
  SERVICE_LINKED_ROLES,
} from './resourceTypes.ts';
import type { Role, World } from './world.ts';

type Phase = 'create' | 'read' | 'update' | 'delete';
interface Operations {
  file: string;
  create: string[];
  read: string[];
  update: string[];
  delete: string[];
}

export const PROVIDER = JSON.parse(
  readFileSync(new URL('./data/providerActions.json', import.meta.url), 'utf8'),
) as { source: { repository: string; ref: string; commit: string }; operations: Record<string, Operations> };

export type Located = DeclaredResource & { stack: SynthStack };
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const get = (o: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

/** Operations of one terraform type, by phase; throws naming the type when the table lacks it. */
export function operationsOf(type: string): Operations {
  const tf = RESOURCE_TYPES[type];
  const ops = tf ? PROVIDER.operations[tf] : undefined;
  if (!ops)
    throw new Error(
      `the stacks declare ${type}, which test/iam/resourceTypes.ts does not map to a terraform resource with ` +
        'derived operations: add it there and run test/iam/derive/providerActions.ts (see its header)',
    );
  return ops;
}

/** Declared resources, with each multi-language component replaced by the types it may create. */
export function declared(world: World): Located[] {
  const out: Located[] = [];
  for (const stack of Object.keys(world.stacks) as SynthStack[])
    for (const r of world.stacks[stack].resources) {
      if (LOCAL_COMPONENTS.includes(r.type)) continue;
      const children = COMPONENT_CHILDREN[r.type];
      if (children)
        for (const type of children)
          out.push({
            type,
            name: `${r.name}-child`,
            parent: r.type,
            inputs: {},
            outputs: {},
            id: `${r.name}-child`,
            stack,
          });
      else out.push({ ...r, stack });
    }
  return out;
}

/** Value of an ARN variable for a resource: its role, bucket, topic…, else its own ID-like inputs or name. */
function variable(r: Located, v: string): string {
  const name = str(r.outputs.name) || r.id || r.name;
  if (v === 'RoleNameWithPath' || v === 'RoleName') return str(r.inputs.role) || name;
  if (v === 'BucketName') return str(r.inputs.bucket) || str(r.outputs.bucket) || name;
  if (v === 'TopicName')
    return (str(r.inputs.arn) || str(r.inputs.topic) || str(r.outputs.arn)).split(':').pop() || name;
  if (v === 'RuleName') return str(r.inputs.rule) || name;
  if (v === 'ObjectName') return 'any/key';
  const own = r.inputs[v.charAt(0).toLowerCase() + v.slice(1)];
  return (typeof own === 'string' ? own.split('/').pop() : undefined) || name.replace(/[/:]/g, '-');
}

/** The resource ARN a request for `action` on `r` names (its own ARN when the action takes that type). */
export async function arnFor(world: World, r: Located, action: string): Promise<string> {
  const info = await actionInfo(action);
  if (info.wildcardOnly) return '*';
  const own = str(r.outputs.arn);
  if (own && info.resourceTypes.some((t) => arnPattern(t.arn).test(own))) return own;
  return fillArn(mainResourceType(info)?.arn ?? '*', world, (v) => variable(r, v));
}

function roleOf(world: World, r: Located): Role | undefined {
  const name = r.type === 'aws:iam/role:Role' ? str(r.outputs.name) : str(r.inputs.role);
  return world.roles.find((x) => x.name === name);
}

/** Condition keys an IAM request about this resource carries (the role's boundary, the policy attached). */
function contextFor(world: World, r: Located): Record<string, string> {
  const ctx: Record<string, string> = {};
  const boundary =
    r.type === 'aws:iam/role:Role' ? str(r.inputs.permissionsBoundary) : roleOf(world, r)?.boundaryArn;
  if (boundary) ctx['iam:PermissionsBoundary'] = boundary;
  if (str(r.inputs.policyArn)) ctx['iam:PolicyARN'] = str(r.inputs.policyArn);
  if (str(r.inputs.cluster)) ctx['ecs:cluster'] = str(r.inputs.cluster);
  return ctx;
}

export interface UpCase {
  resource: Located;
  phase: Phase;
  operation: string;
  request: Request;
  /** Set when the path is not taken (skip) or forbidden on purpose (deny). */
  conditional?: { why: string; deny: boolean };
}

/** Every request `pulumi up` (all phases) or a refreshing preview (read) may send for one resource. */
export async function upRequests(
  world: World,
  principal: Role,
  r: Located,
  phases: Phase[],
): Promise<UpCase[]> {
  const ops = operationsOf(r.type);
  const tf = RESOURCE_TYPES[r.type] ?? '';
  const cases: UpCase[] = [];
  for (const phase of phases)
    for (const operation of ops[phase])
      for (const action of iamActionsFor(operation)) {
        const cond = CONDITIONAL_OPERATIONS.find(
          (c) => c.terraform === tf && c.operations.includes(operation),
        );
        const taken = cond ? cond.when(r.inputs) : true;
        cases.push({
          resource: r,
          phase,
          operation,
          request: {
            principal,
            action,
            resource: await arnFor(world, r, action),
            context: contextFor(world, r),
          },
          ...(cond && !taken ? { conditional: { why: cond.why, deny: cond.deny === true } } : {}),
        });
      }
  return cases;
}

/** PassRole and service-linked-role requests creating this resource implies. */
export function impliedRequests(principal: Role, r: Located): Request[] {
  const out: Request[] = [];
  const pass = PASSES_ROLES[r.type];
  for (const path of pass?.inputs ?? []) {
    const arn = str(get(r.inputs, path));
    if (arn)
      out.push({
        principal,
        action: 'iam:PassRole',
        resource: arn,
        context: { 'iam:PassedToService': pass?.to ?? '' },
      });
  }
  const linked = SERVICE_LINKED_ROLES[r.type];
  if (linked)
    out.push({
      principal,
      action: 'iam:CreateServiceLinkedRole',
      resource: `arn:aws:iam::${principal.arn.split(':')[4]}:role/aws-service-role/${linked}/AWSServiceRoleFor${linked.startsWith('ecs') ? 'ECS' : 'ElasticLoadBalancing'}`,
      context: { 'iam:AWSServiceName': linked },
    });
  return out;
}
