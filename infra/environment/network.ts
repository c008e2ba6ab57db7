// Where the tasks run, decided by the shared stack: private subnets behind NAT, or public subnets
// with a public IP when the VPC has no NAT (else tasks cannot pull their image).
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { SHARED_OUTPUTS } from '../../contract/stacks.ts';

export interface ServiceNetwork {
  subnetIds: string[];
  assignPublicIp: boolean;
}

/** Validates the shared stack's raw outputs (they cross a stack boundary untyped) and picks the subnets. */
export function serviceNetwork(
  servicesNeedPublicIp: unknown,
  publicSubnetIds: unknown,
  privateSubnetIds: unknown,
): ServiceNetwork {
  if (typeof servicesNeedPublicIp !== 'boolean') {
    throw new EnvironmentArgError(
      `shared output ${SHARED_OUTPUTS.servicesNeedPublicIp}`,
      servicesNeedPublicIp,
      'true or false',
    );
  }
  const [name, ids] = servicesNeedPublicIp
    ? [SHARED_OUTPUTS.publicSubnetIds, publicSubnetIds]
    : [SHARED_OUTPUTS.privateSubnetIds, privateSubnetIds];
  // Fargate services should span two AZs, like the ALB, so one AZ outage leaves tasks serving.
  if (
    !Array.isArray(ids) ||
    ids.length < 2 ||
    !ids.every((id) => typeof id === 'string' && id.startsWith('subnet-'))
  ) {
    throw new EnvironmentArgError(`shared output ${name}`, ids, 'at least two subnet ids (subnet-…)');
  }
  return { subnetIds: ids as string[], assignPublicIp: servicesNeedPublicIp };
}
