// The Debian mirror this machine already uses, read from its apt sources (deb822 *.sources or the
// one-line sources.list), so debootstrap never depends on a hard-coded host.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerTestError } from './podman.ts';

/** The first plain `deb` mirror for `suite` in deb822 or one-line text; security and updates suites are skipped. */
export function mirrorFromSources(text: string, suite: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) =>
      new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(stanza)?.[1]?.trim().split(/\s+/);
    const types = field('Types');
    const uris = field('URIs');
    const suites = field('Suites');
    if (types?.includes('deb') && suites?.includes(suite) && uris?.[0]) return uris[0].replace(/\/$/, '');
  }
  for (const line of text.split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (m?.[1] && m[2] === suite) return m[1].replace(/\/$/, '');
  }
  return undefined;
}

/** Reads /etc/apt/sources.list and sources.list.d/*.{list,sources}; throws naming where it looked. */
export async function machineMirror(suite: string, aptDir = '/etc/apt'): Promise<string> {
  const files = [join(aptDir, 'sources.list')];
  const dir = join(aptDir, 'sources.list.d');
  for (const f of await readdir(dir).catch(() => [] as string[]))
    if (f.endsWith('.sources') || f.endsWith('.list')) files.push(join(dir, f));
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => '');
    const mirror = mirrorFromSources(text, suite);
    if (mirror) return mirror;
  }
  throw new ContainerTestError(`no apt source for Debian "${suite}" in ${files.join(', ')}`, {
    hint: `add a "deb <mirror> ${suite} main" source, or set DEBIAN_MIRROR`,
  });
}
