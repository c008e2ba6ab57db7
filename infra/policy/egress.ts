// Where the tasks' traffic leaves the VPC. Tasks in private subnets pull their image from ghcr.io and the
// ingest fetches exchange pages: neither has a VPC endpoint, so private subnets need a NAT gateway. The
// AWS services the tasks call (CloudWatch Logs for the awslogs driver, S3, Secrets Manager for registry
// credentials) could use endpoints instead; the rule names which of those are missing too.
import type { PolicyTarget } from './evaluate.ts';
import type { StackRule } from './stackRules.ts';

const VPC = 'awsx:ec2:Vpc';
const ENDPOINT = 'aws:ec2/vpcEndpoint:VpcEndpoint';

/** The AWS services a task reaches from its subnet, and the endpoint type that would serve each. */
export const TASK_AWS_SERVICES = [
  { service: 'logs', type: 'Interface', why: 'the awslogs log driver' },
  { service: 's3', type: 'Gateway', why: 'the site bucket' },
  { service: 'secretsmanager', type: 'Interface', why: 'registry credentials' },
] as const;

interface VpcInputs {
  subnetSpecs?: { type?: string }[];
  natGateways?: { strategy?: string };
}

/**
 * awsx.ec2.Vpc defaults: without subnetSpecs, a public and a private subnet per AZ; without natGateways,
 * one NAT per AZ when both public and private subnets exist, otherwise none (awsx Vpc API docs).
 */
export function natStrategyOf(inputs: VpcInputs): { privateSubnets: boolean; nat: string } {
  const types = inputs.subnetSpecs?.map((s) => s.type) ?? ['Public', 'Private'];
  const privateSubnets = types.includes('Private');
  const nat =
    inputs.natGateways?.strategy ?? (privateSubnets && types.includes('Public') ? 'OnePerAz' : 'None');
  return { privateSubnets, nat };
}

function endpointServices(targets: PolicyTarget[]): string[] {
  return targets
    .filter((t) => t.type === ENDPOINT)
    .map(
      (t) =>
        String(t.inputs.serviceName ?? '')
          .split('.')
          .pop() ?? '',
    );
}

export const privateSubnetEgress: StackRule = {
  name: 'private-subnet-egress',
  description:
    'Private subnets have a NAT gateway: tasks there pull from ghcr.io and fetch exchange pages, which no VPC endpoint serves.',
  check(targets) {
    const out: { resource: string; message: string }[] = [];
    const endpoints = endpointServices(targets);
    for (const vpc of targets.filter((t) => t.type === VPC)) {
      const { privateSubnets, nat } = natStrategyOf(vpc.inputs as VpcInputs);
      if (!privateSubnets || nat !== 'None') continue;
      const missing = TASK_AWS_SERVICES.filter((s) => !endpoints.includes(s.service)).map(
        (s) => `com.amazonaws.<region>.${s.service} (${s.type} endpoint, ${s.why})`,
      );
      out.push({
        resource: `${vpc.type}::${vpc.name}`,
        message:
          'has private subnets without a NAT gateway (natGateways.strategy None): tasks there cannot reach ghcr.io ' +
          '(image pull) or the exchange pages (ingest), which no VPC endpoint serves' +
          (missing.length > 0 ? `, nor ${missing.join(', ')}` : '') +
          '; set exchange-shared:natStrategy single or one-per-az, or none (tasks then run in public subnets)',
      });
    }
    return out;
  },
};
