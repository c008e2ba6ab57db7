// Runs the pack's resource policies offline, the way the policy analyzer would, over plain
// `{ type, name, inputs }` records (e.g. resources captured by the mock runtime or printed by synth).
import type { PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';

export interface PolicyTarget {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  urn?: string;
}

export interface Violation {
  policy: string;
  resource: string;
  message: string;
}

/** Thrown by the fake `notApplicable` (validateResourceOfType calls it for other types) and swallowed here. */
class NotApplicable extends Error {
  override name = 'NotApplicable';
}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

function argsFor(target: PolicyTarget): ResourceValidationArgs {
  // isType mirrors the analyzer's check: Resource.isInstance compares the `__pulumiType` token.
  const isType = (cls: { isInstance?: (o: unknown) => boolean }) =>
    cls.isInstance?.({ __pulumiType: target.type }) === true;
  return {
    type: target.type,
    name: target.name,
    props: target.inputs,
    urn: target.urn ?? `urn:pulumi:stack::project::${target.type}::${target.name}`,
    opts: OPTIONS,
    stackTags: new Map(),
    isType: isType as ResourceValidationArgs['isType'],
    asType: ((cls: { isInstance?: (o: unknown) => boolean }) =>
      isType(cls) ? target.inputs : undefined) as ResourceValidationArgs['asType'],
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? 'not applicable');
    },
  };
}

export interface Evaluation {
  violations: Violation[];
  /** Policy name → how many targets it applied to (so "no violations" is never vacuous). */
  applied: Record<string, number>;
}

/** Every violation every policy reports for every target, in policy then target order. */
export async function evaluatePolicies(
  policies: ResourceValidationPolicy[],
  targets: PolicyTarget[],
): Promise<Evaluation> {
  const violations: Violation[] = [];
  const applied: Record<string, number> = {};
  for (const policy of policies) {
    applied[policy.name] = 0;
    const validations = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : [policy.validateResource];
    for (const target of targets) {
      const args = argsFor(target);
      for (const validate of validations) {
        if (validate === undefined) continue;
        try {
          await validate(args, (message) =>
            violations.push({ policy: policy.name, resource: `${target.type}::${target.name}`, message }),
          );
          applied[policy.name] = (applied[policy.name] ?? 0) + 1;
        } catch (err) {
          if (!(err instanceof NotApplicable)) throw err;
        }
      }
    }
  }
  return { violations, applied };
}
