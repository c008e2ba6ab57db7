// The policy pack over what synth prints: every resource policy and multi-resource rule on the stack, and
// the listener-priority rule across every stack attached to the shared listener (the other colours are
// synthesized from their committed files: one stack's preview can never see them).
import { COLORS } from '../../contract/index.ts';
import { evaluatePolicies, type PolicyTarget, type Violation } from '../policy/evaluate.ts';
import { policies } from '../policy/policies.ts';
import { evaluateStackRules, stackRules, uniqueListenerPriorities } from '../policy/stackRules.ts';
import { loadStackConfig } from './stackConfig.ts';
import type { SynthStack } from './stacks.ts';
import { defaultStackFile, isConfigError, synthesize, type SynthResource } from './synth.ts';

export class GuardrailError extends Error {
  override name = 'GuardrailError';
  constructor(
    readonly stackName: string,
    readonly violations: Violation[],
  ) {
    super(
      `the policy pack refuses stack ${stackName} (${violations.length} violation${violations.length === 1 ? '' : 's'}):\n  ` +
        violations.map((v) => `${v.policy}: ${v.resource}: ${v.message}`).join('\n  '),
    );
  }
}

/**
 * Another stack's committed file failed while synth read it for a cross-stack rule: the fix belongs in that
 * file (or its program), not in the stack synth was asked for.
 */
export class OtherStackError extends Error {
  override name = 'OtherStackError';
  constructor(
    readonly stackName: SynthStack,
    readonly file: string,
    readonly configError: boolean,
    cause: unknown,
  ) {
    const oneLine = (cause as { oneLine?: () => string }).oneLine;
    const msg =
      typeof oneLine === 'function'
        ? oneLine.call(cause)
        : cause instanceof Error
          ? cause.message
          : String(cause);
    super(`the cross-stack listener check synthesizes ${stackName} from ${file}, which fails: ${msg}`, {
      cause,
    });
  }
}

const targetsOf = (resources: SynthResource[]): PolicyTarget[] =>
  resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }));

/** Violations of the stack's own resources. */
export async function stackViolations(resources: SynthResource[]): Promise<Violation[]> {
  const targets = targetsOf(resources);
  return [
    ...(await evaluatePolicies(policies, targets)).violations,
    ...evaluateStackRules(stackRules, targets),
  ];
}

/**
 * Listener priorities across `stack` and every colour stack other than it (committed config). Runs
 * synthesize again, so call it after the stack's own synth (both replace the process-global mocks).
 */
export async function crossStackViolations(
  stack: SynthStack,
  resources: SynthResource[],
  stackFileOf: (s: SynthStack) => string = defaultStackFile,
): Promise<Violation[]> {
  // The other stacks first, so a collision is reported on this stack's rule, naming theirs.
  const all: PolicyTarget[] = [];
  for (const other of COLORS.filter((c) => c !== stack)) {
    const file = stackFileOf(other);
    try {
      all.push(...targetsOf(await synthesize(other, loadStackConfig(file), file)));
    } catch (err) {
      throw new OtherStackError(other, file, isConfigError(err), err);
    }
  }
  all.push(...targetsOf(resources));
  return evaluateStackRules([uniqueListenerPriorities], all).filter((v) =>
    resources.some(
      (r) => v.resource === `${r.type}::${r.name}` || v.message.includes(`${r.type}::${r.name}`),
    ),
  );
}

/** @throws GuardrailError naming every violation. */
export async function assertGuardrails(stack: SynthStack, resources: SynthResource[]): Promise<void> {
  const own = await stackViolations(resources);
  const cross = await crossStackViolations(stack, resources);
  const seen = new Set(own.map((v) => `${v.policy}|${v.resource}|${v.message}`));
  const violations = [...own, ...cross.filter((v) => !seen.has(`${v.policy}|${v.resource}|${v.message}`))];
  if (violations.length > 0) throw new GuardrailError(stack, violations);
}
