// Entry of the exchange-guardrails policy pack: `pulumi preview --policy-pack infra/policy`.
import { PolicyPack } from '@pulumi/policy';
import { policies } from './policies.ts';

new PolicyPack('exchange-guardrails', { policies });
