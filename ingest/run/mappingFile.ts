// Reads a --mapping file: JSON text only; the mapping's meaning is checked by the generic adapter.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../lib/errors.ts';

export async function readMappingFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`cannot read mapping file "${path}" (${code})`, {
      hint: 'check the --mapping path',
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(`mapping file "${path}" is not valid JSON (${(err as Error).message})`, {
      hint: 'see ingest/source/mappings/*.json for examples',
      cause: err,
    });
  }
}
