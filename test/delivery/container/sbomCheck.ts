// The container test's SBOM check: ci/sbom.sh writes the SBOM the pipeline publishes, the build stamps its
// digest and the commit as labels, and the packages under the built image's /app/node_modules must be
// exactly the SBOM's components: none missing (an SBOM that hides a package), none extra (a dev package).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSbom, sbomDigest, sbomPackages } from '../../../release/state/sbom.ts';
import { command, ContainerTestError, type Podman } from './podman.ts';

/** Runs ci/sbom.sh like the pipeline's sbom job; returns the digest line it printed and checks it. */
export async function generateSbom(
  repoRoot: string,
  out: string,
): Promise<{ digest: string; packages: string[] }> {
  const printed = await command('sh', [join(repoRoot, 'ci', 'sbom.sh'), out], { cwd: repoRoot });
  const digest = /^SBOM_DIGEST=(sha256:[0-9a-f]{64})$/m.exec(printed)?.[1];
  const bytes = await readFile(out);
  if (digest === undefined || digest !== sbomDigest(bytes))
    throw new ContainerTestError(
      `ci/sbom.sh printed ${JSON.stringify(printed.trim())}, not the file's digest`,
      {
        hint: 'it must print SBOM_DIGEST=sha256:<hex of the file it wrote>',
      },
    );
  return { digest, packages: sbomPackages(parseSbom(bytes.toString('utf8'), out)) };
}

/** What differs between the SBOM's components and the installed packages; [] when they are the same set. */
export function sbomMismatch(listed: string[], installed: string[]): string[] {
  const inImage = new Set(installed);
  const inSbom = new Set(listed);
  return [
    ...installed.filter((p) => !inSbom.has(p)).map((p) => `${p} is in the image but not in the SBOM`),
    ...listed.filter((p) => !inImage.has(p)).map((p) => `${p} is in the SBOM but not in the image`),
  ];
}

// Walks /app/node_modules (scoped and nested folders) and prints name@version of each package, sorted.
const LIST_PACKAGES = `
const fs = require('node:fs'), path = require('node:path'), out = new Set();
const walk = (dir) => {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir)) {
    if (e.startsWith('.')) continue;
    const d = path.join(dir, e);
    if (e.startsWith('@')) { walk(d); continue; }
    const p = JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8'));
    out.add(p.name + '@' + p.version);
    walk(path.join(d, 'node_modules'));
  }
};
walk('/app/node_modules');
process.stdout.write(JSON.stringify([...out].sort()));
`;

/** name@version of every package in the image's /app/node_modules, read by the image's own node. */
export async function imagePackages(podman: Podman, image: string): Promise<string[]> {
  const out = await podman.run([
    'run',
    '--rm',
    '--network',
    'none',
    '--entrypoint',
    'node',
    image,
    '-e',
    LIST_PACKAGES,
  ]);
  return JSON.parse(out) as string[];
}

export async function imageLabels(podman: Podman, image: string): Promise<Record<string, string>> {
  const out = await podman.run(['image', 'inspect', '--format', '{{json .Labels}}', image]);
  return JSON.parse(out) as Record<string, string>;
}

/** Fails naming each mismatch: labels (commit, SBOM digest) and the image's packages vs the SBOM. */
export async function checkImageSbom(
  podman: Podman,
  image: string,
  sbom: { digest: string; packages: string[] },
  revision: string,
): Promise<number> {
  const labels = await imageLabels(podman, image);
  const problems: string[] = [];
  if (labels['exchange.sbom.digest'] !== sbom.digest)
    problems.push(`label exchange.sbom.digest is ${labels['exchange.sbom.digest']}, not ${sbom.digest}`);
  if (labels['org.opencontainers.image.revision'] !== revision)
    problems.push(
      `label org.opencontainers.image.revision is ${labels['org.opencontainers.image.revision']}, not ${revision}`,
    );
  problems.push(...sbomMismatch(sbom.packages, await imagePackages(podman, image)));
  if (problems.length > 0)
    throw new ContainerTestError(`the image does not match its SBOM: ${problems.join('; ')}`, {
      hint: 'ci/sbom.sh must install exactly what the Dockerfile prod-deps stage installs',
    });
  return sbom.packages.length;
}
