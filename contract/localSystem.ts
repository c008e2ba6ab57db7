// Where a running `exchange start` can be found, and where its shift state lives: the contract between the
// local system (local/, which writes <dir>/system.json once it is up and removes it on stop) and the
// local shift driver (shift/drivers/local.ts), so `exchange shift … --local` drives that router without
// anyone copying URLs around, and neither side imports the other.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExchangeError } from '../lib/errors.ts';
import type { Color } from './index.ts';

/** The data folder `npm start` uses unless told otherwise (relative to the working directory). */
export const LOCAL_DATA_DIR = '.local';

/** Where the local system keeps its shift record and recorded weights (as the durable store on AWS). */
export const localStateDir = (dataDir: string): string => join(dataDir, 'shift');

export interface SystemFile {
  pid: number;
  routerUrl: string;
  adminUrl: string;
  /** Each colour's first serve origin (the test route reaches the same through the router), and all its tasks. */
  colours: Record<
    Color,
    { origin: string; version: string; pid: number; tasks?: { origin: string; pid: number }[] }
  >;
  dir: string;
}

export const systemFilePath = (dir: string): string => join(dir, 'system.json');

export async function readSystemFile(dir: string): Promise<SystemFile> {
  const path = systemFilePath(dir);
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ExchangeError(`no local system found: ${path} cannot be read (${err.code ?? 'error'})`, {
      hint: 'start it with "npm start" (or pass the --dir it uses)',
      cause: err,
    });
  });
  const file = JSON.parse(text) as SystemFile;
  try {
    process.kill(file.pid, 0);
  } catch {
    throw new ExchangeError(`the local system in ${path} (pid ${file.pid}) is not running`, {
      hint: 'start it again with "npm start"',
    });
  }
  return file;
}
