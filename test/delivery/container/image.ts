// Builds the repository's Dockerfile with podman (chroot isolation: no daemon, no privileged nesting),
// on the local stand-in base, with the machine's CA bundle and registry for `npm ci` inside the build.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { command, ContainerTestError, type Podman } from './podman.ts';

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The Node version and Debian suite the Dockerfile's pinned default base names (node:<x.y.z>-<suite>-slim). */
export function pinnedBase(dockerfile: string): { nodeVersion: string; suite: string } {
  const m = /^ARG NODE_IMAGE=\S*node:(\d+\.\d+\.\d+)-([a-z]+)-slim/m.exec(dockerfile);
  if (!m?.[1] || !m[2])
    throw new ContainerTestError(
      'the Dockerfile has no "ARG NODE_IMAGE=…node:<x.y.z>-<suite>-slim" default',
      {
        hint: 'pin the base as node:24.x.y-bookworm-slim so the local stand-in can match it',
      },
    );
  return { nodeVersion: m[1], suite: m[2] };
}

async function npmrc(podman: Podman): Promise<string> {
  const registry = (await command('npm', ['config', 'get', 'registry'])).trim();
  const path = join(podman.workDir, 'npmrc');
  await writeFile(path, `registry=${registry}\n${existsSync(CA_BUNDLE) ? `cafile=${CA_BUNDLE}\n` : ''}`);
  return path;
}

export interface BuildInput {
  podman: Podman;
  repoRoot: string;
  baseImage: string;
  tag: string;
  version: string;
  revision: string;
  /** sha256:… of the SBOM the image is labelled with (exchange.sbom.digest). */
  sbomDigest: string;
}

/** Image IDs of every step a podman build printed ("--> <id>", cache hits included). */
export function stepImageIds(buildOutput: string): string[] {
  return [...buildOutput.matchAll(/^--> (?:Using cache )?([0-9a-f]{11,64})\s*$/gm)].map((m) => m[1] ?? '');
}

/** Builds and tags the image; returns the build's wall time and the IDs of its step images (the layer cache). */
export async function buildImage(b: BuildInput): Promise<{ ms: number; stepIds: string[] }> {
  const mounts = ['-v', `${await npmrc(b.podman)}:/root/.npmrc:ro`];
  if (existsSync(CA_BUNDLE)) mounts.push('-v', `${CA_BUNDLE}:${CA_BUNDLE}:ro`);
  const args = [
    ['NODE_IMAGE', b.baseImage],
    ['VERSION', b.version],
    ['REVISION', b.revision],
    ['SBOM_DIGEST', b.sbomDigest],
    ['CREATED', new Date().toISOString()],
  ].flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  const start = performance.now();
  const out = await b.podman.run(
    ['build', '--isolation', 'chroot', '--network', 'host', ...mounts, ...args, '-t', b.tag, b.repoRoot],
    { timeoutMs: 900_000 },
  );
  return { ms: performance.now() - start, stepIds: stepImageIds(out) };
}
