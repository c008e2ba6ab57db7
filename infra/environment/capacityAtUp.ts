// The colour's capacity decision at `up`: the floor or standby the release recorded in the durable
// release state (release/state/capacity.ts), so the scalable target `up` declares agrees with what the
// release applied. Without a record the colour serves within its configured bounds.
import { S3Client } from '@aws-sdk/client-s3';
import type { Color } from '../../contract/index.ts';
import { readCapacity, type CapacityMode } from '../../release/state/capacity.ts';
import { s3DocumentStore, type DocumentStore, type StoreLocation } from '../../release/state/store.ts';

export type CapacityReader = (color: Color) => Promise<CapacityMode | undefined>;

export function storeCapacityReader(store: DocumentStore): CapacityReader {
  return async (color) => (await readCapacity(store, color))?.capacity;
}

/** The real reader for `up`: the SDK's default credential chain, in the stack's region. */
export function s3CapacityReader(region: string | undefined, location: StoreLocation): CapacityReader {
  return async (color) => {
    const s3 = new S3Client(region === undefined ? {} : { region });
    try {
      return await storeCapacityReader(s3DocumentStore(s3, location))(color);
    } finally {
      s3.destroy();
    }
  };
}

/** The recorded mode (logged, so a preview says why its bounds differ from the config), or undefined. */
export async function capacityAtUp(
  color: Color,
  read: CapacityReader,
  log: (line: string) => void,
): Promise<CapacityMode | undefined> {
  const mode = await read(color);
  log(
    mode === undefined || mode.mode === 'serving'
      ? `${color}: scaling within the configured min/max (no capacity decision recorded)`
      : `${color}: scaling bounds from the release state: ${mode.mode} ${mode.tasks} tasks`,
  );
  return mode;
}
