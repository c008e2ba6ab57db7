#!/usr/bin/env node
// Entry shim for the `exchange` CLI: runs the compiled build when present (the container image),
// otherwise the TypeScript sources through tsx, so `npx exchange` works right after `npm ci`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The SDK's Node 20 end-of-support notice is a free-text process warning that would break the
// JSON-lines stderr contract; the image runs Node 24 LTS, where it never fires.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
