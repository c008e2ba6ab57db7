// The fake driver with capacity control: each colour has an ECS-like service (running/desired) behind an
// Application Auto Scaling target (bounds, scale-in suspension) whose bounds move the desired count into
// range at once, as RegisterScalableTarget does; new tasks turn healthy `startSeconds` of fake time later,
// and never more than `placeable` of them (a capacity shortage). Every call is logged in `calls`.
import { COLORS, type Color } from '../../contract/index.ts';
import { boundsFor, type CapacityMode, type ScalingConfig } from '../../release/state/capacity.ts';
import type { ColorCapacity, DriverTiming, TargetHealth } from '../../shift/port.ts';
import { FakeDriver, TIMING, type FakeClock } from './fakeDriver.ts';

interface Service {
  desired: number;
  healthy: number;
  min: number;
  max: number;
  suspended: boolean;
  /** Fake-time ms from which `desired` tasks (up to `placeable`) are healthy. */
  readyAtMs: number;
  /** Most tasks that can be started (Fargate capacity); Infinity by default. */
  placeable: number;
  config: ScalingConfig;
}

export class CapacityFakeDriver extends FakeDriver {
  services: Record<Color, Service>;
  startSeconds = 90;
  /** Capacity calls in order: "suspend blue", "resume green", "floor green 4", "serving green", … */
  capacityCalls: string[] = [];
  override timing: DriverTiming = { ...TIMING, scaleUp: { taskStartSeconds: 120, healthySeconds: 20 } };

  constructor(clock: FakeClock, tasks: Record<Color, number> = { blue: 4, green: 2 }) {
    super(clock);
    const config: ScalingConfig = { minCapacity: 2, maxCapacity: 10, standbyTasks: 0 };
    const service = (n: number): Service => ({
      desired: n,
      healthy: n,
      min: config.minCapacity,
      max: config.maxCapacity,
      suspended: false,
      readyAtMs: 0,
      placeable: Number.POSITIVE_INFINITY,
      config,
    });
    this.services = { blue: service(tasks.blue), green: service(tasks.green) };
    for (const c of COLORS) this.syncHealth(c);
  }

  private settle(c: Color): Service {
    const s = this.services[c];
    if (this.clock.now() >= s.readyAtMs) s.healthy = Math.min(s.desired, s.placeable);
    return s;
  }

  private syncHealth(c: Color): void {
    const s = this.settle(c);
    this.colours[c].health = { registered: s.healthy, healthy: s.healthy, desired: s.healthy };
  }

  override async targetHealth(color: Color): Promise<TargetHealth> {
    this.syncHealth(color);
    return super.targetHealth(color);
  }

  async readCapacity(color: Color): Promise<ColorCapacity> {
    this.calls.push('readCapacity');
    const s = this.settle(color);
    return {
      running: s.healthy,
      desired: s.desired,
      pending: s.desired - s.healthy,
      minCapacity: s.min,
      maxCapacity: s.max,
      scaleInSuspended: s.suspended,
      config: s.config,
    };
  }

  async setCapacity(color: Color, mode: CapacityMode): Promise<void> {
    this.calls.push('setCapacity');
    const err = this.failNext.get(`setCapacity ${color}`);
    if (err) {
      this.failNext.delete(`setCapacity ${color}`);
      throw err;
    }
    this.capacityCalls.push(
      mode.mode === 'serving' ? `serving ${color}` : `${mode.mode} ${color} ${mode.tasks}`,
    );
    const s = this.settle(color);
    const b = boundsFor(s.config, mode);
    [s.min, s.max] = [b.min, b.max];
    const next = Math.min(b.max, Math.max(b.min, s.desired));
    if (next > s.desired) s.readyAtMs = this.clock.now() + this.startSeconds * 1000;
    s.desired = next;
    if (next < s.healthy) s.healthy = next;
  }

  async setScaleInSuspended(color: Color, suspended: boolean): Promise<void> {
    this.calls.push('setScaleInSuspended');
    const key = `${suspended ? 'suspend' : 'resume'} ${color}`;
    const err = this.failNext.get(key);
    if (err) {
      this.failNext.delete(key);
      throw err;
    }
    this.capacityCalls.push(key);
    this.services[color].suspended = suspended;
  }
}
