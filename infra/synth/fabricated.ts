// Stand-in outputs of the stacks a program references, so a program can be synthesized alone:
// the shared stack's network/listener for blue and green, each colour's TG for shared.
import type { Color } from '../../contract/index.ts';
import { MOCK_ACCOUNT_ID, MOCK_REGION, mockSuffix } from '../testing/mocks.ts';

const ELB = `arn:aws:elasticloadbalancing:${MOCK_REGION}:${MOCK_ACCOUNT_ID}`;

/** `forwardedColors`: the colours the shared stack's committed `environments` lists (it forwards to each). */
export function fabricatedSharedOutputs(
  forwardedColors: Color[] = ['blue', 'green'],
): Record<string, unknown> {
  const alb = `app/exchange-alb-${mockSuffix('alb')}/${mockSuffix('alb-id', 16)}`;
  const dns = `exchange-alb-${mockSuffix('alb')}-1234567890.${MOCK_REGION}.elb.amazonaws.com`;
  const subnets = (kind: string) => [0, 1].map((i) => `subnet-${mockSuffix(`${kind}-${i}`, 17)}`);
  return {
    vpcId: `vpc-${mockSuffix('vpc', 17)}`,
    publicSubnetIds: subnets('public'),
    privateSubnetIds: subnets('private'),
    servicesNeedPublicIp: false,
    clusterArn: `arn:aws:ecs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:cluster/exchange-${mockSuffix('cluster')}`,
    clusterName: `exchange-${mockSuffix('cluster')}`,
    albSecurityGroupId: `sg-${mockSuffix('alb-sg', 17)}`,
    listenerArn: `${ELB}:listener/${alb}/${mockSuffix('listener', 16)}`,
    albDnsName: dns,
    url: `http://${dns}`,
    liveColor: 'blue',
    weights: { blue: 100, green: 0 },
    forwardedColors,
    permissionsBoundaryArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/exchange-permissions-boundary`,
    workloadBoundaryArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/exchange-workload-boundary`,
  };
}

export function fabricatedEnvironmentOutputs(color: Color): Record<string, unknown> {
  const tg = `exchange-${color}-tg-${mockSuffix(`${color}-tg`)}`;
  const bucket = `exchange-${color}-site-${mockSuffix(`${color}-bucket`)}`;
  return {
    color,
    bucketName: bucket,
    websiteEndpoint: `${bucket}.s3-website-${MOCK_REGION}.amazonaws.com`,
    targetGroupArn: `${ELB}:targetgroup/${tg}/${mockSuffix(`${color}-tg-id`, 16)}`,
    serviceName: `exchange-${color}-svc-${mockSuffix(`${color}-svc`)}`,
    taskDefinitionArn: `arn:aws:ecs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:task-definition/exchange-${color}:1`,
    testRouteHeader: `X-Exchange-Color: ${color}`,
    clusterArn: fabricatedSharedOutputs().clusterArn,
    ingestRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/exchange-${color}-ingest-task-${mockSuffix(`${color}-ingest-role`)}`,
    scaling: { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 },
  };
}
