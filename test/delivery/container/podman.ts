// podman with private storage and config under one work folder, so the container test never touches
// the machine's containers: runc (crun cannot setrlimit here), cgroupfs, overlay (vfs is 10× slower).
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExchangeError } from '../../../lib/errors.ts';

export class ContainerTestError extends ExchangeError {
  override name = 'ContainerTestError';
}

export interface Podman {
  /** Runs podman; resolves with stdout, throws ContainerTestError with stderr's last line on failure. */
  run(args: string[], opts?: { stdin?: NodeJS.ReadableStream; timeoutMs?: number }): Promise<string>;
  env: NodeJS.ProcessEnv;
  workDir: string;
}

function storageConf(workDir: string): string {
  return `[storage]\ndriver = "overlay"\ngraphroot = "${join(workDir, 'storage')}"\nrunroot = "${join(workDir, 'run')}"\n`;
}

const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

/** Writes the private config under workDir and returns a podman bound to it. */
export async function privatePodman(workDir: string, binary = 'podman'): Promise<Podman> {
  for (const d of ['storage', 'run', 'tmp']) await mkdir(join(workDir, d), { recursive: true });
  await writeFile(join(workDir, 'storage.conf'), storageConf(workDir));
  await writeFile(join(workDir, 'containers.conf'), CONTAINERS_CONF);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONTAINERS_STORAGE_CONF: join(workDir, 'storage.conf'),
    CONTAINERS_CONF: join(workDir, 'containers.conf'),
    TMPDIR: join(workDir, 'tmp'),
  };
  return {
    env,
    workDir,
    run: (args, opts = {}) => runPodman(binary, args, env, opts),
  };
}

function runPodman(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { stdin?: NodeJS.ReadableStream; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    if (opts.stdin) opts.stdin.pipe(child.stdin);
    else child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('error', (e) =>
      reject(
        new ContainerTestError(`${binary} cannot start (${e.message})`, {
          hint: 'apt-get install podman runc',
          cause: e,
        }),
      ),
    );
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out).toString());
      const lines = `${Buffer.concat(out).toString()}\n${Buffer.concat(err).toString()}`.trim().split('\n');
      process.stderr.write(`${lines.slice(-25).join('\n')}\n`);
      const last = lines.at(-1) ?? '';
      reject(
        new ContainerTestError(
          `podman ${args.slice(0, 2).join(' ')} failed (${signal ?? `exit ${code}`}): ${last}`,
          { hint: 'see the output above; rerun with the same command to reproduce' },
        ),
      );
    });
  });
}

/** Runs a plain command (debootstrap, npm pack, git) and resolves with stdout. */
export function command(
  file: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...opts, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const last = stderr.trim().split('\n').at(-1) ?? error.message;
      reject(
        new ContainerTestError(`${file} ${args[0] ?? ''} failed: ${last}`, {
          hint: `run "${file} ${args.join(' ')}" by hand to see why`,
          cause: error,
        }),
      );
    });
  });
}
