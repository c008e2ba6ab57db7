// Traffic side of one colour: target group, header test route on the shared listener, the
// service's security group and the ECS service itself.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  COLOR_HEADER,
  CONTAINER_NAME,
  SERVICE_PORT,
  TARGET_HEALTH,
  TEST_KEY_HEADER,
} from '../../contract/index.ts';
import type { ResolvedArgs } from './args.ts';
import type { TestRouteKind } from '../../contract/stacks.ts';
import { testRoutePriority, type EnvironmentNames } from './naming.ts';

export interface Traffic {
  targetGroup: aws.lb.TargetGroup;
  /** One rule per way in (source CIDRs, secret header): at least one exists. */
  testRoutes: aws.lb.ListenerRule[];
  securityGroup: aws.ec2.SecurityGroup;
  ingressFromAlb: aws.vpc.SecurityGroupIngressRule;
  egressAll: aws.vpc.SecurityGroupEgressRule;
  service: aws.ecs.Service;
}

/** The ALB check from the contract (the local router uses the same numbers). */
export const TARGET_HEALTH_CHECK = {
  enabled: true,
  path: TARGET_HEALTH.path,
  port: 'traffic-port',
  protocol: 'HTTP',
  matcher: TARGET_HEALTH.matcher,
  interval: TARGET_HEALTH.intervalSeconds,
  timeout: TARGET_HEALTH.timeoutSeconds,
  healthyThreshold: TARGET_HEALTH.healthyThreshold,
  unhealthyThreshold: TARGET_HEALTH.unhealthyThreshold,
} as const;

export function createTraffic(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: { taskDefinition: aws.ecs.TaskDefinition; tags: Record<string, string> },
): Traffic {
  const routing = createRouting(parent, n, r, deps.tags);
  const network = createServiceNetwork(parent, n, r, deps.tags);
  const service = createService(parent, n, r, { ...deps, ...routing, ...network });
  return { ...routing, ...network, service };
}

type Tags = Record<string, string>;

/** The target group and the header test route that associates it with the shared listener. */
function createRouting(parent: pulumi.Resource, n: EnvironmentNames, r: ResolvedArgs, tags: Tags) {
  const opts = { parent };
  const targetGroup = new aws.lb.TargetGroup(
    n.targetGroup,
    {
      vpcId: r.vpcId,
      targetType: 'ip',
      port: SERVICE_PORT,
      protocol: 'HTTP',
      deregistrationDelay: r.deregistrationDelaySeconds,
      healthCheck: TARGET_HEALTH_CHECK,
      tags,
    },
    // port, protocol, vpcId, targetType and name force a replacement; the engine refuses one at preview
    // for a protected resource (pkg/resource/deploy/step_generator.go), instead of 503s and a failed delete.
    { parent, protect: r.protectTargetGroup },
  );
  const testRoutes = testRouteRules(r).map(
    ({ kind, conditions }) =>
      new aws.lb.ListenerRule(
        kind === 'sourceIp' ? n.testRoute : n.testRouteKey,
        {
          listenerArn: r.listenerArn,
          priority: testRoutePriority(r.color, kind),
          conditions,
          actions: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
          tags,
        },
        opts,
      ),
  );
  return { targetGroup, testRoutes };
}

/** The tasks' security group: the container port from the ALB only, all outbound. */
function createServiceNetwork(parent: pulumi.Resource, n: EnvironmentNames, r: ResolvedArgs, tags: Tags) {
  const opts = { parent };
  const securityGroup = new aws.ec2.SecurityGroup(
    n.securityGroup,
    {
      vpcId: r.vpcId,
      description: `exchange ${r.color} tasks: ${SERVICE_PORT} from the ALB only`,
      tags,
    },
    opts,
  );
  const ingressFromAlb = new aws.vpc.SecurityGroupIngressRule(
    `${n.securityGroup}-from-alb`,
    {
      securityGroupId: securityGroup.id,
      referencedSecurityGroupId: r.albSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: SERVICE_PORT,
      toPort: SERVICE_PORT,
      description: 'ALB to the serve container',
    },
    opts,
  );
  // Tasks pull the image, read the registry secret, call S3 and fetch exchange pages: all outbound.
  const egressAll = new aws.vpc.SecurityGroupEgressRule(
    `${n.securityGroup}-egress`,
    {
      securityGroupId: securityGroup.id,
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
      description: 'image pull, S3, Secrets Manager, exchange pages',
    },
    opts,
  );
  return { securityGroup, ingressFromAlb, egressAll };
}

