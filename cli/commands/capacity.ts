// `exchange capacity <verb>`: flags → the capacity verbs with the AWS or local driver and the real clock.
import { setTimeout as sleep } from 'node:timers/promises';
import { COLORS, type Color } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Command } from '../command.ts';
import { DEFAULT_HEADROOM, headroomHundredths } from '../../shift/capacity.ts';
import { DEFAULT_STRATEGY, parseDuration, strategyPercents } from '../../shift/plan.ts';
import { PREFLIGHT_EXIT_CODE } from '../../shift/errors.ts';

const VERBS = ['status', 'prepare', 'scale-down', 'release'] as const;
type Verb = (typeof VERBS)[number];
const DEFAULT_WAIT = { prepare: '10m', 'scale-down': '5m' } as const;

const HELP = `Usage: exchange capacity <verb> [flags]

Each colour's ECS service scales itself (Application Auto Scaling); around a release these verbs
set what autoscaling may do, recording each decision next to the Pulumi state so every later
"pulumi up" of the colour declares the same bounds.

Verbs:
  status                          each colour's running/desired tasks, bounds and scale-in state
  prepare    --to <colour>        before the deploy's up: the idle colour's floor raised to the live
                                  colour's running tasks × headroom, then wait until it can carry the
                                  first step's share (exit 1 with the gate's numbers otherwise)
  scale-down                      after a release, once the drain is over: the colour taking no
                                  traffic pinned at its standby count (stack config standbyTasks)
  release                         resume scale-in on both colours and return the live one to its
                                  configured bounds (repair after a shift that could not)

Flags:
  --to <colour>        ${COLORS.join(' or ')} (prepare)
  --headroom <x>       healthy tasks ≥ ⌈old running × share ÷ 100 × x⌉ (default: ${DEFAULT_HEADROOM})
  --strategy <s>       the shift's strategy: prepare waits for its first step (default: ${DEFAULT_STRATEGY})
  --wait <duration>    prepare: longest wait for the tasks (default: ${DEFAULT_WAIT.prepare});
                       scale-down: longest wait for the drain to end (default: ${DEFAULT_WAIT['scale-down']})
  --json               one JSON object
  --stack <name>       shared stack (default: shared)
  --pulumi-root <dir>  Pulumi CLI install folder, <dir>/bin/pulumi (default: pulumi on PATH)
  --local              the local system that \`npm start\` runs
  --dir <folder>       with --local: that system's data folder (default: .local)

Exit codes: 0 done, 1 capacity did not come in time or a call failed, 2 usage, ${PREFLIGHT_EXIT_CODE} refused
(nothing changed: a shift in progress, traffic split, the colour takes traffic, the drain not over).
`;

function parse(verb: Verb, values: Record<string, unknown>) {
  const to = values.to;
  if (verb === 'prepare' && (typeof to !== 'string' || !COLORS.includes(to as Color)))
    throw new UsageError(`prepare: --to must be ${COLORS.join(' or ')}, got ${JSON.stringify(to ?? null)}`, {
      hint: 'e.g. exchange capacity prepare --to green',
    });
  const headroomText = typeof values.headroom === 'string' ? values.headroom : String(DEFAULT_HEADROOM);
  if (!/^\d+(\.\d{1,2})?$/.test(headroomText))
    throw new UsageError(`${verb}: --headroom "${headroomText}" is not a number like 1.2`, {
      hint: `e.g. --headroom ${DEFAULT_HEADROOM}`,
    });
  headroomHundredths(Number(headroomText));
  const strategy = typeof values.strategy === 'string' ? values.strategy : DEFAULT_STRATEGY;
  strategyPercents(strategy);
  const wait =
    typeof values.wait === 'string'
      ? values.wait
      : verb === 'scale-down'
        ? DEFAULT_WAIT['scale-down']
        : DEFAULT_WAIT.prepare;
  return {
    ...(typeof to === 'string' ? { to: to as Color } : {}),
    headroom: Number(headroomText),
    strategy,
    waitSeconds: parseDuration(wait),
  };
}

const capacity: Command = {
  name: 'capacity',
  summary: "Each colour's task count around a release: status, prepare, scale-down, release",
  help: HELP,
  positionals: true,
  options: {
    to: { type: 'string' },
    headroom: { type: 'string' },
    strategy: { type: 'string' },
    wait: { type: 'string' },
    json: { type: 'boolean' },
    stack: { type: 'string' },
    'pulumi-root': { type: 'string' },
    local: { type: 'boolean' },
    dir: { type: 'string' },
  },
  async run(values, positionals, ctx) {
    const [verb, ...extra] = positionals;
    if (!VERBS.includes(verb as Verb) || extra.length > 0)
      throw new UsageError(`capacity: "${positionals.join(' ')}" is not one verb of ${VERBS.join(', ')}`, {
        hint: 'run "exchange capacity --help"',
      });
    const opts = parse(verb as Verb, values);
    const { runCapacityVerb } = await import('../../shift/capacityVerbs.ts');
    const driver =
      values.local === true
        ? await (
            await import('../../shift/drivers/local.ts')
          ).localDriverFromDir(typeof values.dir === 'string' ? values.dir : undefined)
        : await (
            await import('../../shift/drivers/awsWiring.ts')
          ).openAwsDriver({
            repoRoot: process.cwd(),
            ...(typeof values.stack === 'string' ? { sharedStack: values.stack } : {}),
            ...(typeof values['pulumi-root'] === 'string' ? { pulumiRoot: values['pulumi-root'] } : {}),
            onOutput: (text) => ctx.log.debug('pulumi', { text: text.trimEnd() }),
          });
    const clock = { now: () => Date.now(), sleep: async (ms: number) => void (await sleep(ms)) };
    try {
      return await runCapacityVerb(verb as Verb, opts, driver, clock, {
        write: ctx.stdout,
        json: values.json === true,
      });
    } finally {
      (driver as { close?: () => void }).close?.();
    }
  },
};

export default capacity;
