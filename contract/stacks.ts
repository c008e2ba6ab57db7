// Names the Pulumi programs agree on: projects, stacks and the outputs one stack reads from another.
// Changing an output name breaks the StackReference of the other stacks: rename with care.

/** Project of the blue and green stacks (root Pulumi.yaml). */
export const ENV_PROJECT = 'exchange';
/** Project of the shared ALB stack (infra/shared/Pulumi.yaml). */
export const SHARED_PROJECT = 'exchange-shared';
export const SHARED_STACK = 'shared';

/** Outputs every environment stack exports and the shared stack reads. */
export const ENV_OUTPUTS = {
  color: 'color',
  bucketName: 'bucketName',
  websiteEndpoint: 'websiteEndpoint',
  targetGroupArn: 'targetGroupArn',
  serviceName: 'serviceName',
  /** The revision the service and the scheduled ingest run; `exchange deploy-check` compares ECS with it. */
  taskDefinitionArn: 'taskDefinitionArn',
  testRouteHeader: 'testRouteHeader',
  /** The shared cluster the service runs in, re-exported so deploy-check needs only this stack's outputs. */
  clusterArn: 'clusterArn',
  /**
   * The ingest task role: the schedule's RunTask overrides name it (contract/ingestTask.ts), and
   * `exchange ingest-now` must send the same overrides, so it reads the role from here.
   */
  ingestRoleArn: 'ingestRoleArn',
  /** `{ minCapacity, maxCapacity, standbyTasks }` as configured: the release's floors and standby derive from it. */
  scaling: 'scaling',
} as const;

/** Outputs the shared stack exports and every environment stack reads. */
export const SHARED_OUTPUTS = {
  vpcId: 'vpcId',
  publicSubnetIds: 'publicSubnetIds',
  privateSubnetIds: 'privateSubnetIds',
  /** true when the VPC has no NAT: services then run in public subnets with a public IP. */
  servicesNeedPublicIp: 'servicesNeedPublicIp',
  clusterArn: 'clusterArn',
  clusterName: 'clusterName',
  albSecurityGroupId: 'albSecurityGroupId',
  /** The listener users reach (HTTPS when a certificate is configured, else HTTP). */
  listenerArn: 'listenerArn',
  /**
   * The Pulumi URN of that listener: a shift step runs `pulumi up --target <urn>`, so it changes the
   * listener's weights and nothing else the shared stack declares (shift/drivers/pulumiStack.ts).
   */
  listenerUrn: 'listenerUrn',
  albDnsName: 'albDnsName',
  url: 'url',
  liveColor: 'liveColor',
  weights: 'weights',
  /**
   * Colours whose target group the listener forwards to (weight 0 included): an environment stack refuses
   * to let its target group be replaced while its colour is listed here.
   */
  forwardedColors: 'forwardedColors',
  /** The pipeline boundary (deploy and preview roles). */
  permissionsBoundaryArn: 'permissionsBoundaryArn',
  /** The boundary every role of a colour stack must carry (the deploy role may create no role without it). */
  workloadBoundaryArn: 'workloadBoundaryArn',
} as const;

/**
 * Listener-rule priorities of each colour's header test routes, fixed per colour so blue's and green's
 * never collide. One rule per way in, because an ALB rule matches only when *all* its conditions do
 * (values within one condition are ORed): `sourceIp` = colour header AND source CIDR, `testKey` = colour
 * header AND the secret X-Exchange-Test-Key. Either rule reaches the colour.
 */
export const TEST_ROUTE_PRIORITY = {
  blue: { sourceIp: 100, testKey: 101 },
  green: { sourceIp: 200, testKey: 201 },
} as const;
export type TestRouteKind = keyof (typeof TEST_ROUTE_PRIORITY)['blue'];
