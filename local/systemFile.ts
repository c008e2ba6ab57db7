// Where a running `exchange start` can be found: <dir>/system.json, written once it is up and removed
// on stop, so `exchange shift … --local` drives that router without anyone copying URLs around.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COLORS, type Color } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import type { LocalSystem } from './system.ts';

export interface SystemFile {
  pid: number;
  routerUrl: string;
  adminUrl: string;
  /** Each colour's serve origin (the test route reaches the same through the router). */
  colours: Record<Color, { origin: string; version: string; pid: number }>;
  dir: string;
}

export const systemFilePath = (dir: string): string => join(dir, 'system.json');

export async function writeSystemFile(system: LocalSystem): Promise<void> {
  const colours = {} as SystemFile['colours'];
  for (const c of COLORS) {
    const col = system.colours[c];
    colours[c] = { origin: col.serve.origin, version: col.version, pid: col.serve.pid };
  }
  const file: SystemFile = {
    pid: process.pid,
    routerUrl: system.routerUrl,
    adminUrl: system.adminUrl,
    colours,
    dir: system.dir,
  };
  await writeFile(systemFilePath(system.dir), `${JSON.stringify(file, null, 2)}\n`);
}

export async function removeSystemFile(dir: string): Promise<void> {
  await rm(systemFilePath(dir), { force: true });
}

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
