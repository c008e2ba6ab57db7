// The AWS driver: ShiftDriver over ELBv2, ECS, CloudWatch, the durable release state and the shared
// stack's `pulumi up --target <listener>`. A normal write records the weights, then `up` applies them (the shared program
// reads them from the store). The fast rollback goes to the listener first (seconds), then records,
// then `up` reconciles — which then changes nothing on the listener.
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Got } from 'got';
import { COLORS, TARGET_HEALTH, type Color } from '../../contract/index.ts';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../../contract/stacks.ts';
import type { DocumentStore } from '../../release/state/store.ts';
import {
  parseShiftRecord,
  parseWeightsDocument,
  recordWeights,
  SHIFT_DOCUMENT,
  WEIGHTS_DOCUMENT,
} from '../../release/state/traffic.ts';
import { ConflictError, CorruptDocumentError } from '../../release/state/store.ts';
import { DriverError, RecordConflictError, RollbackIncompleteError } from '../errors.ts';
import type { DriverTiming, ShiftDriver } from '../port.ts';
import { parseTimeline } from '../timeline.ts';

/** The shift's timeline beside its record: exchange-release/traffic/timeline.json. */
export const TIMELINE_DOCUMENT = 'traffic/timeline';
import { formatWeights, type Weights } from '../../contract/weights.ts';
import {
  hasTestRoute,
  modifyListenerWeights,
  readListenerStickiness,
  readListenerWeights,
  readTargetHealth,
  type AwsTargets,
} from './awsElb.ts';
import { METRICS_PERIOD_SECONDS, readColorMetrics, readSamples } from './awsMetrics.ts';
import { SERVE_METRICS_PERIOD_SECONDS } from '../../contract/serveMetrics.ts';
import { probeHttp, sampleSplitHttp } from './http.ts';
import { stackOutput } from '../../lib/stackOutput.ts';
import type { ListenerStack } from './pulumiStack.ts';
import { AWS_SCALE_UP, readAwsCapacity, setAwsCapacity, setAwsScaleInSuspended } from './awsCapacity.ts';
import { parseScalingOutput, type ScalingConfig } from '../../release/state/capacity.ts';

export type { AwsTargets } from './awsElb.ts';

/**
 * Budgets, seconds. Propagation: ALB nodes apply a listener change within seconds (AWS states no
 * SLA; 15 s is our measured-worst-case budget to confirm with the observed split). Write: a no-op
 * `pulumi up` of the shared stack that only changes the listener takes 30–90 s. Checks every 5 s
 * (probes and the trickle; target health and the ELB API are cheap); the canary judge every EMF
 * period (10 s) over the last minute, reading periods that ended ≥ 10 s ago: EMF documents reach
 * CloudWatch through the awslogs driver and CloudWatch Logs' extraction, for which AWS states no
 * bound — 10 s is our budget, to confirm on the first shift (`status --html` shows each window).
 */
export const AWS_TIMING: DriverTiming = {
  metricsPeriodSeconds: METRICS_PERIOD_SECONDS,
  propagationSeconds: 15,
  writeSeconds: 120,
  rollbackWriteSeconds: 5,
  deregistrationDelaySeconds: 30,
  // As the target group's health check (contract TARGET_HEALTH.timeoutSeconds): slower is a failure.
  probeTimeoutSeconds: TARGET_HEALTH.timeoutSeconds,
  // Probes and target health every 5 s; the canary judge every 10 s, as serve's EMF metrics.
  checkIntervalSeconds: 5,
  judgeIntervalSeconds: SERVE_METRICS_PERIOD_SECONDS,
  judgePoolSeconds: 60,
  samplesLagSeconds: 10,
};

export interface AwsDriverDeps {
  elb: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
  cloudwatch: CloudWatchClient;
  /** With it the driver controls capacity (capacity gate, scale-in suspension, floors, standby). */
  autoscaling?: ApplicationAutoScalingClient;
  targets: AwsTargets;
  store: DocumentStore;
  /** Only the listener: a step never applies other shared-stack changes (listenerOnly). */
  sharedStack: ListenerStack;
  http: Got;
  /** The test route's secret (TEST_KEY_HEADER), when the colour stacks set `testRouteSecret`. */
  testKey?: string;
  now: () => Date;
  timing?: Partial<DriverTiming>;
}