function createService(
  parent: pulumi.Resource,
  n: EnvironmentNames,
  r: ResolvedArgs,
  deps: Pick<Traffic, 'targetGroup' | 'testRoutes' | 'securityGroup' | 'ingressFromAlb'> & {
    taskDefinition: aws.ecs.TaskDefinition;
    tags: Tags;
  },
): aws.ecs.Service {
  return new aws.ecs.Service(
    n.service,
    {
      cluster: r.clusterArn,
      taskDefinition: deps.taskDefinition.arn,
      desiredCount: initialDesiredCount(r),
      launchType: 'FARGATE',
      networkConfiguration: {
        subnets: r.subnetIds,
        securityGroups: [deps.securityGroup.id],
        assignPublicIp: r.assignPublicIp,
      },
      loadBalancers: [
        { targetGroupArn: deps.targetGroup.arn, containerName: CONTAINER_NAME, containerPort: SERVICE_PORT },
      ],
      healthCheckGracePeriodSeconds: r.healthCheckGracePeriodSeconds,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      // `up` waits until the rollout settles, and fails if it never does. It does NOT detect a
      // circuit-breaker rollback: the rolled-back service has one deployment with running == desired, which
      // the provider reports as success (terraform-provider-aws #20858, open). `exchange deploy-check` after
      // `up` compares the PRIMARY deployment with the exported revision and its rolloutState.
      waitForSteadyState: true,
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      enableExecuteCommand: false,
      tags: deps.tags,
    },
    {
      parent,
      // ECS rejects a target group no listener or rule uses ("does not have an associated load balancer").
      // The test routes are that association, so the service can be created in the same `up`, before the
      // shared stack gives this colour any weight.
      dependsOn: [...deps.testRoutes, deps.ingressFromAlb],
      // Application Auto Scaling owns the count after creation: an `up` that sent desiredCount again would
      // shrink a scaled-out service to its initial size (aws/containers-roadmap#493, aws-cdk#13130).
      ignoreChanges: ['desiredCount'],
    },
  );
}

/** The count at creation: desiredCount, inside the scalable target's bounds (a standby colour starts small). */
export function initialDesiredCount(
  r: Pick<ResolvedArgs, 'desiredCount' | 'autoScaling' | 'scalingBounds'>,
): number {
  const b = r.scalingBounds ?? { min: r.autoScaling.minCapacity, max: r.autoScaling.maxCapacity };
  return Math.min(b.max, Math.max(b.min, r.desiredCount));
}

/** With the secret value in TEST_KEY_HEADER the test route answers; without, the default action. */
export { TEST_KEY_HEADER };

/**
 * The test routes: the colour header AND one way in per rule. ELBv2 ANDs a rule's conditions (and ORs the
 * values within one condition), so CIDRs and the secret in one rule would demand both; two rules accept
 * either. Limits (ELB "Condition types for listener rules"): ≤ 3 values per condition, ≤ 5 per rule.
 */
export function testRouteRules(
  r: Pick<ResolvedArgs, 'color' | 'testRouteSourceCidrs' | 'testRouteSecret'>,
): { kind: TestRouteKind; conditions: pulumi.Input<aws.types.input.lb.ListenerRuleCondition>[] }[] {
  const color = { httpHeader: { httpHeaderName: COLOR_HEADER, values: [r.color] } };
  return [
    ...(r.testRouteSourceCidrs.length === 0
      ? []
      : [
          {
            kind: 'sourceIp' as const,
            conditions: [color, { sourceIp: { values: r.testRouteSourceCidrs } }],
          },
        ]),
    ...(r.testRouteSecret === undefined
      ? []
      : [
          {
            kind: 'testKey' as const,
            conditions: [
              color,
              { httpHeader: { httpHeaderName: TEST_KEY_HEADER, values: [pulumi.secret(r.testRouteSecret)] } },
            ],
          },
        ]),
  ];
}
