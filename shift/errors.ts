// Typed errors of the shift: drivers throw the first two, the controller and CLI the rest.
import { constants } from 'node:os';
import { ExchangeError } from '../lib/errors.ts';

/** Exit code for "refused by preflight": nothing was changed. */
export const PREFLIGHT_EXIT_CODE = 3;

/** A conditional write lost: someone else wrote the record since we read it. */
export class RecordConflictError extends ExchangeError {
  override name = 'RecordConflictError';
}

/**
 * The fast rollback reached the listener (traffic is back on the previous colour) but a later part
 * (durable weights, reconcile) failed. `listenerApplied` is always true when this is thrown.
 */
export class RollbackIncompleteError extends ExchangeError {
  override name = 'RollbackIncompleteError';
  readonly listenerApplied = true;
}

/** A driver call failed; the message names the call and what is known about the weights. */
export class DriverError extends ExchangeError {
  override name = 'DriverError';
}

/** Preflight said no: nothing changed. */
export class PreflightRefusal extends ExchangeError {
  override name = 'PreflightRefusal';
  override readonly exitCode = PREFLIGHT_EXIT_CODE;
}

/** A plan request that cannot be satisfied (bad strategy, weights, bake): a usage error. */
export class PlanError extends ExchangeError {
  override name = 'PlanError';
  override readonly exitCode = 2;
}

/** Exit code of a process stopped by `signal`: 128 + its number (SIGINT 130, SIGTERM 143), as a shell reports it. */
export function signalExitCode(signal: unknown): number {
  const n = typeof signal === 'string' ? constants.signals[signal as NodeJS.Signals] : undefined;
  return n === undefined ? 130 : 128 + n;
}

/** The process was asked to stop before anything changed (or the controller stopped driving). */
export class ShiftStopped extends ExchangeError {
  override name = 'ShiftStopped';
  override readonly exitCode: number;
  constructor(signal: unknown, message: string) {
    super(message);
    this.exitCode = signalExitCode(signal);
  }
}
