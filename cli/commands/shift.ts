// `exchange shift <verb>`: flags → the verb runner with the AWS driver and the real clock.
import { setTimeout as sleep } from 'node:timers/promises';
import { COLORS, ENV, TEST_KEY_HEADER, type Color } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Command } from '../command.ts';
import { PREFLIGHT_EXIT_CODE } from '../../shift/errors.ts';
import { DEFAULT_BAKE_SECONDS, DEFAULT_STRATEGY, parseDuration } from '../../shift/plan.ts';
import { DEFAULT_HEADROOM, headroomHundredths } from '../../shift/capacity.ts';
import { SHIFT_VERBS, type ShiftVerb, type VerbOptions } from '../../shift/verbs.ts';

const HELP = `Usage: exchange shift <verb> [flags]

Moves live traffic between the blue and green stacks through the shared listener, step by step,
checking gates during every bake and rolling back with one listener write when one fails.

Verbs:
  plan      --to <colour> [--strategy s] [--bake d]   preflight, then print every step; changes nothing
  start     --to <colour> [--strategy s] [--bake d]   preflight, plan, then run the shift to the end
  status                                               the record, the live weights and what they mean
  pause                                                hold the current weights (health gates keep watching)
  resume    [--force]                                  continue a paused or interrupted shift here
  promote   [--force]                                  skip the remaining steps: 100% now, last bake still gated
  abort                                                roll back now: 100% to the previous colour (= rollback)

Flags:
  --to <colour>        ${COLORS.join(' or ')}
  --strategy <s>       all-at-once | canary[:P] | linear[:N] | steps:5,25,50,100 (default: ${DEFAULT_STRATEGY})
  --bake <duration>    per step, e.g. 5m, 90s (default: ${DEFAULT_BAKE_SECONDS / 60}m; at least 2m: CloudWatch is per minute)
  --force              start: shift even if the target runs the live version; resume: take over
  --headroom <x>       capacity gate: healthy new tasks ≥ ⌈old running × share ÷ 100 × x⌉ before
                       every step (default: ${DEFAULT_HEADROOM}; 1–4)
  --json               one JSON event per line
  --stack <name>       shared stack (default: shared)
  --pulumi-root <dir>  Pulumi CLI install folder, <dir>/bin/pulumi (default: pulumi on PATH)
  --local              drive the local system that \`npm start\` runs (its router stands in for the ALB)
  --dir <folder>       with --local: that system's data folder (default: .local)

--bake's 2-minute minimum is AWS's (CloudWatch is per minute); locally the router's metrics are live
and a bake can be seconds.

AWS credentials and region come from the SDK's default chain and infra/shared/Pulumi.shared.yaml;
PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE as for any pulumi command. When the colour stacks set
testRouteSecret, export it as ${ENV.testKey}: the test-route probes send it in ${TEST_KEY_HEADER}.

Exit codes: 0 promoted (or the verb did what it says), 1 rolled back or failed, 2 usage,
${PREFLIGHT_EXIT_CODE} refused by preflight (nothing changed).
`;

export function parseVerbOptions(verb: ShiftVerb, values: Record<string, unknown>): VerbOptions {
  const opts: VerbOptions = {};
  const to = values.to;
  if (verb === 'plan' || verb === 'start') {
    if (typeof to !== 'string' || !COLORS.includes(to as Color))
      throw new UsageError(
        `${verb}: --to must be ${COLORS.join(' or ')}, got ${JSON.stringify(to ?? null)}`,
        { hint: `e.g. exchange shift ${verb} --to green` },
      );
    opts.to = to as Color;
  }
  if (typeof values.strategy === 'string') opts.strategy = values.strategy;
  if (typeof values.bake === 'string') opts.bakeSeconds = parseDuration(values.bake);
  if (values.force === true) opts.force = true;
  if (typeof values.headroom === 'string') {
    if (!/^\d+(\.\d{1,2})?$/.test(values.headroom))
      throw new UsageError(`${verb}: --headroom "${values.headroom}" is not a number like 1.2`, {
        hint: `e.g. --headroom ${DEFAULT_HEADROOM}`,
      });
    headroomHundredths(Number(values.headroom));
    opts.headroom = Number(values.headroom);
  }
  return opts;
}

// Same verbs, plan and gates; only the driver differs (the style guide's "controller decides, drivers act").
async function openLocal(values: Record<string, unknown>) {
  const { localDriverFromDir } = await import('../../shift/drivers/local.ts');
  return localDriverFromDir(typeof values.dir === 'string' ? values.dir : undefined);
}

async function openAws(values: Record<string, unknown>, ctx: Parameters<Command['run']>[2]) {
  const { openAwsDriver } = await import('../../shift/drivers/awsWiring.ts');
  return openAwsDriver({
    repoRoot: process.cwd(),
    ...(typeof values.stack === 'string' ? { sharedStack: values.stack } : {}),
    ...(typeof values['pulumi-root'] === 'string' ? { pulumiRoot: values['pulumi-root'] } : {}),
    ...(process.env[ENV.testKey] ? { testKey: process.env[ENV.testKey] } : {}),
    onOutput: (text) => ctx.log.debug('pulumi', { text: text.trimEnd() }),
  });
}

const shift: Command = {
  name: 'shift',
  summary: 'Shift traffic between blue and green with gates and fast rollback',
  help: HELP,
  positionals: true,
  options: {
    to: { type: 'string' },
    strategy: { type: 'string' },
    bake: { type: 'string' },
    force: { type: 'boolean' },
    headroom: { type: 'string' },
    json: { type: 'boolean' },
    stack: { type: 'string' },
    'pulumi-root': { type: 'string' },
    local: { type: 'boolean' },
    dir: { type: 'string' },
  },
  async run(values, positionals, ctx) {
    const [verb, ...extra] = positionals;
    if (!SHIFT_VERBS.includes(verb as ShiftVerb) || extra.length > 0)
      throw new UsageError(`shift: "${positionals.join(' ')}" is not one verb of ${SHIFT_VERBS.join(', ')}`, {
        hint: 'run "exchange shift --help"',
      });
    const opts = parseVerbOptions(verb as ShiftVerb, values);
    const { runShiftVerb } = await import('../../shift/verbs.ts');
    const driver = values.local === true ? await openLocal(values) : await openAws(values, ctx);
    const clock = { now: () => Date.now(), sleep: async (ms: number) => void (await sleep(ms)) };
    const io = {
      write: ctx.stdout,
      isTTY: process.stdout.isTTY === true && values.json !== true,
      json: values.json === true,
    };
    // Killing the CLI is safe: the record holds the truth; say how to continue.
    const stopped = ctx.stopSignal.then((sig) => {
      ctx.log.warn('stopped', { signal: sig, next: 'exchange shift status, then resume or abort' });
      return 130;
    });
    return Promise.race([runShiftVerb(verb as ShiftVerb, opts, { driver, clock }, io), stopped]);
  },
};

export default shift;
