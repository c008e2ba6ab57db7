// The driver port: everything the traffic-shift controller needs from the world, and nothing more.
// The controller decides, a driver acts: drivers (AWS in shift/drivers/aws*.ts, local router in
// shift/drivers/local*.ts) implement ShiftDriver; the controller never imports a driver, an SDK or
// Pulumi. Stable interface: change it only by adding optional members.
import type { Color } from '../contract/index.ts';
import type { Weights } from '../contract/weights.ts';
import type { Action, ShiftRecord, ShiftStatus } from '../release/state/shiftRecord.ts';
import type { WindowSamples } from './judge/samples.ts';
import type { Timeline } from './timeline.ts';
import type { CapacityMode, ScalingConfig } from '../release/state/capacity.ts';

/** Target health of one colour as the load balancer sees it. */
export interface TargetHealth {
  /** Targets registered in the colour's target group (any state). */
  registered: number;
  /** Targets in state `healthy`. */
  healthy: number;
  /** The service's desired task count (ECS desiredCount; the local system's instance count). */
  desired: number;
  /** Registered targets still in their first health checks (`initial`): starting, not failing. @default 0 */
  initial?: number;
  /** Registered targets being deregistered (`draining`): leaving, not failing. @default 0 */
  draining?: number;
  /** Tasks the service started that are not registered yet (ECS pendingCount). @default 0 */
  pending?: number;
}

/** One colour's service size and its Application Auto Scaling target. */
export interface ColorCapacity {
  /** Tasks running (ECS runningCount; local: serve processes up). */
  running: number;
  /** Tasks the service wants (ECS desiredCount). */
  desired: number;
  /** Tasks starting (ECS pendingCount). */
  pending: number;
  /** The scalable target's bounds now; null when the service has no scalable target. */
  minCapacity: number | null;
  maxCapacity: number | null;
  /** DynamicScalingInSuspended of the scalable target; null when there is none. */
  scaleInSuspended: boolean | null;
  /** The colour's configured bounds and standby (stack config), null when its stack exports none. */
  config: ScalingConfig | null;
}

/** How long starting tasks takes, so plans and `status` can say what a scale-up costs. */
export interface ScaleUpTiming {
  /** From a raised desired count to a task running (Fargate: placement, ENI, image pull, start), seconds. */
  taskStartSeconds: number;
  /** Target-group checks until healthy (interval × healthy threshold), seconds. */
  healthySeconds: number;
}

/** Where a synthetic probe goes: through the main URL (weighted) or a colour's header test route. */
export type ProbeRoute = { via: 'main' } | { via: 'test-route'; color: Color };

export interface ProbeRequest {
  route: ProbeRoute;
  /** Absolute path, e.g. READINESS_PATH or '/'. */
  path: string;
  /**
   * The round's deadline: no answer within this is `status: 0` (a hung target fails its round on
   * time instead of holding the controller for a client's default timeout). @default - the driver's own
   */
  timeoutMs?: number;
}

/** One probe's answer. A network failure is `status: 0` with `error` set, never a throw. */
export interface ProbeResult {
  status: number;
  /** The COLOR_HEADER response header, when present. */
  color?: string;
  /** The body as text, at most ~64 KiB (the controller parses /healthz JSON itself). */
  body: string;
  /** Why no HTTP answer arrived (timeout, refused, reset). */
  error?: string;
}

/** The window a metrics read covers, epoch milliseconds, `fromMs` inclusive, `toMs` exclusive. */
export interface MetricsWindow {
  fromMs: number;
  toMs: number;
}

/**
 * One colour's request metrics over a window. `null` means the source returned no datapoints for
 * that metric — the controller treats it as "no data", which never passes a gate.
 */
export interface ColorMetrics {
  requests: number | null;
  /** 5xx answered by the targets (not by the load balancer itself). */
  errors5xx: number | null;
  /** 99th percentile target response time, milliseconds. */
  p99Ms: number | null;
}

/** Requests sampled through the main URL, counted by the COLOR_HEADER of each answer. */
export interface SplitSample {
  counts: Record<Color, number>;
  /** Answers without a recognised colour header (errors, fixed responses). */
  other: number;
}

