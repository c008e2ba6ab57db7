// Runs gitlab-ci-local 4.73.0 (GitLab's CI JSON schema + its own needs/stage checks) on pipeline
// files copied into a throwaway git repository, so its state folder never lands in the work tree.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../node_modules/gitlab-ci-local/dist/index.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GclResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd: string): Promise<GclResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Sandbox {
  dir: string;
  gcl(args: string[]): Promise<GclResult>;
  write(path: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/** A git repo (default branch main, a GitLab remote) holding copies of `paths` from the repository. */
export async function sandbox(paths: string[]): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'gcl-'));
  for (const p of paths) await cp(join(ROOT, p), join(dir, p), { recursive: true });
  const git = (...a: string[]) =>
    run('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...a], dir);
  await git('init', '-q', '-b', 'main');
  await git('remote', 'add', 'origin', 'https://gitlab.com/acme-markets/exchange.git');
  await git('add', '-A');
  await git('commit', '-qm', 'pipeline under test');
  return {
    dir,
    gcl: (args) =>
      run(process.execPath, [BIN, '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE', ...args], dir),
    write: (path, text) => writeFile(join(dir, path), text),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
