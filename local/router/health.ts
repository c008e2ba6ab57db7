// ALB-like target health: a probe of the health path every interval, a target turning healthy after
// `healthyThreshold` consecutive passes and unhealthy after `unhealthyThreshold` consecutive failures.
// The numbers are the target group's (contract TARGET_HEALTH); tests and rehearsals scale the clock.
import http from 'node:http';
import { TARGET_HEALTH } from '../../contract/index.ts';

export type TargetState = 'initial' | 'healthy' | 'unhealthy';

export interface HealthSettings {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

/** The target group's health check, with its times multiplied by `timeScale` (1 = as on AWS). */
export function healthSettings(timeScale = 1): HealthSettings {
  return {
    path: TARGET_HEALTH.path,
    intervalMs: Math.max(1, Math.round(TARGET_HEALTH.intervalSeconds * 1000 * timeScale)),
    timeoutMs: Math.max(1, Math.round(TARGET_HEALTH.timeoutSeconds * 1000 * timeScale)),
    healthyThreshold: TARGET_HEALTH.healthyThreshold,
    unhealthyThreshold: TARGET_HEALTH.unhealthyThreshold,
  };
}

export interface TargetHealth {
  state: TargetState;
  /** Consecutive passes (positive) or failures (negative) of the current streak. */
  streak: number;
  /** Why the last probe failed, e.g. "503" or "ECONNREFUSED". */
  reason?: string;
}

/** The next health after one probe. Pure: the ALB's threshold rule. */
export function nextHealth(
  h: TargetHealth,
  pass: boolean,
  t: Pick<HealthSettings, 'healthyThreshold' | 'unhealthyThreshold'>,
  reason?: string,
): TargetHealth {
  const streak = pass ? Math.max(0, h.streak) + 1 : Math.min(0, h.streak) - 1;
  let state = h.state;
  if (pass && streak >= t.healthyThreshold) state = 'healthy';
  if (!pass && -streak >= t.unhealthyThreshold) state = 'unhealthy';
  return pass ? { state, streak } : { state, streak, reason: reason ?? 'failed' };
}

/** One probe: 200 within the timeout passes (the target group's matcher is "200"). */
export function probeOnce(origin: string, s: HealthSettings, agent: http.Agent): Promise<string | null> {
  return new Promise((resolve) => {
    const req = http.get(`${origin}${s.path}`, { agent, timeout: s.timeoutMs }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve(String(res.statusCode) === TARGET_HEALTH.matcher ? null : String(res.statusCode)),
      );
      res.on('error', () => resolve('response aborted'));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Probes one target on an interval; never two probes of the same target at once. */
export class HealthChecker {
  health: TargetHealth = { state: 'initial', streak: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly agent = new http.Agent({ keepAlive: false });

  constructor(
    private readonly origin: string,
    private readonly settings: HealthSettings,
    private readonly onChange: (h: TargetHealth) => void = () => undefined,
  ) {}

  start(): void {
    const tick = async (): Promise<void> => {
      const failure = await probeOnce(this.origin, this.settings, this.agent);
      const before = this.health.state;
      this.health = nextHealth(this.health, failure === null, this.settings, failure ?? undefined);
      if (this.health.state !== before) this.onChange(this.health);
      if (this.timer) this.timer = setTimeout(() => void tick(), this.settings.intervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.agent.destroy();
  }
}
