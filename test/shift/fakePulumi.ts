// A fake `pulumi` CLI for the Automation API: <root>/bin/pulumi logs its argv (one line per call)
// and answers version, stack select, up, stack output and stack history like the real one.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakePulumi {
  root: string;
  /** argv of every call, in order (the version check included). */
  calls(): Promise<string[]>;
  /** Make `up` exit 1 with this stderr line. */
  failUp(message: string): Promise<void>;
  /** Make `stack select` fail (stack not found). */
  failSelect(): Promise<void>;
  setOutputs(outputs: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = `#!/bin/sh
D="$(dirname "$0")/.."
echo "$*" >> "$D/calls.log"
case "$*" in
  version*) echo "v3.248.0"; exit 0 ;;
  *"stack select"*) if [ -f "$D/fail-select" ]; then echo "error: no stack named 'x' found" >&2; exit 255; fi; exit 0 ;;
  up*) if [ -f "$D/fail-up" ]; then cat "$D/fail-up" >&2; exit 1; fi; echo "Resources: 20 unchanged"; exit 0 ;;
  *"stack output"*) cat "$D/outputs.json"; exit 0 ;;
  *"stack history"*) echo '[{"version":1,"kind":"update","result":"succeeded","startTime":"2026-12-01T05:00:00Z","endTime":"2026-12-01T05:00:30Z","resourceChanges":{}}]'; exit 0 ;;
  *) exit 0 ;;
esac
`;

export async function createFakePulumi(): Promise<FakePulumi> {
  const root = await mkdtemp(join(tmpdir(), 'fake-pulumi-'));
  await mkdir(join(root, 'bin'));
  await writeFile(join(root, 'bin', 'pulumi'), SCRIPT);
  await chmod(join(root, 'bin', 'pulumi'), 0o755);
  await writeFile(join(root, 'outputs.json'), '{}');
  await writeFile(join(root, 'calls.log'), '');
  return {
    root,
    calls: async () => (await readFile(join(root, 'calls.log'), 'utf8')).split('\n').filter((l) => l !== ''),
    failUp: (message) => writeFile(join(root, 'fail-up'), `${message}\n`),
    failSelect: () => writeFile(join(root, 'fail-select'), ''),
    setOutputs: (o) => writeFile(join(root, 'outputs.json'), JSON.stringify(o)),
    close: () => rm(root, { recursive: true, force: true }),
  };
}