export function createAwsDriver(d: AwsDriverDeps): ShiftDriver {
  const elb = { elb: d.elb, ecs: d.ecs, targets: d.targets };
  const testRoutes = new Set<Color>();
  const record = async (w: Weights, writer: string): Promise<void> => {
    try {
      await recordWeights(d.store, w, writer, d.now());
    } catch (err) {
      throw new DriverError(
        `recording weights ${formatWeights(w)} in ${d.store.where(WEIGHTS_DOCUMENT)} failed: ${msg(err)}`,
        { cause: err },
      );
    }
  };
  const capacity = d.autoscaling && { ...d, autoscaling: d.autoscaling };
  const capacityMethods: Partial<ShiftDriver> = capacity
    ? {
        readCapacity: (c) => readAwsCapacity(capacity, c),
        setCapacity: (c, mode, writer) => setAwsCapacity(capacity, c, mode, writer),
        setScaleInSuspended: (c, suspended) => setAwsScaleInSuspended(capacity, c, suspended),
      }
    : {};
  return {
    ...capacityMethods,
    timing: { ...AWS_TIMING, ...(capacity ? { scaleUp: AWS_SCALE_UP } : {}), ...d.timing },
    readLiveWeights: () => readListenerWeights(elb),
    async readRecordedWeights() {
      return (await d.store.read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value.weights;
    },
    async writeWeights(w) {
      await record(w, 'shift');
      try {
        await d.sharedStack.up();
      } catch (err) {
        throw new DriverError(
          `weights ${formatWeights(w)} are recorded but ${msg(err)}; the listener may still hold the previous weights and the next up applies the recorded ones`,
          { cause: err },
        );
      }
    },
    async rollbackWeights(w) {
      await modifyListenerWeights(elb, w);
      try {
        await record(w, 'rollback');
        await d.sharedStack.up();
      } catch (err) {
        throw new RollbackIncompleteError(`listener rolled back to ${formatWeights(w)}, then ${msg(err)}`, {
          hint: 'run "exchange shift abort" again to record and reconcile',
          cause: err,
        });
      }
    },
    targetHealth: (c) => readTargetHealth(elb, c),
    readStickinessSeconds: () => readListenerStickiness(elb),
    async probe(req) {
      if (req.route.via === 'test-route' && !testRoutes.has(req.route.color)) {
        if (!(await hasTestRoute(elb, req.route.color)))
          return {
            status: 0,
            body: '',
            error: `the listener has no ${req.route.color} test-route rule (deploy the ${req.route.color} stack)`,
          };
        testRoutes.add(req.route.color);
      }
      return probeHttp(d.http, d.targets.url, req, d.testKey);
    },
    metrics: (c, window) =>
      readColorMetrics(d.cloudwatch, d.targets.listenerArn, d.targets.targetGroupArns[c], window),
    samples: (window) => readSamples(d.cloudwatch, d.targets.listenerArn, d.targets.targetGroupArns, window),
    sampleSplit: (n) => sampleSplitHttp(d.http, d.targets.url, n),
    async readRecord() {
      try {
        return await d.store.read(SHIFT_DOCUMENT, parseShiftRecord);
      } catch (err) {
        if (!(err instanceof CorruptDocumentError)) throw err;
        throw new CorruptDocumentError(err.message, {
          hint: `${err.hint ?? ''}; nothing writes over it while it is bad, and "exchange shift reset --to <colour>" puts all traffic on one colour either way`,
          cause: err,
        });
      }
    },
    async readTimeline() {
      return (await d.store.read(TIMELINE_DOCUMENT, parseTimeline))?.value;
    },
    async writeTimeline(t) {
      // One writer per shift (its controller): the etag read just before is the only guard needed.
      const current = await d.store.read(TIMELINE_DOCUMENT, (raw) => raw);
      await d.store.write(TIMELINE_DOCUMENT, t, current?.etag ?? null);
    },
    async writeRecord(rec, ifMatch) {
      try {
        return await d.store.write(SHIFT_DOCUMENT, rec, ifMatch);
      } catch (err) {
        if (err instanceof ConflictError) throw new RecordConflictError(err.message, { cause: err });
        throw err;
      }
    },
  };
}

/** The driver's targets from the shared stack's and both environment stacks' outputs. */
export function targetsFromOutputs(
  shared: Record<string, unknown>,
  envs: Record<Color, Record<string, unknown>>,
): AwsTargets {
  const per = (key: string) =>
    Object.fromEntries(COLORS.map((c) => [c, stackOutput(envs[c], key, c)])) as Record<Color, string>;
  return {
    listenerArn: stackOutput(shared, SHARED_OUTPUTS.listenerArn, 'shared'),
    url: stackOutput(shared, SHARED_OUTPUTS.url, 'shared'),
    cluster: stackOutput(shared, SHARED_OUTPUTS.clusterName, 'shared'),
    targetGroupArns: per(ENV_OUTPUTS.targetGroupArn),
    serviceNames: per(ENV_OUTPUTS.serviceName),
    scaling: Object.fromEntries(COLORS.map((c) => [c, scalingOf(envs[c], c)])) as Record<
      Color,
      ScalingConfig | null
    >,
  };
}

function scalingOf(outputs: Record<string, unknown>, color: Color): ScalingConfig | null {
  try {
    return parseScalingOutput(outputs[ENV_OUTPUTS.scaling], color);
  } catch (err) {
    throw new DriverError(msg(err), { hint: `pulumi up --stack ${color} to export it again`, cause: err });
  }
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
