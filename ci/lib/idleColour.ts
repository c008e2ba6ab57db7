// Which colour a release deploys to: the one the shared stack does not send traffic to. Refuses while
// traffic is split (a shift in progress or abandoned), since deploying then would replace a live colour.
import { COLORS, type Color } from '../../contract/index.ts';
import { ExchangeError } from '../../lib/errors.ts';

export class IdleColourError extends ExchangeError {
  override name = 'IdleColourError';
}

export interface ReleaseTarget {
  live: Color | 'none';
  idle: Color;
  siteUrl: string;
}

const other = (c: Color): Color => (c === 'blue' ? 'green' : 'blue');

/** From `pulumi stack output --json` of the shared stack (outputs liveColor, weights, url). */
export function releaseTarget(outputs: Record<string, unknown>): ReleaseTarget {
  const live = outputs.liveColor;
  const url = outputs.url;
  const weights = (outputs.weights ?? {}) as Record<string, unknown>;
  if (typeof url !== 'string' || url === '')
    throw new IdleColourError('the shared stack exports no url', {
      hint: 'pulumi up --stack organization/exchange-shared/shared first (README "Releasing")',
    });
  const serving = COLORS.filter((c) => typeof weights[c] === 'number' && (weights[c] as number) > 0);
  if (serving.length > 1)
    throw new IdleColourError(`traffic is split ${JSON.stringify(weights)}: no colour is idle`, {
      hint: 'finish or abort the shift first: npx exchange shift abort',
    });
  if (live === 'none') return { live, idle: 'blue', siteUrl: url };
  if (live !== 'blue' && live !== 'green')
    throw new IdleColourError(
      `the shared stack's liveColor is ${JSON.stringify(live)}, not blue, green or none`,
      { hint: 'pulumi up --stack organization/exchange-shared/shared to refresh its outputs' },
    );
  return { live, idle: other(live), siteUrl: url };
}

/** The dotenv lines later jobs read. */
export function releaseEnv(t: ReleaseTarget): string {
  return `LIVE_COLOR=${t.live}\nIDLE_COLOR=${t.idle}\nSITE_URL=${t.siteUrl}\n`;
}
