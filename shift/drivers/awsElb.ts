// ELBv2 and ECS calls of the AWS driver: the listener's weights (read and the fast rollback write),
// the colours' test-route rules, target health and the services' desired counts.
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { COLOR_HEADER, COLORS, type Color } from '../../contract/index.ts';
import { DriverError } from '../errors.ts';
import type { TargetHealth } from '../port.ts';
import type { Weights } from '../../contract/weights.ts';
import type { ScalingConfig } from '../../release/state/capacity.ts';

/** What the driver acts on, from the stacks' outputs. */
export interface AwsTargets {
  listenerArn: string;
  /** The main URL users reach (shared output `url`). */
  url: string;
  targetGroupArns: Record<Color, string>;
  cluster: string;
  serviceNames: Record<Color, string>;
  /** Each colour's scaling config (its stack's `scaling` output); null when that stack exports none yet. */
  scaling?: Record<Color, ScalingConfig | null>;
}

export interface ElbDeps {
  elb: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
  targets: AwsTargets;
}

function fail(call: string, err: unknown, known: string): DriverError {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new DriverError(`${call} failed: ${msg.split('\n')[0]}; ${known}`, {
    hint: 'check the credentials (SDK default chain) allow it and the region is right',
    cause: err,
  });
}

async function defaultAction(d: ElbDeps): Promise<Action> {
  let out;
  try {
    out = await d.elb.send(new DescribeListenersCommand({ ListenerArns: [d.targets.listenerArn] }));
  } catch (err) {
    throw fail('elbv2 DescribeListeners', err, 'the live weights are unknown');
  }
  const action = out.Listeners?.[0]?.DefaultActions?.find(
    (a) => a.Type === 'forward' || a.Type === 'fixed-response',
  );
  if (action === undefined)
    throw new DriverError(`listener ${d.targets.listenerArn} has no forward default action`, {
      hint: 'run "pulumi up --stack shared" so the shared stack owns the listener again',
    });
  return action;
}

/** Weights of the listener's default forward; a fixed-response (bootstrap 503) is all zero. */
export async function readListenerWeights(d: ElbDeps): Promise<Weights> {
  const action = await defaultAction(d);
  const weights = { blue: 0, green: 0 } as Weights;
  if (action.Type !== 'forward') return weights;
  const groups = action.ForwardConfig?.TargetGroups ?? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }];
  for (const c of COLORS) {
    const g = groups.find((x) => x.TargetGroupArn === d.targets.targetGroupArns[c]);
    weights[c] = g?.Weight ?? 0;
  }
  return weights;
}

/** The forward action's target-group stickiness, seconds; 0 when it is off (or the action is not a forward). */
export async function readListenerStickiness(d: ElbDeps): Promise<number> {
  const s = (await defaultAction(d)).ForwardConfig?.TargetGroupStickinessConfig;
  return s?.Enabled === true ? (s.DurationSeconds ?? 0) : 0;
}

/** The fast rollback write: the whole default action in one call, keeping the stickiness setting. */
export async function modifyListenerWeights(d: ElbDeps, weights: Weights): Promise<void> {
  const current = await defaultAction(d);
  const stickiness = current.ForwardConfig?.TargetGroupStickinessConfig;
  try {
    await d.elb.send(
      new ModifyListenerCommand({
        ListenerArn: d.targets.listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: COLORS.map((c) => ({
                TargetGroupArn: d.targets.targetGroupArns[c],
                Weight: weights[c],
              })),
              ...(stickiness === undefined ? {} : { TargetGroupStickinessConfig: stickiness }),
            },
          },
        ],
      }),
    );
  } catch (err) {
    throw fail('elbv2 ModifyListener', err, 'the listener still holds its previous weights');
  }
}

/** True when the listener has the colour's header rule (the environment stack adds it). */
export async function hasTestRoute(d: ElbDeps, color: Color): Promise<boolean> {
  let out;
  try {
    out = await d.elb.send(new DescribeRulesCommand({ ListenerArn: d.targets.listenerArn }));
  } catch (err) {
    throw fail('elbv2 DescribeRules', err, 'the test routes are unknown');
  }
  return (out.Rules ?? []).some(
    (r) =>
      r.Actions?.some(
        (a) =>
          a.TargetGroupArn === d.targets.targetGroupArns[color] ||
          a.ForwardConfig?.TargetGroups?.some((g) => g.TargetGroupArn === d.targets.targetGroupArns[color]),
      ) === true &&
      r.Conditions?.some(
        (c) =>
          c.Field === 'http-header' &&
          c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === COLOR_HEADER.toLowerCase() &&
          c.HttpHeaderConfig.Values?.includes(color) === true,
      ) === true,
  );
}

export async function readTargetHealth(d: ElbDeps, color: Color): Promise<TargetHealth> {
  let health;
  let services;
  try {
    health = await d.elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: d.targets.targetGroupArns[color] }),
    );
  } catch (err) {
    throw fail('elbv2 DescribeTargetHealth', err, `${color}'s target health is unknown`);
  }
  try {
    services = await d.ecs.send(
      new DescribeServicesCommand({ cluster: d.targets.cluster, services: [d.targets.serviceNames[color]] }),
    );
  } catch (err) {
    throw fail('ecs DescribeServices', err, `${color}'s desired count is unknown`);
  }
  const descriptions = health.TargetHealthDescriptions ?? [];
  const inState = (state: string): number =>
    descriptions.filter((t) => t.TargetHealth?.State === state).length;
  return {
    registered: descriptions.length,
    healthy: inState('healthy'),
    desired: services.services?.[0]?.desiredCount ?? 0,
    // A scale-out shows as targets in `initial` and tasks not yet registered (pendingCount), a
    // replaced task as one `draining`: neither is a failing target (ELB TargetHealth.State).
    initial: inState('initial'),
    draining: inState('draining'),
    pending: services.services?.[0]?.pendingCount ?? 0,
  };
}
