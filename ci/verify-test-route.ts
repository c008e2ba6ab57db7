// Entry: node --import tsx ci/verify-test-route.ts <site-url> <colour> <version>
import { ENV } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import { verifyTestRoute } from './lib/verifyRoute.ts';

const [siteUrl, color, version] = process.argv.slice(2);
if (!siteUrl || (color !== 'blue' && color !== 'green') || !version) {
  process.stderr.write('usage: verify-test-route.ts <site-url> <blue|green> <version>\n');
  process.exit(2);
}
try {
  // The test route's secret, when the colour stacks set testRouteSecret (a masked CI variable).
  const testKey = process.env[ENV.testKey];
  await verifyTestRoute({ siteUrl, color, version, ...(testKey ? { testKey } : {}) });
  process.stdout.write(`verified: ${color} answers ${version} through the test route\n`);
} catch (err) {
  process.stderr.write(`verify: ${err instanceof ExchangeError ? err.oneLine() : String(err)}\n`);
  process.exit(1);
}
