// Entry of the exchange-guardrails policy pack: `pulumi preview --policy-pack infra/policy`.
import { PolicyPack, type StackValidationPolicy } from '@pulumi/policy';
import { policies } from './policies.ts';
import { stackRules } from './stackRules.ts';

// The multi-resource rules, run by the engine over one stack's resources (synth also runs them across
// both colours, which one stack's preview cannot see).
const stackPolicies: StackValidationPolicy[] = stackRules.map((rule) => ({
  name: rule.name,
  description: rule.description,
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const targets = args.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.props }));
    for (const v of rule.check(targets)) report(`${v.resource}: ${v.message}`);
  },
}));

new PolicyPack('exchange-guardrails', { policies: [...policies, ...stackPolicies] });
