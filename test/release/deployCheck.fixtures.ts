// DescribeServices answers in the shape ECS returns them (fields as documented for the API, dates as
// the SDK deserializes them), for a completed release, a circuit-breaker rollback and a rollout under way.
import type { Service } from '@aws-sdk/client-ecs';
import type { DeployExpectation } from '../../release/deployCheck.ts';

export const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/exchange-cluster-3f1c2ab';
const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/exchange-blue';
export const RELEASED = `${TD}:7`;
export const PREVIOUS = `${TD}:6`;
export const SERVICE_NAME = 'exchange-blue-svc-7eb5172';

export const expectation: DeployExpectation = {
  color: 'blue',
  clusterArn: CLUSTER,
  serviceName: SERVICE_NAME,
  taskDefinitionArn: RELEASED,
};

/** `pulumi stack output --json --stack blue` */
export const stackOutputs = {
  bucketName: 'exchange-blue-site-8272061',
  clusterArn: CLUSTER,
  color: 'blue',
  serviceName: SERVICE_NAME,
  targetGroupArn:
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/exchange-blue-tg-524c004/f539d36397a0bd33',
  taskDefinitionArn: RELEASED,
  testRouteHeader: 'X-Exchange-Color: blue',
  websiteEndpoint: 'exchange-blue-site-8272061.s3-website-eu-west-1.amazonaws.com',
};

const at = (s: string) => new Date(`2026-12-01T04:${s}Z`);

function service(deployment: Record<string, unknown>, events: [string, string][]): Service {
  return {
    serviceArn: `arn:aws:ecs:eu-west-1:123456789012:service/exchange-cluster-3f1c2ab/${SERVICE_NAME}`,
    serviceName: SERVICE_NAME,
    clusterArn: CLUSTER,
    loadBalancers: [
      { targetGroupArn: stackOutputs.targetGroupArn, containerName: 'exchange', containerPort: 8080 },
    ],
    serviceRegistries: [],
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: deployment.taskDefinition as string,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: [
      {
        id: 'ecs-svc/4611686018427387904',
        status: 'PRIMARY',
        desiredCount: 2,
        pendingCount: 0,
        runningCount: 2,
        failedTasks: 0,
        createdAt: at('10:00'),
        updatedAt: at('14:30'),
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        platformFamily: 'Linux',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-0cc3333333333333c', 'subnet-0dd4444444444444d'],
            securityGroups: ['sg-0a1b2c3d4e5f60718'],
            assignPublicIp: 'DISABLED',
          },
        },
        ...deployment,
      },
    ],
    roleArn: 'arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS',
    events: events.map(([time, message], i) => ({ id: `0f1e2d3c-${i}`, createdAt: at(time), message })),
    createdAt: new Date('2026-11-20T09:00:00Z'),
    placementConstraints: [],
    placementStrategy: [],
    healthCheckGracePeriodSeconds: 30,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: 'arn:aws:iam::123456789012:role/exchange-deploy',
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
    enableExecuteCommand: false,
  };
}

export const completed = service(
  {
    taskDefinition: RELEASED,
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc/4611686018427387904 completed.',
  },
  [
    ['14:40', `(service ${SERVICE_NAME}) has reached a steady state.`],
    ['14:30', `(service ${SERVICE_NAME}) (deployment ecs-svc/4611686018427387904) deployment completed.`],
  ],
);

/** After the circuit breaker rolled 7 back: the PRIMARY is the rollback deployment, on revision 6. */
export const rolledBack = service(
  {
    id: 'ecs-svc/2305843009213693952',
    taskDefinition: PREVIOUS,
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc/2305843009213693952 completed.',
  },
  [
    ['20:10', `(service ${SERVICE_NAME}) has reached a steady state.`],
    ['18:02', `(service ${SERVICE_NAME}) rolling back to deployment ecs-svc/2305843009213693952.`],
    [
      '18:01',
      `(service ${SERVICE_NAME}) (deployment ecs-svc/4611686018427387904) deployment failed: tasks failed to start.`,
    ],
    [
      '17:40',
      `(service ${SERVICE_NAME}) (task 0123456789abcdef0123456789abcdef) failed container health checks.`,
    ],
  ],
);

export const inProgress = service(
  {
    taskDefinition: RELEASED,
    runningCount: 1,
    pendingCount: 1,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment ecs-svc/4611686018427387904 in progress.',
  },
  [['14:10', `(service ${SERVICE_NAME}) has started 2 tasks: (task 0a1b) (task 2c3d).`]],
);
