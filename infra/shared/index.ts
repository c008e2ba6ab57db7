// Entry of the exchange-shared project (infra/shared/Pulumi.yaml `main`): Pulumi calls the default
// export and uses its result as the stack outputs (SHARED_OUTPUTS names plus the pipeline role ARNs),
// so importing this file creates nothing. The program is async: it reads the environments' target
// groups before it declares the listener.
import * as pulumi from '@pulumi/pulumi';
import { runSharedProgram } from './program.ts';
import { s3WeightsReader, type DurableWeightsReader } from './weightsSource.ts';

// Pulumi calls this with no argument (the real reader); the mock-runtime tests pass a fake one.
export default async (
  readDurableWeights: DurableWeightsReader = s3WeightsReader(new pulumi.Config('aws').get('region')),
) => (await runSharedProgram(new pulumi.Config(), readDurableWeights)).outputs;
