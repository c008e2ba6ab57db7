// The AWS driver: ShiftDriver over ELBv2, ECS, CloudWatch, the durable release state and the shared
// stack's `pulumi up`. A normal write records the weights, then `up` applies them (the shared program
// reads them from the store). The fast rollback goes to the listener first (seconds), then records,
// then `up` reconciles — which then changes nothing on the listener.
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Got } from 'got';
import { COLORS, type Color } from '../../contract/index.ts';
import { ENV_OUTPUTS, SHARED_OUTPUTS } from '../../contract/stacks.ts';
import type { DocumentStore } from '../../release/state/store.ts';
import {
  parseShiftRecord,
  parseWeightsDocument,
  recordWeights,
  SHIFT_DOCUMENT,
  WEIGHTS_DOCUMENT,
} from '../../release/state/traffic.ts';
import { ConflictError } from '../../release/state/store.ts';
import { DriverError, RecordConflictError, RollbackIncompleteError } from '../errors.ts';
import type { DriverTiming, ShiftDriver } from '../port.ts';
import { formatWeights, type Weights } from '../../contract/weights.ts';
import {
  hasTestRoute,
  modifyListenerWeights,
  readListenerWeights,
  readTargetHealth,
  type AwsTargets,
} from './awsElb.ts';
import { METRICS_PERIOD_SECONDS, readColorMetrics } from './awsMetrics.ts';
import { CHECK_INTERVAL_SECONDS } from '../plan.ts';
import { probeHttp, sampleSplitHttp } from './http.ts';
import { stackOutput } from '../../lib/stackOutput.ts';
import type { StackOps } from './pulumiStack.ts';
import { AWS_SCALE_UP, readAwsCapacity, setAwsCapacity, setAwsScaleInSuspended } from './awsCapacity.ts';
import { parseScalingOutput, type ScalingConfig } from '../../release/state/capacity.ts';

export type { AwsTargets } from './awsElb.ts';

/**
 * Budgets, seconds. Propagation: ALB nodes apply a listener change within seconds (AWS states no
 * SLA; 15 s is our measured-worst-case budget to confirm with the observed split). Write: a no-op
 * `pulumi up` of the shared stack that only changes the listener takes 30–90 s.
 */
export const AWS_TIMING: DriverTiming = {
  metricsPeriodSeconds: METRICS_PERIOD_SECONDS,
  propagationSeconds: 15,
  writeSeconds: 120,
  rollbackWriteSeconds: 5,
  deregistrationDelaySeconds: 30,
  checkIntervalSeconds: CHECK_INTERVAL_SECONDS,
};

export interface AwsDriverDeps {
  elb: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
  cloudwatch: CloudWatchClient;
  /** With it the driver controls capacity (capacity gate, scale-in suspension, floors, standby). */
  autoscaling?: ApplicationAutoScalingClient;
  targets: AwsTargets;
  store: DocumentStore;
  sharedStack: StackOps;
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
    sampleSplit: (n) => sampleSplitHttp(d.http, d.targets.url, n),
    async readRecord() {
      return d.store.read(SHIFT_DOCUMENT, parseShiftRecord);
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
