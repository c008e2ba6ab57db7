// `npm run test:container`: build the Dockerfile with podman + runc on a debootstrap base, run the
// image's ingest and serve against the host's embedded S3, probe, SIGTERM, measure, clean up.
// Flags: --fresh rebuilds the cached base; --purge also deletes the private storage at the end.
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExchangeError } from '../../../lib/errors.ts';
import { machineMirror } from './aptMirror.ts';
import { ensureBase, pruneOtherBases, type BaseSpec } from './baseImage.ts';
import { buildImage, pinnedBase } from './image.ts';
import { command, privatePodman, type Podman } from './podman.ts';
import { runScenario, type Measurements } from './scenario.ts';
import { checkImageSbom, generateSbom } from './sbomCheck.ts';

const NPM_VERSION = '11.21.2';
const MB = 1_000_000;
const log = (line: string) => process.stdout.write(`[container] ${line}\n`);

export function report(m: Measurements, buildMs: number): string[] {
  const over = m.imageBytes - m.baseBytes;
  return [
    `image size            ${(m.imageBytes / MB).toFixed(1)} MB`,
    `base size             ${(m.baseBytes / MB).toFixed(1)} MB`,
    `size over base        ${(over / MB).toFixed(1)} MB (goal ≤ 60 MB)`,
    `start → healthy       ${Math.round(m.startToHealthyMs)} ms (goal ≤ 1500 ms, from "podman run")`,
    `SIGTERM → exit 0      ${Math.round(m.sigtermToExitMs)} ms`,
    `image build           ${(buildMs / 1000).toFixed(1)} s`,
  ];
}

/** Untagged images other than this build's steps: earlier builds' layers, no longer anyone's cache. */
async function pruneOldLayers(podman: Podman, keep: string[]): Promise<void> {
  for (let pass = 0; pass < 20; pass++) {
    const rows = (await podman.run(['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}']))
      .trim()
      .split('\n');
    const stale = rows
      .map((r) => r.split(' '))
      .filter(
        ([id = '', repo]) => repo === '<none>' && !keep.some((k) => id.replace('sha256:', '').startsWith(k)),
      )
      .map(([id = '']) => id);
    let removed = 0;
    // A parent goes only after its children: repeat until nothing more can be removed.
    for (const id of stale)
      removed += await podman.run(['rmi', id]).then(
        () => 1,
        () => 0,
      );
    if (removed === 0) return;
  }
}

async function cleanup(podman: Podman, tag: string, purge: boolean, keep: string[]): Promise<void> {
  await podman.run(['rmi', '-f', tag]).catch(() => '');
  // This build's step images are the next run's layer cache (npm ci skipped while package-lock.json is
  // unchanged); everything older goes, so the storage holds one build's cache, not every build's.
  await pruneOldLayers(podman, keep);
  if (purge) {
    await podman.run(['system', 'reset', '-f']).catch(() => '');
    await rm(podman.workDir, { recursive: true, force: true });
  }
}

/**
 * Ctrl-C (or a CI timeout's SIGTERM) skips every `finally`: the detached serve container would keep
 * running with the host's network, so an interrupt removes this run's containers, image and S3 folders.
 */
function cleanUpOnInterrupt(podman: Podman, tag: string, cleanUp: () => Promise<void>): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      log(`${sig}: removing this run's containers and image`);
      void (async () => {
        const ids = await podman.run(['ps', '-aq', '--filter', `ancestor=${tag}`]).catch(() => '');
        for (const id of ids.split('\n').filter(Boolean)) await podman.run(['rm', '-f', id]).catch(() => '');
        for (const d of await readdir(podman.workDir).catch(() => []))
          if (d.startsWith('s3-')) await rm(join(podman.workDir, d), { recursive: true, force: true });
        await cleanUp();
      })().finally(() => process.exit(130));
    });
}

async function main(argv: string[]): Promise<number> {
  const repoRoot = resolve(import.meta.dirname, '../../..');
  const podman = await privatePodman(
    process.env.EXCHANGE_CONTAINER_WORKDIR ?? join(repoRoot, '.local/container'),
  );
  const pinned = pinnedBase(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
  const mirror = process.env.DEBIAN_MIRROR ?? (await machineMirror(pinned.suite));
  const spec: BaseSpec = {
    ...pinned,
    mirror,
    npmVersion: NPM_VERSION,
    maxAgeDays: argv.includes('--fresh') ? 0 : 7,
  };
  const tag = `localhost/exchange:container-test-${process.pid}`;
  const keep: string[] = [];
  // Once: after an interrupt the main flow's `finally` may still run while the handler cleans up.
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => (cleaning ??= cleanup(podman, tag, argv.includes('--purge'), keep));
  cleanUpOnInterrupt(podman, tag, cleanUp);
  try {
    const base = await ensureBase(podman, spec);
    log(`base ${base.image} (${base.cached ? 'cached, under 7 days old' : `built from ${mirror}`})`);
    for (const old of await pruneOtherBases(podman, base.image)) log(`removed stale base ${old}`);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const revision = (
      await command('git', ['rev-parse', 'HEAD'], { cwd: repoRoot }).catch(() => 'unknown')
    ).trim();
    // The pipeline's sbom job, then the build stamped with its digest, then the image checked against it.
    const sbom = await generateSbom(repoRoot, join(podman.workDir, 'gl-sbom-npm-runtime.cdx.json'));
    log(`sbom ${sbom.digest} (${sbom.packages.length} packages)`);
    const build = await buildImage({
      podman,
      repoRoot,
      baseImage: base.image,
      tag,
      version: pkg.version,
      revision,
      sbomDigest: sbom.digest,
    });
    keep.push(...build.stepIds);
    const listed = await checkImageSbom(podman, tag, sbom, revision);
    log(`image node_modules = SBOM: ${listed} packages, labels exchange.sbom.digest and revision match`);
    const m = await runScenario({ podman, image: tag, baseImage: base.image, repoRoot, log });
    for (const line of report(m, build.ms)) log(line);
    return 0;
  } finally {
    await cleanUp();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const line =
      err instanceof ExchangeError
        ? err.oneLine()
        : err instanceof Error
          ? `${err.name}: ${err.message}`
          : String(err);
    process.stderr.write(`test:container: ${line}\n`);
    process.exit(1);
  },
);
