// The stacks `synth` knows, in a module free of the Pulumi SDK so flag checks stay instant.
import { SHARED_STACK } from '../../contract/stacks.ts';

export const SYNTH_STACKS = ['blue', 'green', SHARED_STACK] as const;
export type SynthStack = (typeof SYNTH_STACKS)[number];

export function isSynthStack(name: string): name is SynthStack {
  return (SYNTH_STACKS as readonly string[]).includes(name);
}
