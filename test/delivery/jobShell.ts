// Runs a job's before_script the way a GitLab shell runner does (bash, set -eo pipefail, one shell for
// every line), with `npm` replaced by a stub that records what the install saw: its arguments, which
// secrets were in its environment, and whether any file under the project held the id_token yet.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from './pipelineModel.ts';

export interface InstallSeen {
  argv: string;
  /** Names of the watched variables present in npm's environment. */
  secretsInEnv: string[];
  /** Files under CI_PROJECT_DIR holding the id_token at install time. */
  tokenFiles: string[];
}

export interface BeforeScriptRun {
  installs: InstallSeen[];
  /** The environment after the before_script (what the job's script starts with). */
  after: Record<string, string>;
  projectDir: string;
  close(): Promise<void>;
}

const NPM_STUB = `#!/bin/sh
{
  echo "ARGV $*"
  env | cut -d = -f 1 | sed 's/^/VAR /'
  grep -rlF -- "$TOKEN_PROBE" "$CI_PROJECT_DIR" 2>/dev/null | sed 's/^/TOKENFILE /'
  echo END
} >> "$STUB_LOG"
`;

function parseInstalls(log: string, watched: string[]): InstallSeen[] {
  const out: InstallSeen[] = [];
  let cur: InstallSeen | undefined;
  for (const line of log.split('\n')) {
    if (line.startsWith('ARGV ')) cur = { argv: line.slice(5), secretsInEnv: [], tokenFiles: [] };
    else if (line.startsWith('VAR ') && watched.includes(line.slice(4)))
      cur?.secretsInEnv.push(line.slice(4));
    else if (line.startsWith('TOKENFILE ')) cur?.tokenFiles.push(line.slice(10));
    else if (line === 'END' && cur) out.push(cur);
  }
  return out;
}

/** `env` holds the job's variables (id_token and secrets included) as GitLab would set them. */
export async function runBeforeScript(
  job: Job,
  env: Record<string, string>,
  watched: string[],
): Promise<BeforeScriptRun> {
  const dir = await mkdtemp(join(tmpdir(), 'job-shell-'));
  const projectDir = join(dir, 'project');
  const stubs = join(dir, 'bin');
  await execFileP('mkdir', ['-p', projectDir, stubs]);
  await writeFile(join(stubs, 'npm'), NPM_STUB);
  await chmod(join(stubs, 'npm'), 0o755);
  const script = [
    'set -eo pipefail',
    ...(job.before_script ?? []),
    `env -0 > "${join(dir, 'after.env')}"`,
  ].join('\n');
  await execFileP('bash', ['-c', script], {
    cwd: projectDir,
    env: {
      PATH: `${stubs}:${process.env.PATH ?? ''}`,
      HOME: dir,
      CI_PROJECT_DIR: projectDir,
      CI_PROJECT_ID: '42',
      CI_JOB_ID: '4242',
      STUB_LOG: join(dir, 'npm.log'),
      TOKEN_PROBE: env.AWS_ID_TOKEN ?? 'no-token',
      ...env,
    },
  });
  const after = Object.fromEntries(
    (await readFile(join(dir, 'after.env'), 'utf8'))
      .split('\0')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const log = await readFile(join(dir, 'npm.log'), 'utf8').catch(() => '');
  return {
    installs: parseInstalls(log, watched),
    after,
    projectDir,
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

function execFileP(
  file: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, opts, (err, stdout, stderr) =>
      err ? reject(new Error(`${file} failed: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}