/** A stored document and the version tag a conditional write must name (S3 ETag or equivalent). */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** What a driver tells the controller about its timing, so plans and `status` can state budgets. */
export interface DriverTiming {
  /** Metrics granularity, seconds (CloudWatch ALB metrics: 60). A bake is at least 2 periods. */
  metricsPeriodSeconds: number;
  /** Worst case from a weight write being accepted to every load-balancer node applying it, seconds. */
  propagationSeconds: number;
  /** Worst case of one normal weight write (durable record + `pulumi up`), seconds. */
  writeSeconds: number;
  /** Worst case of the fast rollback write (ModifyListener or the local admin call), seconds. */
  rollbackWriteSeconds: number;
  /** Target group deregistration delay, seconds: connections to the old colour drain this long. */
  deregistrationDelaySeconds: number;
  /**
   * The deadline of one round of probes, seconds: a target that has not answered by then fails the
   * round. The rollback budget counts it for hung targets. @default 5 (the ALB's health-check timeout)
   */
  probeTimeoutSeconds?: number;
  /**
   * How often gates are re-checked through this driver, seconds. The driver knows what its reads cost
   * and how fresh they are (AWS: 15, CloudWatch and the ELB APIs; local router: 1, live metrics).
   * @default 15 (CHECK_INTERVAL_SECONDS)
   */
  checkIntervalSeconds?: number;
  /**
   * How often the canary judge compares the colours, seconds: the finest period its sources publish
   * (AWS: serve's 10 s EMF metrics; local router: 1, live). @default 10
   */
  judgeIntervalSeconds?: number;
  /**
   * How far back one judgment pools the colours' figures (never before the bake started), seconds:
   * long enough for a few 5xx of a 2 % fault at the canary's share. @default 60
   */
  judgePoolSeconds?: number;
  /**
   * How long after a window ends its figures are complete at the source, seconds (EMF: the 10 s
   * flush plus CloudWatch Logs' extraction). The judge reads windows that ended this long ago. @default 0
   */
  samplesLagSeconds?: number;
  /** What starting tasks takes; a driver without capacity control omits it. */
  scaleUp?: ScaleUpTiming;
}

/** Injected time: the controller never reads the wall clock or sets timers itself. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` (tests advance a fake clock instead of waiting). */
  sleep(ms: number): Promise<void>;
}

/**
 * How hints name this driver's world to an operator. Refusals, `status` and the CLI's messages use it,
 * so a local shift never advises `pulumi up` and every suggested command carries the flags that reach
 * the same system.
 */
export interface DriverHints {
  /** Flags that select this driver after `exchange shift <verb>`, e.g. " --local". @default "" */
  verbFlags?: string;
  /** How to put the listener back on the recorded weights (drift). @default - `pulumi up` of the shared stack */
  restoreListener?: string;
  /** How to get a colour's targets healthy. @default - deploy the colour and wait for its tasks */
  unhealthy?: (color: Color) => string;
}

/**
 * The one interface a driver implements. Every method may throw; the controller records what it
 * knows and stops. Writes are idempotent: repeating one with the same weights changes nothing.
 */
