// The `exchange capacity` verbs over any driver that controls capacity: what each prints (plain lines or
// one JSON object) and its exit code. The CLI command only parses flags and builds the driver.
import type { Color } from '../contract/index.ts';
import { formatWeights } from '../contract/weights.ts';
import { readBothCapacities } from './capacityHold.ts';
import { prepareCapacity, releaseHeld, scaleDown } from './capacityOps.ts';
import { statusCapacityFindings } from './capacityText.ts';
import type { GateResult } from './gates.ts';
import { CHECK_INTERVAL_SECONDS, strategyPercents } from './plan.ts';
import type { Clock, ShiftDriver } from './port.ts';
import { isFinal } from './session.ts';

export const CAPACITY_VERBS = ['status', 'prepare', 'scale-down', 'release'] as const;
export type CapacityVerb = (typeof CAPACITY_VERBS)[number];

export interface CapacityOptions {
  to?: Color;
  headroom: number;
  strategy: string;
  waitSeconds: number;
}

export interface CapacityIO {
  write(text: string): void;
  json: boolean;
}

const gateLine = (g: GateResult): string => `capacity ${g.outcome}: ${g.value} (needs ${g.threshold})`;

export async function runCapacityVerb(
  verb: CapacityVerb,
  opts: CapacityOptions,
  driver: ShiftDriver,
  clock: Clock,
  io: CapacityIO,
): Promise<number> {
  const out = (json: unknown, text: string): void => io.write(io.json ? `${JSON.stringify(json)}\n` : text);
  const interval = driver.timing.checkIntervalSeconds ?? CHECK_INTERVAL_SECONDS;
  switch (verb) {
    case 'status': {
      const capacity = await readBothCapacities(driver);
      const live = await driver.readLiveWeights();
      const rec = (await driver.readRecord())?.value;
      const lines =
        capacity === undefined
          ? ['this driver reads no capacity']
          : statusCapacityFindings(rec, live, capacity, driver.timing, rec === undefined || isFinal(rec));
      out({ live, capacity }, `live weights: ${formatWeights(live)}\n${lines.join('\n')}\n`);
      return 0;
    }
    case 'prepare': {
      const to = opts.to as Color;
      const share = strategyPercents(opts.strategy)[0] as number;
      let shown = '';
      const r = await prepareCapacity(driver, clock, {
        to,
        headroom: opts.headroom,
        sharePercent: share,
        waitSeconds: opts.waitSeconds,
        checkIntervalSeconds: interval,
        // One line per change of what it measures, not one per check.
        onGate: (g) => {
          if (io.json || g.outcome === 'pass' || g.value === shown) return;
          shown = g.value;
          io.write(`${gateLine(g)}\n`);
        },
      });
      if ('skipped' in r) out(r, `nothing to prepare: ${r.skipped}\n`);
      else
        out(
          r,
          `${to}'s floor is ${r.floor} (${r.from}'s ${r.fromRunning} running × ${opts.headroom}); ${gateLine(r.gate)}\n`,
        );
      return 0;
    }
    case 'scale-down': {
      const r = await scaleDown(driver, clock, { waitSeconds: opts.waitSeconds });
      const rollback =
        r.scaleUpSeconds > 0
          ? `a rollback onto ${r.color} now first scales it up: about ${r.scaleUpSeconds} s before the weights move`
          : `a rollback onto ${r.color} needs no scale-up`;
      out(r, `${r.color} scaled to standby ${r.standby} (it ran ${r.wasRunning}); ${rollback}\n`);
      return 0;
    }
    case 'release': {
      const done = await releaseHeld(driver);
      out({ done }, `${done.join('\n')}\n`);
      return 0;
    }
  }
}
