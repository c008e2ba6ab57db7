// The shared listener(s) and the weighted forward built from each environment's exported target group.
// One owner per field: only this stack writes the default action (the weights). Environment stacks
// add their own header test-route *rules* to this listener but never touch its default action, so a
// `pulumi up` of blue or green can never undo a traffic shift.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Color } from '../../contract/index.ts';
import { ENV_OUTPUTS } from '../../contract/stacks.ts';
import type { SharedConfig } from './config.ts';
import { HTTPS_PORT, HTTP_PORT } from './network.ts';
import { defaultAction, type TrafficPlan } from './traffic.ts';

/** TLS 1.3 with 1.2 fallback: AWS's recommended policy for new listeners. */
export const SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface Listeners {
  /** The listener users reach and environments attach test routes to (HTTPS when a certificate is set). */
  main: aws.lb.Listener;
  /** Present only with a certificate: HTTP 80 answering with a redirect to HTTPS. */
  redirect?: aws.lb.Listener;
}

/**
 * Reads each listed environment's target group ARN. Awaited before any AWS resource is declared so a
 * plan error (weight on a colour without TG) fails the program with one clear message. `getOutputValue`
 * (not `requireOutputValue`): a stack that exists but has not exported its TG yet yields undefined and
 * the plan falls back to a 503. Colours not listed in config are not referenced at all, because a
 * reference to a stack that does not exist fails.
 */
export async function readTargetGroups(
  cfg: SharedConfig,
): Promise<Partial<Record<Color, string | undefined>>> {
  const arns: Partial<Record<Color, string | undefined>> = {};
  for (const color of cfg.environments) {
    const name = cfg.environmentStacks[color] as string;
    const value: unknown = await new pulumi.StackReference(name, { name }).getOutputValue(
      ENV_OUTPUTS.targetGroupArn,
    );
    arns[color] = typeof value === 'string' ? value : undefined;
  }
  return arns;
}

export function createListeners(cfg: SharedConfig, alb: aws.lb.LoadBalancer, plan: TrafficPlan): Listeners {
  const defaultActions = [defaultAction(plan)];

  if (cfg.certificateArn === undefined) {
    const main = new aws.lb.Listener('exchange-http', {
      loadBalancerArn: alb.arn,
      port: HTTP_PORT,
      protocol: 'HTTP',
      defaultActions,
    });
    return { main };
  }
  const main = new aws.lb.Listener('exchange-https', {
    loadBalancerArn: alb.arn,
    port: HTTPS_PORT,
    protocol: 'HTTPS',
    sslPolicy: SSL_POLICY,
    certificateArn: cfg.certificateArn,
    defaultActions,
  });
  const redirect = new aws.lb.Listener('exchange-http', {
    loadBalancerArn: alb.arn,
    port: HTTP_PORT,
    protocol: 'HTTP',
    defaultActions: [
      { type: 'redirect', redirect: { protocol: 'HTTPS', port: String(HTTPS_PORT), statusCode: 'HTTP_301' } },
    ],
  });
  return { main, redirect };
}
