// Entry: `pulumi stack output --json --stack <shared> | node --import tsx ci/idle-colour.ts > release.env`
import { readFileSync } from 'node:fs';
import { ExchangeError } from '../lib/errors.ts';
import { releaseEnv, releaseTarget } from './lib/idleColour.ts';

try {
  process.stdout.write(
    releaseEnv(releaseTarget(JSON.parse(readFileSync(0, 'utf8')) as Record<string, unknown>)),
  );
} catch (err) {
  process.stderr.write(`idle-colour: ${err instanceof ExchangeError ? err.oneLine() : String(err)}\n`);
  process.exit(1);
}
