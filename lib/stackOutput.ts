// Reading a stack's outputs (from StackOps.outputs) without loading the Pulumi Automation API.
import { ExchangeError } from './errors.ts';

/** A stack lacks an output a command needs: it was never deployed, or before the output existed. */
export class StackOutputMissing extends ExchangeError {
  override name = 'StackOutputMissing';
}

/** One non-empty string output of a stack's outputs, or StackOutputMissing naming the stack to deploy. */
export function stackOutput(outputs: Record<string, unknown>, key: string, stack: string): string {
  const v = outputs[key];
  if (typeof v !== 'string' || v === '')
    throw new StackOutputMissing(`stack ${stack} has no output "${key}"`, {
      hint: `run "pulumi up --stack ${stack}" first`,
    });
  return v;
}
