// Realistic stack outputs for StackReference mocks: what the shared stack and the two environment
// stacks export, in the exact shapes and names of contract/stacks.ts.
import type { Color } from '../../contract/index.ts';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../../contract/stacks.ts';
import { MOCK_ACCOUNT_ID, MOCK_REGION, mockSuffix } from './mocks.ts';

const ELB = `arn:aws:elasticloadbalancing:${MOCK_REGION}:${MOCK_ACCOUNT_ID}`;

/** Shared stack outputs; `nat: false` is the no-NAT layout where services need public IPs. */
export function sharedStackOutputs(opts: { nat?: boolean } = {}): Record<string, unknown> {
  const nat = opts.nat ?? true;
  const lb = `app/exchange-alb-${mockSuffix('alb')}/${mockSuffix('alb-id', 16)}`;
  return {
    [SHARED_OUTPUTS.vpcId]: 'vpc-0a1b2c3d4e5f60718',
    [SHARED_OUTPUTS.publicSubnetIds]: ['subnet-0aa1111111111111a', 'subnet-0bb2222222222222b'],
    [SHARED_OUTPUTS.privateSubnetIds]: nat ? ['subnet-0cc3333333333333c', 'subnet-0dd4444444444444d'] : [],
    [SHARED_OUTPUTS.servicesNeedPublicIp]: !nat,
    [SHARED_OUTPUTS.clusterArn]: `arn:aws:ecs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:cluster/exchange-cluster-${mockSuffix('cluster')}`,
    [SHARED_OUTPUTS.clusterName]: `exchange-cluster-${mockSuffix('cluster')}`,
    [SHARED_OUTPUTS.albSecurityGroupId]: 'sg-0123456789abcdef0',
    [SHARED_OUTPUTS.listenerArn]: `${ELB}:listener/${lb}/${mockSuffix('listener', 16)}`,
    [SHARED_OUTPUTS.albDnsName]: `exchange-alb-${mockSuffix('alb')}-1234567890.${MOCK_REGION}.elb.amazonaws.com`,
    [SHARED_OUTPUTS.url]: `http://exchange-alb-${mockSuffix('alb')}-1234567890.${MOCK_REGION}.elb.amazonaws.com`,
    [SHARED_OUTPUTS.liveColor]: 'blue',
    [SHARED_OUTPUTS.weights]: { blue: 100, green: 0 },
    [SHARED_OUTPUTS.forwardedColors]: ['blue', 'green'],
    [SHARED_OUTPUTS.permissionsBoundaryArn]: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/exchange-permissions-boundary`,
    [SHARED_OUTPUTS.workloadBoundaryArn]: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/exchange-workload-boundary`,
  };
}

/** What `pulumi up --stack <color>` exports (the names the shared stack reads). */
export function environmentStackOutputs(color: Color): Record<string, unknown> {
  const tg = `exchange-${color}-tg-${mockSuffix(`aws:lb/targetGroup:TargetGroup::exchange-${color}-tg`)}`;
  const bucket = `exchange-${color}-site-${mockSuffix(`aws:s3/bucket:Bucket::exchange-${color}-site`)}`;
  return {
    [ENV_OUTPUTS.color]: color,
    [ENV_OUTPUTS.bucketName]: bucket,
    [ENV_OUTPUTS.websiteEndpoint]: `${bucket}.s3-website-${MOCK_REGION}.amazonaws.com`,
    [ENV_OUTPUTS.targetGroupArn]: `${ELB}:targetgroup/${tg}/${mockSuffix(`exchange-${color}-tg`, 16)}`,
    [ENV_OUTPUTS.serviceName]: `exchange-${color}-svc-${mockSuffix(`aws:ecs/service:Service::exchange-${color}-svc`)}`,
    [ENV_OUTPUTS.taskDefinitionArn]: `arn:aws:ecs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:task-definition/exchange-${color}:1`,
    [ENV_OUTPUTS.testRouteHeader]: `X-Exchange-Color: ${color}`,
    [ENV_OUTPUTS.clusterArn]: String(sharedStackOutputs()[SHARED_OUTPUTS.clusterArn]),
    [ENV_OUTPUTS.ingestRoleArn]: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/exchange-${color}-ingest-task-${mockSuffix(`aws:iam/role:Role::exchange-${color}-ingest-task`)}`,
    // The committed stack files leave these at their Pulumi.yaml defaults.
    [ENV_OUTPUTS.scaling]: { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 },
  };
}
