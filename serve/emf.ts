// serve's own per-colour figures as CloudWatch high-resolution metrics: every 10 s one Embedded
// Metric Format document per flush on stdout, which the awslogs driver ships to CloudWatch Logs and
// CloudWatch turns into metrics (no agent, no PutMetricData permission). Written through the official
// aws-embedded-metrics library (its serializer: ≤ 100 values a key, ≤ 100 metrics an event, and
// StorageResolution 1 on each metric definition); this file only aggregates and schedules.
import { MetricsLogger, StorageResolution, Unit } from 'aws-embedded-metrics';
import { LogSerializer } from 'aws-embedded-metrics/lib/serializers/LogSerializer.js';
import type { MetricsContext } from 'aws-embedded-metrics/lib/logger/MetricsContext.js';
import {
  LATENCY_SAMPLES_PER_FLUSH,
  SERVE_METRIC,
  SERVE_METRICS_DIMENSION,
  SERVE_METRICS_NAMESPACE,
  SERVE_METRICS_PERIOD_SECONDS,
} from '../contract/serveMetrics.ts';

export interface EmfOptions {
  /** The colour this task serves (the metric's dimension). */
  color: string;
  /** One EMF JSON document per call, without the newline (stdout in production). */
  write: (line: string) => void;
  /** Uniform [0, 1) for the latency reservoir. @default Math.random */
  random?: () => number;
  /** Epoch ms. @default Date.now */
  now?: () => number;
  /** A flush that failed (the figures of that period are lost; serving goes on). */
  onError?: (err: unknown) => void;
}

export interface ServeMetrics {
  /** One answered request: its status and how long it took, ms. */
  record(status: number, ms: number): void;
  /** Emits the period's figures (zeros too: an idle colour is 0 requests, not "no data") and starts a new period. */
  flush(): Promise<void>;
  /** Flushes every SERVE_METRICS_PERIOD_SECONDS until `stop`. */
  start(): void;
  /** Stops the timer and emits the last partial period. */
  stop(): Promise<void>;
}

/** ECS sets ECS_CONTAINER_METADATA_URI in every task's containers (aws-embedded-metrics detects ECS by it). */
export function emfEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.EXCHANGE_EMF === 'on' || (env.EXCHANGE_EMF !== 'off' && Boolean(env.ECS_CONTAINER_METADATA_URI));
}

export function createServeMetrics(o: EmfOptions): ServeMetrics {
  const random = o.random ?? Math.random;
  const now = o.now ?? Date.now;
  let periodStart = now();
  const serializer = new LogSerializer();
  const sink = {
    name: 'StdoutSink',
    accept: async (context: MetricsContext) => {
      for (const line of serializer.serialize(context)) o.write(line);
    },
  };
  // The library's environments probe ECS metadata and pick an agent socket; ours is always stdout.
  const environment = {
    probe: async () => true,
    getName: () => 'exchange-serve',
    getType: () => 'AWS::ECS::Container',
    getLogGroupName: () => '',
    configureContext: () => undefined,
    getSink: () => sink,
  };
  const logger = new MetricsLogger(async () => environment);
  logger.setNamespace(SERVE_METRICS_NAMESPACE);
  logger.setDimensions({ [SERVE_METRICS_DIMENSION]: o.color });
  let requests = 0;
  let errors = 0;
  let sample: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = async (): Promise<void> => {
    const [n, e, values] = [requests, errors, sample];
    [requests, errors, sample] = [0, 0, []];
    // Stamped mid-period, so the 10 s CloudWatch period holding most of these requests gets them.
    const end = now();
    logger.setTimestamp(Math.round((periodStart + end) / 2));
    periodStart = end;
    logger.putMetric(SERVE_METRIC.requests, n, Unit.Count, StorageResolution.High);
    logger.putMetric(SERVE_METRIC.errors5xx, e, Unit.Count, StorageResolution.High);
    for (const v of values)
      logger.putMetric(SERVE_METRIC.latency, v, Unit.Milliseconds, StorageResolution.High);
    await logger.flush();
  };
  return {
    record(status, ms) {
      requests += 1;
      if (status >= 500 && status <= 599) errors += 1;
      const v = Math.round(ms * 100) / 100;
      // Algorithm R: every request of the period is equally likely to be in the sample.
      if (sample.length < LATENCY_SAMPLES_PER_FLUSH) sample.push(v);
      else {
        const j = Math.floor(random() * requests);
        if (j < LATENCY_SAMPLES_PER_FLUSH) sample[j] = v;
      }
    },
    flush,
    start() {
      timer ??= setInterval(
        () => void flush().catch((err: unknown) => o.onError?.(err)),
        SERVE_METRICS_PERIOD_SECONDS * 1000,
      );
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}
