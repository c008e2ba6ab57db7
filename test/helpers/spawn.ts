// Runs the real `exchange` CLI (bin/exchange.js) in a child process, as a user would, with a
// clean environment: no AWS settings leak in from the machine running the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/exchange.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves with the first stdout line (the ready signal of long-running commands). */
  firstLine: Promise<string>;
  /** Resolves once stdout so far matches (rejects if the process exits first). */
  waitForStdout(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with everything once the process exits. */
  exit: Promise<CliResult>;
}

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...extra };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: baseEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let closed = false;
  const watchers = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of watchers) w();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => {
      closed = true;
      for (const w of watchers) w();
      resolve({ code, stdout, stderr });
    });
  });
  const waitForStdout = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = pattern.exec(stdout);
        if (m || closed) watchers.delete(check);
        if (m) resolve(m);
        else if (closed)
          reject(new Error(`exited before stdout matched ${pattern}; stderr: ${stderr.slice(-500)}`));
      };
      watchers.add(check);
      check();
    });
  const firstLine = waitForStdout(/^(.*)\n/).then((m) => m[1] ?? '');
  return { child, firstLine, waitForStdout, exit };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).exit;
}

/** stderr without the JSON log lines: what a person reads as the error. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
}

/** Whether a process with this pid still exists (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A test's own folder and the CLI it started: the CLI SIGKILLed if still running, the folder removed. */
export interface CliPerTest {
  /** This test's temporary folder (new before each test). */
  readonly dir: string;
  /** startCli, remembered so the after-each hook can stop it. */
  start(args: string[], env?: NodeJS.ProcessEnv): RunningCli;
}

/** Registers before/after-each hooks in the calling describe(): a fresh folder, and no CLI left running. */
export function cliPerTest(prefix: string): CliPerTest {
  let running: RunningCli | undefined;
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exit;
    }
    running = undefined;
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    start(args, env) {
      running = startCli(args, env);
      return running;
    },
  };
}
