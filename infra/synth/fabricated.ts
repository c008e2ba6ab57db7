// Stand-in outputs of the stacks a program references, so a program can be synthesized alone:
// the shared stack's network/listener for blue and green, each colour's TG for shared.
import { COLORS, type Color } from '../../contract/index.ts';
import { ENV_PROJECT, SHARED_PROJECT } from '../contract.ts';
import { MOCK_ACCOUNT_ID, MOCK_REGION, mockSuffix } from '../testing/mocks.ts';

const ELB = `arn:aws:elasticloadbalancing:${MOCK_REGION}:${MOCK_ACCOUNT_ID}`;

export function fabricatedSharedOutputs(): Record<string, unknown> {
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
  };
}

/**
 * Outputs for every stack name the config mentions (`org/project/stack` values of any key), by
 * project: the shared project gets shared outputs, the environment project those of its colour.
 */
export function fabricatedStackOutputs(
  config: Record<string, string>,
): Record<string, Record<string, unknown>> {
  const names = new Set<string>();
  for (const value of Object.values(config)) {
    const candidates =
      value.startsWith('{') || value.startsWith('[') ? Object.values(safeJson(value)) : [value];
    for (const c of candidates)
      if (typeof c === 'string' && /^[\w.-]+\/[\w.-]+\/[\w.-]+$/.test(c)) names.add(c);
  }
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const [, project, stack] = name.split('/');
    if (project === SHARED_PROJECT) outputs[name] = fabricatedSharedOutputs();
    else if (project === ENV_PROJECT && COLORS.includes(stack as Color))
      outputs[name] = fabricatedEnvironmentOutputs(stack as Color);
  }
  return outputs;
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
