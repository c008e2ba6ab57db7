// Writes and removes <dir>/system.json for a running `exchange start` (its shape and reader are
// contract/localSystem.ts, which the local shift driver reads).
import { rm, writeFile } from 'node:fs/promises';
import { COLORS } from '../contract/index.ts';
import { systemFilePath, type SystemFile } from '../contract/localSystem.ts';
import type { LocalSystem } from './system.ts';

export async function writeSystemFile(system: LocalSystem): Promise<void> {
  const colours = {} as SystemFile['colours'];
  for (const c of COLORS) {
    const col = system.colours[c];
    const first = col.tasks[0]!.serve;
    colours[c] = {
      origin: first.origin,
      version: col.version,
      pid: first.pid,
      tasks: col.tasks.map((t) => ({ origin: t.serve.origin, pid: t.serve.pid })),
    };
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
