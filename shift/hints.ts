// What refusals and `status` tell an operator to run, worded for the driver in use: the AWS wording
// unless the driver says otherwise (the local driver adds --local and never advises `pulumi up`).
import type { Color } from '../contract/index.ts';
import type { ShiftDriver } from './port.ts';

type WithHints = Pick<ShiftDriver, 'hints'>;

/** `"exchange shift <verb> <args>"` with the flags that reach the same system. */
export function shiftCommand(driver: WithHints, verb: string): string {
  return exchangeCommand(driver, `shift ${verb}`);
}

/** Any `exchange` command with the flags that select the same system (`capacity prepare --to green --local`). */
export function exchangeCommand(driver: WithHints, command: string): string {
  return `"exchange ${command}${driver.hints?.verbFlags ?? ''}"`;
}

/** How to undo a listener change made outside a shift. */
export function restoreListenerHint(driver: WithHints): string {
  return driver.hints?.restoreListener ?? 'run "pulumi up --stack shared" to restore the recorded weights';
}

/** How to get a colour's targets healthy. */
export function unhealthyHint(driver: WithHints, color: Color): string {
  return (
    driver.hints?.unhealthy?.(color) ??
    `deploy "${color}" with its service and wait until its tasks are healthy`
  );
}
