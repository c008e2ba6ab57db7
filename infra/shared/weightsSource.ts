// Where the shared program's weights come from at `up`: the durable release state (written by every
// traffic shift, next to the Pulumi state) when it holds weights, else the committed config, which
// keeps only the bootstrap default. Without this, an `up` from a fresh checkout would silently put the
// committed weights back and undo a shift.
import { S3Client } from '@aws-sdk/client-s3';
import { s3DocumentStore, type StoreLocation } from '../../release/state/store.ts';
import { parseWeightsDocument, WEIGHTS_DOCUMENT } from '../../release/state/traffic.ts';
import type { SharedConfig } from './config.ts';
import type { Weights } from '../../contract/weights.ts';

/** Reads the durable weights, or undefined when no shift ever recorded any. Injected in tests. */
export type DurableWeightsReader = (location: StoreLocation) => Promise<Weights | undefined>;

export interface WeightsAtUp {
  weights: Weights;
  source: 'durable' | 'config';
}

/** The durable weights win over the committed config; no reader (mocks, synth) means config only. */
export async function weightsAtUp(cfg: SharedConfig, read?: DurableWeightsReader): Promise<WeightsAtUp> {
  if (read === undefined) return { weights: cfg.weights, source: 'config' };
  const durable = await read({ bucket: cfg.stateBucket, prefix: cfg.statePrefix });
  return durable === undefined
    ? { weights: cfg.weights, source: 'config' }
    : { weights: durable, source: 'durable' };
}

/** The real reader: the SDK's default credential chain, in the stack's region (`aws:region`). */
export function s3WeightsReader(region: string | undefined): DurableWeightsReader {
  return async (location) => {
    const s3 = new S3Client(region === undefined ? {} : { region });
    try {
      return (await s3DocumentStore(s3, location).read(WEIGHTS_DOCUMENT, parseWeightsDocument))?.value
        .weights;
    } finally {
      s3.destroy();
    }
  };
}
