// The router admin API's capacity routes (the local stand-in for ECS DescribeServices and Application
// Auto Scaling's Describe/RegisterScalableTarget), over each colour's local service:
//   GET /capacity                    → per colour: running, desired, pending, min/max, scaleInSuspended, config
//   PUT /capacity/<colour> {"mode":"floor","tasks":n} | {"mode":"standby","tasks":n} | {"mode":"serving"}
//   PUT /capacity/<colour> {"scaleInSuspended": true|false}
import { COLORS, type Color } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import { parseCapacityDocument } from '../release/state/capacity.ts';
import type { LocalService, ServiceCapacity } from './service.ts';

export interface CapacityAdmin {
  read(): Record<Color, ServiceCapacity>;
  update(color: string, body: unknown): ServiceCapacity;
}

const usage =
  'send {"mode":"floor"|"standby","tasks":n}, {"mode":"serving"} or {"scaleInSuspended":true|false}';

export function capacityAdmin(services: Record<Color, LocalService>): CapacityAdmin {
  return {
    read: () =>
      Object.fromEntries(COLORS.map((c) => [c, services[c].capacity()])) as Record<Color, ServiceCapacity>,
    update(color, body) {
      if (!(COLORS as readonly string[]).includes(color))
        throw new ExchangeError(`no colour "${color}"`, {
          hint: `use /capacity/${COLORS.join(' or /capacity/')}`,
        });
      const service = services[color as Color];
      const b = body as Record<string, unknown> | null;
      if (typeof b === 'object' && b !== null && typeof b.scaleInSuspended === 'boolean')
        return service.setScaleInSuspended(b.scaleInSuspended);
      let mode;
      try {
        mode = parseCapacityDocument({ color, capacity: b }).capacity;
      } catch (err) {
        throw new ExchangeError(`capacity of ${color}: ${(err as Error).message}`, { hint: usage });
      }
      return service.setMode(mode);
    },
  };
}
