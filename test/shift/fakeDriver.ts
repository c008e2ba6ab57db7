// A fake ShiftDriver with the behaviour the controller relies on: a listener that applies weights
// (optionally late), colours with health, versions and metrics, a record with real compare-and-swap,
// an injected clock whose sleep advances time, and faults on demand (failures, crashes after a write).
import { COLORS, type Color } from '../../contract/index.ts';
import { RecordConflictError, RollbackIncompleteError } from '../../shift/errors.ts';
import type {
  Clock,
  ColorMetrics,
  DriverTiming,
  ProbeRequest,
  ProbeResult,
  ShiftDriver,
  SplitSample,
  TargetHealth,
  Versioned,
} from '../../shift/port.ts';
import type { ShiftRecord } from '../../release/state/shiftRecord.ts';
import type { Weights } from '../../contract/weights.ts';

export class FakeClock implements Clock {
  constructor(public ms = Date.parse('2026-12-01T05:00:00Z')) {}
  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    this.ms += ms;
  }
}

/** Thrown to simulate the process being killed right after a record write landed. */
export class Crash extends Error {
  override name = 'Crash';
}

export interface ColourState {
  version: string;
  health: TargetHealth;
  /** Metrics per call (default: a healthy, busy colour). */
  metrics: (window: { fromMs: number; toMs: number }) => ColorMetrics;
  healthz: number;
  page: number;
}

export const TIMING: DriverTiming = {
  metricsPeriodSeconds: 60,
  propagationSeconds: 5,
  writeSeconds: 40,
  rollbackWriteSeconds: 2,
  deregistrationDelaySeconds: 30,
};

export class FakeDriver implements ShiftDriver {
  timing = TIMING;
  live: Weights = { blue: 100, green: 0 };
  recorded: Weights | undefined = { blue: 100, green: 0 };
  /** Weights the load balancer routes by (lags `live` while `applyLag` is true). */
  applied: Weights = { blue: 100, green: 0 };
  applyLag = false;
  colours: Record<Color, ColourState> = {
    blue: colour('1.0.0'),
    green: colour('1.1.0'),
  };
  record: Versioned<ShiftRecord> | undefined;
  private etagSeq = 0;
  calls: string[] = [];
  /** Method name → error thrown on its next call (once). */
  failNext = new Map<string, Error>();
  /** The n-th record write lands, then Crash is thrown (1-based; 0 = never). */
  crashAfterRecordWrite = 0;
  recordWrites = 0;

  constructor(public clock: FakeClock) {}

  private trip(name: string): void {
    this.calls.push(name);
    const err = this.failNext.get(name);
    if (err !== undefined) {
      this.failNext.delete(name);
      throw err;
    }
  }

  async readLiveWeights(): Promise<Weights> {
    this.trip('readLiveWeights');
    return { ...this.live };
  }
  async readRecordedWeights(): Promise<Weights | undefined> {
    this.trip('readRecordedWeights');
    return this.recorded && { ...this.recorded };
  }
  async writeWeights(w: Weights): Promise<void> {
    this.trip('writeWeights');
    this.recorded = { ...w };
    this.live = { ...w };
    if (!this.applyLag) this.applied = { ...w };
    this.clock.ms += this.timing.writeSeconds * 1000;
  }
  async rollbackWeights(w: Weights): Promise<void> {
    this.calls.push('rollbackWeights');
    const err = this.failNext.get('rollbackWeights');
    if (err !== undefined && !(err instanceof RollbackIncompleteError)) {
      this.failNext.delete('rollbackWeights');
      throw err;
    }
    this.live = { ...w };
    this.applied = { ...w };
    this.clock.ms += this.timing.rollbackWriteSeconds * 1000;
    if (err !== undefined) {
      this.failNext.delete('rollbackWeights');
      throw err;
    }
    this.recorded = { ...w };
  }
  async targetHealth(color: Color): Promise<TargetHealth> {
    this.trip('targetHealth');
    return { ...this.colours[color].health };
  }
  /** False: the test-route rule does not match (missing secret), so the main weights answer. */
  testRouteMatches = true;
  async probe(req: ProbeRequest): Promise<ProbeResult> {
    this.trip('probe');
    const color = req.route.via === 'test-route' && this.testRouteMatches ? req.route.color : this.pick();
    const c = this.colours[color];
    const status = req.path === '/' ? c.page : c.healthz;
    const body =
      req.path === '/' ? '<html></html>' : JSON.stringify({ status: 'ok', color, version: c.version });
    return { status, color, body };
  }
  /** The colour the main URL answers from: the one with the larger applied weight. */
  private pick(): Color {
    return this.applied.green > this.applied.blue ? 'green' : 'blue';
  }
  async metrics(color: Color, window: { fromMs: number; toMs: number }): Promise<ColorMetrics> {
    this.trip('metrics');
    return this.colours[color].metrics(window);
  }
  /** Exact proportions of the applied weights (the gate's tolerance is tested on its own). */
  async sampleSplit(n: number): Promise<SplitSample> {
    this.trip('sampleSplit');
    const total = COLORS.reduce((s, c) => s + this.applied[c], 0);
    const green = Math.round((n * this.applied.green) / total);
    return { counts: { blue: n - green, green }, other: 0 };
  }
  async readRecord(): Promise<Versioned<ShiftRecord> | undefined> {
    this.trip('readRecord');
    return this.record && { value: structuredClone(this.record.value), etag: this.record.etag };
  }
  async writeRecord(record: ShiftRecord, ifMatch: string | null): Promise<string> {
    this.trip('writeRecord');
    if ((this.record?.etag ?? null) !== ifMatch)
      throw new RecordConflictError(
        `record changed: etag ${this.record?.etag ?? 'none'}, expected ${ifMatch ?? 'none'}`,
      );
    const etag = `"e${++this.etagSeq}"`;
    this.record = { value: structuredClone(record), etag };
    this.recordWrites += 1;
    if (this.recordWrites === this.crashAfterRecordWrite)
      throw new Crash(`killed after record write ${this.recordWrites}`);
    return etag;
  }
}

/** A colour that is healthy, busy and fast: 2 of 2 targets, 600 requests a minute, no 5xx, p99 120 ms. */
export function colour(version: string): ColourState {
  return {
    version,
    health: { registered: 2, healthy: 2, desired: 2 },
    metrics: (w) => ({
      requests: Math.floor(((w.toMs - w.fromMs) / 60_000) * 600),
      errors5xx: 0,
      p99Ms: 120,
    }),
    healthz: 200,
    page: 200,
  };
}
