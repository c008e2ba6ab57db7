// Rules over several resources at once (what AWS refuses, or what breaks traffic, only in combination).
// Evaluated offline by synth and the tests over `{ type, name, inputs }` records, and by the real pack as
// StackValidationPolicies (index.ts). Each message names the resources and the fix.
import { containersOf, isPublicPrincipal, statementsOf } from './documents.ts';
import { privateSubnetEgress } from './egress.ts';
import type { PolicyTarget, Violation } from './evaluate.ts';

export interface StackRule {
  name: string;
  description: string;
  check(targets: PolicyTarget[]): { resource: string; message: string }[];
}

const id = (t: PolicyTarget) => `${t.type}::${t.name}`;
const ofType = (targets: PolicyTarget[], type: string) => targets.filter((t) => t.type === type);
const num = (v: unknown, fallback: number) =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : fallback;

/** AWS: ListenerRule priorities are unique per listener, whichever stack creates the rule. */
export const uniqueListenerPriorities: StackRule = {
  name: 'listener-rule-priority-unique',
  description:
    'No two listener rules on one listener share a priority (every stack attached to the shared listener).',
  check(targets) {
    const seen = new Map<string, PolicyTarget>();
    const out: { resource: string; message: string }[] = [];
    for (const rule of ofType(targets, 'aws:lb/listenerRule:ListenerRule')) {
      const key = `${String(rule.inputs.listenerArn)}#${String(rule.inputs.priority)}`;
      const first = seen.get(key);
      if (first)
        out.push({
          resource: id(rule),
          message: `priority ${String(rule.inputs.priority)} is already used by ${id(first)} on the same listener; pick a free priority (contract/stacks.ts TEST_ROUTE_PRIORITY)`,
        });
      else seen.set(key, rule);
    }
    return out;
  },
};

/** ECS drains a target for deregistrationDelay, then stops the task; the container must outlive the drain. */
export const deregistrationBeforeStop: StackRule = {
  name: 'deregistration-before-stop-timeout',
  description: "A target group's deregistration delay is shorter than its containers' stopTimeout.",
  check(targets) {
    const out: { resource: string; message: string }[] = [];
    const stops = ofType(targets, 'aws:ecs/taskDefinition:TaskDefinition').flatMap((td) =>
      containersOf(td.inputs.containerDefinitions).map((c) => ({
        td,
        name: c.name,
        stop: num((c as { stopTimeout?: unknown }).stopTimeout, 30),
      })),
    );
    for (const tg of ofType(targets, 'aws:lb/targetGroup:TargetGroup')) {
      const delay = num(tg.inputs.deregistrationDelay, 300);
      for (const s of stops)
        if (delay >= s.stop)
          out.push({
            resource: id(tg),
            message: `deregistrationDelay ${delay}s is not shorter than container "${s.name ?? '?'}" stopTimeout ${s.stop}s (${id(s.td)}); lower the delay or raise stopTimeout (Fargate max 120)`,
          });
    }
    return out;
  },
};

/** A public bucket policy is refused (AccessDenied) unless the bucket's public access block allows it. */
export const publicAccessBlockAgrees: StackRule = {
  name: 'public-access-block-agrees',
  description:
    'A bucket policy that grants Principal "*" has a public access block with blockPublicPolicy and restrictPublicBuckets false.',
  check(targets) {
    const out: { resource: string; message: string }[] = [];
    const blocks = ofType(targets, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    for (const bp of ofType(targets, 'aws:s3/bucketPolicy:BucketPolicy')) {
      const isPublic = statementsOf(bp.inputs.policy).some(
        (s) => s.Effect === 'Allow' && isPublicPrincipal(s.Principal),
      );
      if (!isPublic) continue;
      const block = blocks.find((b) => b.inputs.bucket === bp.inputs.bucket);
      if (!block)
        out.push({
          resource: id(bp),
          message:
            'grants public access but the bucket has no BucketPublicAccessBlock; add one with blockPublicPolicy and restrictPublicBuckets false',
        });
      else if (block.inputs.blockPublicPolicy !== false || block.inputs.restrictPublicBuckets !== false)
        out.push({
          resource: id(block),
          message: `blocks public policies, but ${id(bp)} grants Principal "*": PutBucketPolicy fails with AccessDenied; set blockPublicPolicy and restrictPublicBuckets to false`,
        });
    }
    return out;
  },
};

export const stackRules: StackRule[] = [
  uniqueListenerPriorities,
  deregistrationBeforeStop,
  publicAccessBlockAgrees,
  privateSubnetEgress,
];

export function evaluateStackRules(rules: StackRule[], targets: PolicyTarget[]): Violation[] {
  return rules.flatMap((r) => r.check(targets).map((v) => ({ policy: r.name, ...v })));
}
