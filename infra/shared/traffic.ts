// Pure traffic planning for the shared listener: from configured weights and the target groups the
// environment stacks actually export, decide the default action and what the stack reports as live.
import { COLORS, type Color } from '../../contract/index.ts';
import type { Weights } from '../../contract/weights.ts';

export const NO_ENVIRONMENT_MESSAGE = 'no environment deployed yet';

export interface WeightedTarget {
  color: Color;
  arn: string;
  weight: number;
}

/** Either nothing can be served yet (bootstrap), or a weighted forward over the TGs that exist. */
export type TrafficPlan =
  { kind: 'unavailable' } | { kind: 'forward'; targets: WeightedTarget[]; stickinessSeconds?: number };

export class TrafficPlanError extends Error {
  override name = 'TrafficPlanError';
}

/**
 * Bootstrap rule: while no environment exports a target group, the listener answers 503.
 * Once one does, every colour with weight > 0 must have its TG (otherwise its share of traffic would
 * silently go elsewhere); idle colours whose TG exists stay in the list with weight 0, so a later
 * shift only changes numbers and a 100/0 cut-over keeps both TGs associated with the listener.
 */
export function planTraffic(
  weights: Weights,
  targetGroupArns: Partial<Record<Color, string | undefined>>,
  stickinessSeconds?: number,
): TrafficPlan {
  const present = COLORS.filter((c) => typeof targetGroupArns[c] === 'string' && targetGroupArns[c] !== '');
  if (present.length === 0) return { kind: 'unavailable' };
  const missing = COLORS.filter((c) => weights[c] > 0 && !present.includes(c));
  if (missing.length > 0) {
    const list = missing.map((c) => `${c} (weight ${weights[c]})`).join(', ');
    throw new TrafficPlanError(
      `weights send traffic to ${list} but that stack exports no targetGroupArn; deploy it first or set its weight to 0`,
    );
  }
  const targets = present.map((color) => ({
    color,
    arn: targetGroupArns[color] as string,
    weight: weights[color],
  }));
  return { kind: 'forward', targets, ...(stickinessSeconds === undefined ? {} : { stickinessSeconds }) };
}

/** Weights the listener really applies: 0 for colours not in the forward list. */
export function effectiveWeights(plan: TrafficPlan): Weights {
  const w = Object.fromEntries(COLORS.map((c) => [c, 0])) as Weights;
  if (plan.kind === 'forward') for (const t of plan.targets) w[t.color] = t.weight;
  return w;
}

/**
 * The colour receiving the most traffic, or 'none' while nothing is served. A tie (e.g. 50/50
 * mid-shift) resolves in COLORS order so the output is deterministic; `weights` shows the split.
 */
export function liveColor(plan: TrafficPlan): Color | 'none' {
  if (plan.kind === 'unavailable') return 'none';
  let best: WeightedTarget | undefined;
  for (const t of plan.targets) if (t.weight > 0 && (best === undefined || t.weight > best.weight)) best = t;
  return best?.color ?? 'none';
}

/** The listener default action (shape of aws.lb.Listener `defaultActions[]`). */
export interface DefaultAction {
  type: 'forward' | 'fixed-response';
  forward?: {
    targetGroups: { arn: string; weight: number }[];
    stickiness?: { enabled: boolean; duration: number };
  };
  fixedResponse?: { contentType: string; statusCode: string; messageBody: string };
}

export function defaultAction(plan: TrafficPlan): DefaultAction {
  if (plan.kind === 'unavailable') {
    return {
      type: 'fixed-response',
      fixedResponse: { contentType: 'text/plain', statusCode: '503', messageBody: NO_ENVIRONMENT_MESSAGE },
    };
  }
  const stickiness =
    plan.stickinessSeconds === undefined
      ? {}
      : { stickiness: { enabled: true, duration: plan.stickinessSeconds } };
  return {
    type: 'forward',
    forward: { targetGroups: plan.targets.map(({ arn, weight }) => ({ arn, weight })), ...stickiness },
  };
}
