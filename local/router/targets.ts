// One colour's registered targets, as a target group holds them: each health-checked on its own, requests
// spread round-robin over the healthy ones, and all of them used when none is healthy (an ALB target
// group "fails open": with every target unhealthy it routes to all of them). Registering and
// deregistering is `set(origins)`: new targets start in `initial`, removed ones stop being picked.
import { HealthChecker, type HealthSettings, type TargetHealth, type TargetState } from './health.ts';

export interface TargetStatus extends TargetHealth {
  origin: string;
}

export interface PoolStatus {
  /** healthy when every target is, unhealthy when one is (or none is registered), else initial. */
  state: TargetState;
  /** The first failing target's reason. */
  reason?: string;
  registered: number;
  healthy: number;
  initial: number;
  targets: TargetStatus[];
}

export class TargetPool {
  private readonly checkers = new Map<string, HealthChecker>();
  private next = 0;
  private started = false;

  constructor(
    origins: readonly string[],
    private readonly settings: HealthSettings,
    private readonly onChange: (origin: string, h: TargetHealth) => void,
  ) {
    this.set(origins);
  }

  /** Registers new origins (checked from now on if checks run) and deregisters the others. */
  set(origins: readonly string[]): void {
    for (const [origin, checker] of this.checkers)
      if (!origins.includes(origin)) {
        checker.stop();
        this.checkers.delete(origin);
      }
    for (const origin of origins) {
      if (this.checkers.has(origin)) continue;
      const checker = new HealthChecker(origin, this.settings, (h) => this.onChange(origin, h));
      this.checkers.set(origin, checker);
      if (this.started) checker.start();
    }
  }

  origins(): string[] {
    return [...this.checkers.keys()];
  }

  /** The next target round-robin among healthy ones (all when none is healthy); undefined when none is registered. */
  pick(): string | undefined {
    const all = [...this.checkers.entries()];
    const healthy = all.filter(([, c]) => c.health.state === 'healthy');
    const from = healthy.length > 0 ? healthy : all;
    if (from.length === 0) return undefined;
    this.next = (this.next + 1) % from.length;
    return from[this.next]?.[0];
  }

  status(): PoolStatus {
    const targets = [...this.checkers.entries()].map(([origin, c]) => ({ origin, ...c.health }));
    const count = (s: TargetState): number => targets.filter((t) => t.state === s).length;
    const failing = targets.find((t) => t.state === 'unhealthy');
    const state: TargetState =
      targets.length === 0 || failing
        ? 'unhealthy'
        : count('healthy') === targets.length
          ? 'healthy'
          : 'initial';
    const reason =
      targets.length === 0 ? 'no registered targets' : (failing ?? targets.find((t) => t.reason))?.reason;
    return {
      state,
      ...(reason === undefined ? {} : { reason }),
      registered: targets.length,
      healthy: count('healthy'),
      initial: count('initial'),
      targets,
    };
  }

  start(): void {
    this.started = true;
    for (const c of this.checkers.values()) c.start();
  }

  stop(): void {
    this.started = false;
    for (const c of this.checkers.values()) c.stop();
  }
}
