// Runs one guardrail policy over one hand-made resource and returns its violation messages.
import assert from 'node:assert/strict';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { evaluatePolicies, type PolicyTarget } from '../../infra/policy/evaluate.ts';
import { policies } from '../../infra/policy/policies.ts';

const byName = (name: string): ResourceValidationPolicy => {
  const p = policies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy ${name}`);
  return p;
};

/** Violation messages of `policy` on one resource; fails the test when the policy does not apply to it. */
export async function messages(
  policy: string,
  type: string,
  inputs: Record<string, unknown>,
  name = 'res',
): Promise<string[]> {
  const target: PolicyTarget = { type, name, inputs };
  const { violations, applied } = await evaluatePolicies([byName(policy)], [target]);
  assert.ok((applied[policy] ?? 0) > 0, `${policy} did not apply to ${type}`);
  return violations.map((v) => v.message);
}
