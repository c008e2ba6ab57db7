// Entry point of the blue and green stacks (root Pulumi.yaml `main`): reads config, runs the
// program, and returns the ENV_OUTPUTS-named exports. Pulumi calls a default-exported function and
// uses its result as the stack outputs, so importing this file creates nothing.
import { readEnvironmentConfig } from './config.ts';
import { environmentProgram } from './program.ts';

export default () => environmentProgram(readEnvironmentConfig()).outputs;
