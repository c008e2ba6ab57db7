// The local stand-in for one colour's ECS service and its Application Auto Scaling target: a desired
// count inside min/max bounds (set with the same capacity modes as on AWS, release/state/capacity.ts),
// scale-in suspension, and a reconcile that starts or stops serve processes until the running ones
// match, registering each in the router's target group once it listens and deregistering it before it
// stops. `placeable` caps the tasks that can be started (the rehearsal's capacity fault: like Fargate
// without capacity, the desired count rises but the tasks never come). There is no local autoscaler:
// the bounds and the suspended flag are what the release sets and `status` shows; a killed task stays
// dead until `restart` (ECS would replace it).
import type { Color } from '../contract/index.ts';
import type { Logger } from '../lib/log.ts';
import { boundsFor, type CapacityMode, type ScalingConfig } from '../release/state/capacity.ts';
import type { LocalColour } from './colour.ts';

export interface ServiceCapacity {
  running: number;
  desired: number;
  pending: number;
  minCapacity: number;
  maxCapacity: number;
  scaleInSuspended: boolean;
  config: ScalingConfig;
  /** Tasks that can be placed at most (Infinity unless the capacity fault is on), as JSON: null. */
  placeable: number | null;
}

export interface LocalServiceOptions {
  colour: LocalColour;
  config: ScalingConfig;
  /** Registers exactly these origins in the colour's target group. */
  register(color: Color, origins: string[]): void;
  /** Most tasks that can run. @default Infinity */
  placeable?: number;
  /** Wait between deregistering a task and stopping it, for requests the router had already routed to it. @default 0 */
  drainMs?: number;
  log: Logger;
}

export class LocalService {
  readonly color: Color;
  private desired: number;
  private min: number;
  private max: number;
  private suspended = false;
  private pending = 0;
  private placeable: number;
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly o: LocalServiceOptions) {
    this.color = o.colour.color;
    this.min = o.config.minCapacity;
    this.max = o.config.maxCapacity;
    this.desired = Math.min(this.max, Math.max(this.min, o.colour.tasks.length));
    this.placeable = o.placeable ?? Number.POSITIVE_INFINITY;
    this.registerRunning();
  }

  private running(): LocalColour['tasks'] {
    return this.o.colour.tasks.filter((t) => !t.serve.exited());
  }

  private registerRunning(): void {
    this.o.register(
      this.color,
      this.o.colour.tasks.map((t) => t.origin),
    );
  }

  capacity(): ServiceCapacity {
    return {
      running: this.running().length,
      desired: this.desired,
      pending: this.pending,
      minCapacity: this.min,
      maxCapacity: this.max,
      scaleInSuspended: this.suspended,
      config: this.o.config,
      placeable: Number.isFinite(this.placeable) ? this.placeable : null,
    };
  }

  /** New bounds (as RegisterScalableTarget): the desired count moves into them; tasks follow in the background. */
  setMode(mode: CapacityMode): ServiceCapacity {
    const b = boundsFor(this.o.config, mode);
    [this.min, this.max] = [b.min, b.max];
    this.desired = Math.min(b.max, Math.max(b.min, this.desired));
    this.o.log.info('capacity bounds', { color: this.color, ...b, desired: this.desired });
    this.work = this.work.then(() => this.reconcile());
    return this.capacity();
  }

  setScaleInSuspended(suspended: boolean): ServiceCapacity {
    this.suspended = suspended;
    return this.capacity();
  }

  /** Resolves once the running tasks match the desired count (or cannot be placed). */
  settled(): Promise<void> {
    return this.work;
  }

  private async reconcile(): Promise<void> {
    const colour = this.o.colour;
    const target = (): number => Math.min(this.desired, this.placeable);
    while (colour.tasks.length < target()) {
      this.pending += 1;
      try {
        await colour.addTask();
      } catch (err) {
        this.o.log.warn('task did not start', { color: this.color, error: (err as Error).message });
        return;
      } finally {
        this.pending -= 1;
      }
      this.registerRunning();
    }
    while (colour.tasks.length > target()) {
      const last = colour.tasks[colour.tasks.length - 1]!;
      // Deregistered first, as ECS does before it stops a task behind a target group.
      this.o.register(
        this.color,
        colour.tasks.filter((t) => t !== last).map((t) => t.origin),
      );
      if (this.o.drainMs) await new Promise((r) => setTimeout(r, this.o.drainMs));
      await colour.stopTask(last);
    }
  }
}