export interface ShiftDriver {
  timing: DriverTiming;
  /** @default - the AWS wording (shift/hints.ts) */
  hints?: DriverHints;
  /** The weights the listener applies right now (read from the load balancer, not from a record). */
  readLiveWeights(): Promise<Weights>;
  /**
   * The weights the durable store says the listener should have (what the next `up` applies), or
   * undefined when none were ever recorded. Preflight refuses when they differ from the live ones.
   * Optional: a driver without a separate store omits it and preflight skips that check.
   */
  readRecordedWeights?(): Promise<Weights | undefined>;
  /** A normal step: record the weights durably, then make the listener apply them; resolves when accepted. */
  writeWeights(weights: Weights): Promise<void>;
  /**
   * Fast rollback: the listener first (one call, seconds), then the durable weights, then any slow
   * reconcile. Throws RollbackIncompleteError (shift/errors.ts) when the listener took the weights but
   * a later part failed, and any other error when the listener write itself failed.
   */
  rollbackWeights(weights: Weights): Promise<void>;
  targetHealth(color: Color): Promise<TargetHealth>;
  /**
   * Seconds a sticky client stays on the colour it was first sent to (the forward action's target-group
   * stickiness); 0 when off. Optional: a driver without stickiness omits it.
   */
  readStickinessSeconds?(): Promise<number>;
  probe(request: ProbeRequest): Promise<ProbeResult>;
  metrics(color: Color, window: MetricsWindow): Promise<ColorMetrics>;
  /**
   * Both colours' figures over the same window from each source the driver has (local: the router;
   * AWS: serve's EMF metrics and the ALB's), for the canary judge. A source without datapoints
   * answers zero requests, never throws for that. Optional: without it only the fixed limits judge.
   */
  samples?(window: MetricsWindow): Promise<WindowSamples[]>;
  /** The shift's timeline (the release page's source), or undefined when none was kept. Optional. */
  readTimeline?(): Promise<Timeline | undefined>;
  /** Replaces the timeline (the controller's process is its only writer). Optional. */
  writeTimeline?(timeline: Timeline): Promise<void>;
  /** Sends `requests` requests through the main URL and counts answers per colour. */
  sampleSplit(requests: number): Promise<SplitSample>;
  /** The shift record, or undefined when no shift was ever recorded. */
  readRecord(): Promise<Versioned<ShiftRecord> | undefined>;
  /**
   * Compare-and-swap: writes when the stored etag equals `ifMatch` (or nothing is stored and `ifMatch`
   * is null); returns the new etag. Otherwise throws RecordConflictError (shift/errors.ts).
   */
  writeRecord(record: ShiftRecord, ifMatch: string | null): Promise<string>;
  /** The colour's running/desired tasks and scalable target. Optional: without it there is no capacity gate. */
  readCapacity?(color: Color): Promise<ColorCapacity>;
  /**
   * Records the colour's capacity mode durably (what every later `up` declares), then applies its bounds;
   * Application Auto Scaling moves the desired count into them. Resolves when accepted, not when running.
   */
  setCapacity?(color: Color, mode: CapacityMode, writer: string): Promise<void>;
  /** Suspends (true) or resumes (false) dynamic scale-in of the colour; nothing else of its target changes. */
  setScaleInSuspended?(color: Color, suspended: boolean): Promise<void>;
}

// ---- the events and the report -----------------------------------------------------------------------

export type GateName =
  'target-health' | 'probe-main' | 'probe-test-route' | 'metrics' | 'split' | 'canary' | 'capacity';
export type GateOutcome = 'pass' | 'fail' | 'no-data';
/** Every decision and measurement the controller makes; the report and the CLI are built from these. */
export interface ShiftEvent {
  /** ISO time from the injected clock. */
  time: string;
  shiftId: string;
  /** 1-based step, 0 before the first write. */
  step: number;
  action: Action;
  gate?: GateName;
  outcome?: GateOutcome;
  /** The measured value, e.g. "0.4%", "212 ms", "3/3 healthy". */
  value?: string;
  /** What it had to be, e.g. "≤ 1%", "≥ 2 of desired 2". */
  threshold?: string;
  weights?: Weights;
  message?: string;
  /** A canary judgment's figures per source and colour (the release page draws them). */
  windows?: WindowFigures[];
}

/** One colour over one judged window, as the release page shows it. */
export interface WindowFigures {
  source: string;
  color: Color;
  fromMs: number;
  toMs: number;
  requests: number;
  errors5xx: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** The final summary of a shift. */
export interface ShiftReport {
  shiftId: string;
  from: Color;
  to: Color;
  status: ShiftStatus;
  stepsCompleted: number;
  stepsPlanned: number;
  finalWeights: Weights;
  durationSeconds: number;
  gates: Record<GateName, { pass: number; fail: number; noData: number }>;
  /** The decision that ended the shift. */
  reason: string;
  /** ISO time from which scaling down the old colour is safe (promoted only), else null. */
  scaleDownSafeAt: string | null;
}
