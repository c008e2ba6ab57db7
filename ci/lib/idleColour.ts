// Which colour a release deploys to: the one the shared stack does not send traffic to. Refuses while
// traffic is split (a shift in progress or abandoned), since deploying then would replace a live colour,
// and while that colour is not bootstrapped: a non-interactive `pulumi up` of a stack that does not exist
// fails (pulumi/pulumi pkg/cmd/pulumi/stack/io.go, StackNotFoundError), and a shift needs the shared
// stack to list the colour. Both colours are bootstrapped by hand (README "First deployment from nothing").
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
  if (live !== 'none' && live !== 'blue' && live !== 'green')
    throw new IdleColourError(
      `the shared stack's liveColor is ${JSON.stringify(live)}, not blue, green or none`,
      { hint: 'pulumi up --stack organization/exchange-shared/shared to refresh its outputs' },
    );
  const idle = live === 'none' ? 'blue' : other(live);
  const listed = outputs.forwardedColors;
  if (!Array.isArray(listed) || !listed.includes(idle))
    throw new IdleColourError(
      `${idle} is not bootstrapped: the shared stack lists ${JSON.stringify(listed ?? null)} in environments, so ` +
        `its stack may not exist (a pipeline's pulumi up cannot create it) and no shift could reach it`,
      {
        hint: `deploy ${idle} by hand and list it in exchange-shared:environments (README "First deployment from nothing")`,
      },
    );
  return { live, idle, siteUrl: url };
}

/** The dotenv lines later jobs read. */
export function releaseEnv(t: ReleaseTarget): string {
  return `LIVE_COLOR=${t.live}\nIDLE_COLOR=${t.idle}\nSITE_URL=${t.siteUrl}\n`;
}
