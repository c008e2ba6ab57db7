// Network and compute the environments share: VPC (awsx, scalar outputs only), the ECS cluster,
// the ALB and its security group. Environment stacks read these through StackReference.
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { ALB_IDLE_TIMEOUT_SECONDS, SERVICE_PORT } from '../../contract/index.ts';
import { ALB_LOG_PREFIX, createAlbLogs } from './albLogs.ts';
import type { NatStrategy, SharedConfig } from './config.ts';

export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

const AWSX_NAT: Record<NatStrategy, 'None' | 'Single' | 'OnePerAz'> = {
  none: 'None',
  single: 'Single',
  'one-per-az': 'OnePerAz',
};

export interface Network {
  vpcId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string[]>;
  privateSubnetIds: pulumi.Output<string[]>;
  cluster: aws.ecs.Cluster;
  albSecurityGroup: aws.ec2.SecurityGroup;
  alb: aws.lb.LoadBalancer;
}

export function createNetwork(cfg: SharedConfig): Network {
  // Without NAT, private subnets could reach nothing (no image pulls), so none are created and
  // services run in the public subnets with a public IP, still admitting only the ALB.
  const subnetSpecs =
    cfg.natStrategy === 'none'
      ? [{ type: 'Public' as const }]
      : [{ type: 'Public' as const }, { type: 'Private' as const }];
  const vpc = new awsx.ec2.Vpc('exchange-vpc', {
    cidrBlock: cfg.vpcCidr,
    numberOfAvailabilityZones: cfg.azCount,
    natGateways: { strategy: AWSX_NAT[cfg.natStrategy] },
    subnetStrategy: 'Auto',
    subnetSpecs,
    enableDnsHostnames: true,
  });

  const cluster = new aws.ecs.Cluster('exchange', {
    settings: [{ name: 'containerInsights', value: 'enabled' }],
  });

  const listenerPorts = cfg.certificateArn === undefined ? [HTTP_PORT] : [HTTP_PORT, HTTPS_PORT];
  const albSecurityGroup = new aws.ec2.SecurityGroup('exchange-alb', {
    vpcId: vpc.vpcId,
    description: 'Exchange ALB: public HTTP(S) in, container port to the VPC out',
    ingress: listenerPorts.map((port) => ({
      description: `public ${port === HTTP_PORT ? 'HTTP' : 'HTTPS'}`,
      protocol: 'tcp',
      fromPort: port,
      toPort: port,
      cidrBlocks: ['0.0.0.0/0'],
      ipv6CidrBlocks: ['::/0'],
    })),
    // The ALB only talks to tasks (traffic and health checks) on the container port inside the VPC.
    egress: [
      {
        description: 'to tasks',
        protocol: 'tcp',
        fromPort: SERVICE_PORT,
        toPort: SERVICE_PORT,
        cidrBlocks: [cfg.vpcCidr],
      },
    ],
  });

  const logs = createAlbLogs(cfg.albLogRetentionDays);
  // Logical name ≤ 24 chars: the engine appends "-" + 7 chars and ALB names are capped at 32 (AWS).
  const alb = new aws.lb.LoadBalancer(
    'exchange-alb',
    {
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [albSecurityGroup.id],
      subnets: vpc.publicSubnetIds,
      dropInvalidHeaderFields: true,
      // serve's keep-alive is derived from it (contract/index.ts); the policy pack checks the pair.
      idleTimeout: ALB_IDLE_TIMEOUT_SECONDS,
      enableDeletionProtection: cfg.albDeletionProtection,
      accessLogs: { bucket: logs.bucket.id, prefix: ALB_LOG_PREFIX, enabled: true },
    },
    // ELB checks it can write to the bucket when logging is enabled.
    { dependsOn: [logs.policy] },
  );
  if (cfg.natStrategy !== 'none') createS3Endpoint(vpc);

  return {
    vpcId: vpc.vpcId,
    publicSubnetIds: vpc.publicSubnetIds,
    privateSubnetIds: vpc.privateSubnetIds,
    cluster,
    albSecurityGroup,
    alb,
  };
}

/**
 * S3 gateway endpoint on the private subnets' route tables: S3 traffic (ingest, serve) then bypasses the
 * NAT gateway (no per-GB NAT charge, no single-AZ NAT dependency for S3). Gateway endpoints are free.
 */
function createS3Endpoint(vpc: awsx.ec2.Vpc): aws.ec2.VpcEndpoint {
  const region = aws.getRegionOutput({}).region;
  // The route tables exist only once the awsx VPC is complete (its associations are children of it).
  const tables = vpc.privateSubnetIds.apply((ids) =>
    aws.ec2.getRouteTablesOutput(
      { filters: [{ name: 'association.subnet-id', values: ids }] },
      { dependsOn: [vpc] },
    ),
  );
  return new aws.ec2.VpcEndpoint('exchange-s3', {
    vpcId: vpc.vpcId,
    serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
    vpcEndpointType: 'Gateway',
    routeTableIds: tables.ids,
  });
}
