// The browser tests' Chromium: Debian's package, driven by playwright-core. Without it the suites
// skip on a developer machine and fail under CI=true (the CI image installs it).
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Call first in a suite's before hook: skips the suite without Chromium, unless CI=true (then fails). */
export function requireChromium(ctx: Mocha.Context): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing and CI=true — install the "chromium" package (.ci/run does)`);
  console.log(
    `      skipped: ${CHROMIUM} not installed (apt-get install chromium); under CI=true this fails`,
  );
  ctx.skip();
}
