// The app's version and home page: EXCHANGE_VERSION (set by the image build) wins, else package.json,
// found by walking up from this file so it works from the sources and from the compiled dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV } from '../../contract/index.ts';

export interface AppInfo {
  version: string;
  /** package.json `homepage`, named in the fetch user agent. */
  homepage?: string;
}

/** The directory holding the app's package.json (the repository root, or /app in the image). */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export function appInfo(env: NodeJS.ProcessEnv = process.env): AppInfo {
  const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as {
    version?: string;
    homepage?: string;
  };
  const version = env[ENV.version] || pkg.version || '0.0.0-unknown';
  return pkg.homepage ? { version, homepage: pkg.homepage } : { version };
}
