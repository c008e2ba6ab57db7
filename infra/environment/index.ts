// Entry point of the blue and green stacks (root Pulumi.yaml `main`): reads config, resolves the
// released image (the durable release record wins over the committed bootstrap value), runs the
// program, and returns the ENV_OUTPUTS-named exports. Pulumi calls a default-exported function and
// uses its result (or the promise of it) as the stack outputs, so importing this file creates nothing.
import * as pulumi from '@pulumi/pulumi';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks.js';
import { readEnvironmentConfig } from './config.ts';
import { environmentProgram } from './program.ts';
import { s3ReleasedImageReader, withReleasedImage } from './releasedImage.ts';
import { capacityAtUp, s3CapacityReader } from './capacityAtUp.ts';

export default () => {
  // Config errors throw here, synchronously, before anything is read or registered.
  const cfg = readEnvironmentConfig();
  // Under the mock runtime (tests, `exchange synth`) nothing may contact AWS: the committed config applies.
  if (pulumi.runtime.getMonitor() instanceof MockMonitor) return environmentProgram(cfg).outputs;
  const region = new pulumi.Config('aws').get('region');
  const location = { bucket: cfg.stateBucket, prefix: cfg.statePrefix };
  const log = (line: string): void => void pulumi.log.info(line);
  return Promise.all([
    withReleasedImage(cfg, s3ReleasedImageReader(region, location), log),
    capacityAtUp(cfg.color, s3CapacityReader(region, location), log),
  ]).then(([c, capacity]) => environmentProgram(c, capacity).outputs);
};
