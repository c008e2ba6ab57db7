// Entry of the exchange-shared project (infra/shared/Pulumi.yaml `main`): Pulumi calls the default
// export and uses its result as the stack outputs (SHARED_OUTPUTS names plus the pipeline role ARNs),
// so importing this file creates nothing. The program is async: it reads the environments' target
// groups before it declares the listener.
import * as pulumi from '@pulumi/pulumi';
import { runSharedProgram } from './program.ts';
import { s3WeightsReader } from './weightsSource.ts';

export default async () =>
  (await runSharedProgram(new pulumi.Config(), s3WeightsReader(new pulumi.Config('aws').get('region'))))
    .outputs;
