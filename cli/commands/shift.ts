// `exchange shift <verb>`: flags → the verb runner with the AWS driver and the real clock.
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { COLORS, ENV, TEST_KEY_HEADER, type Color } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Command } from '../command.ts';
import { PREFLIGHT_EXIT_CODE } from '../../shift/errors.ts';
import { DEFAULT_BAKE_SECONDS, DEFAULT_STRATEGY, parseDuration } from '../../shift/plan.ts';
import { DEFAULT_HEADROOM, headroomHundredths } from '../../shift/capacity.ts';
import { SHIFT_VERBS, type ShiftVerb, type VerbOptions } from '../../shift/verbs.ts';
import type { ShiftDriver } from '../../shift/port.ts';
import { formatWeights } from '../../contract/weights.ts';

const HELP = `Usage: exchange shift <verb> [flags]

Moves live traffic between the blue and green stacks through the shared listener, step by step,
checking gates during every bake and rolling back with one listener write when one fails.

Verbs:
  plan      --to <colour> [--strategy s] [--bake d]   preflight, then print every step; changes nothing
  start     --to <colour> [--strategy s] [--bake d]   preflight, plan, then run the shift to the end
  status    [--html FILE]                              the record, the live weights and what they mean;
                                                       --html also writes the release page (weights, split,
                                                       each colour's requests, 5xx and latency, every decision)
  pause                                                hold the current weights (health gates keep watching)
  resume    [--force]                                  continue a paused or interrupted shift here
  promote   [--force]                                  skip the remaining steps: 100% now, last bake still gated
  abort                                                roll back now: 100% to the previous colour (= rollback)
  reset     --to <colour>                              all traffic on <colour> now, from any state (no record,
                                                       a bad record file, weights changed by hand); ends a
                                                       shift in progress; a bad record file is left as it is

Flags:
  --to <colour>        ${COLORS.join(' or ')}
  --strategy <s>       all-at-once | canary[:P] | linear[:N] | steps:5,25,50,100 (default: ${DEFAULT_STRATEGY})
  --bake <duration>    per step, e.g. 5m, 90s (default: ${DEFAULT_BAKE_SECONDS / 60}m; at least 2m: CloudWatch is per minute)
  --force              start: shift even if the target runs the live version; resume: take over
  --headroom <x>       capacity gate: healthy new tasks ≥ ⌈old running × share ÷ 100 × x⌉ before
                       every step (default: ${DEFAULT_HEADROOM}; 1–4)
  --json               one JSON event per line
  --html <file>        status: also write the release page (an HTML file) there
  --stack <name>       shared stack (default: shared)
  --pulumi-root <dir>  Pulumi CLI install folder, <dir>/bin/pulumi (default: pulumi on PATH)
  --local              drive the local system that \`npm start\` runs (its router stands in for the ALB)
  --dir <folder>       with --local: that system's data folder (default: .local)

--bake's 2-minute minimum is AWS's (CloudWatch is per minute); locally the router's metrics are live
and a bake can be seconds.

AWS credentials and region come from the SDK's default chain and infra/shared/Pulumi.shared.yaml;
PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE as for any pulumi command. When the colour stacks set
testRouteSecret, export it as ${ENV.testKey}: the test-route probes send it in ${TEST_KEY_HEADER}.

Ctrl-C or SIGTERM during start/resume/promote: the controller finishes the driver call in progress,
marks the record "stopped" and leaves the weights where they are (it says which); resume or abort later.
A second Ctrl-C exits at once.

Exit codes: 0 promoted (or the verb did what it says; abort with nothing to abort and traffic on one
colour), 1 rolled back or failed, 2 usage, ${PREFLIGHT_EXIT_CODE} refused (nothing changed: preflight, or a verb
with nothing it may act on), 130 / 143 stopped by SIGINT / SIGTERM (the shift stays where it was).
`;

export function parseVerbOptions(verb: ShiftVerb, values: Record<string, unknown>): VerbOptions {
  const opts: VerbOptions = {};
  const to = values.to;
  if (verb === 'plan' || verb === 'start' || verb === 'reset') {
    const example = { hint: `e.g. exchange shift ${verb} --to green` };
    if (to === undefined) throw new UsageError(`${verb}: --to is required: ${COLORS.join(' or ')}`, example);
    if (typeof to !== 'string' || !COLORS.includes(to as Color))
      throw new UsageError(
        `${verb}: --to ${JSON.stringify(to)} is not a colour: use ${COLORS.join(' or ')}`,
        example,
      );
    opts.to = to as Color;
  }
  if (typeof values.strategy === 'string') opts.strategy = values.strategy;
  if (typeof values.bake === 'string') opts.bakeSeconds = parseDuration(values.bake);
  if (values.force === true) opts.force = true;
  if (typeof values.html === 'string') {
    if (verb !== 'status')
      throw new UsageError(`${verb}: --html is for status`, {
        hint: 'exchange shift status --html release.html',
      });
    opts.htmlFile = values.html;
  }
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

function verbOf(positionals: string[]): ShiftVerb {
  const [verb, ...extra] = positionals;
  const verbs = `${SHIFT_VERBS.slice(0, -1).join(', ')} or ${SHIFT_VERBS[SHIFT_VERBS.length - 1]}`;
  const help = { hint: 'run "exchange shift --help"' };
  if (verb === undefined) throw new UsageError(`shift: which verb? ${verbs}`, help);
  if (!SHIFT_VERBS.includes(verb as ShiftVerb))
    throw new UsageError(`shift: "${verb}" is not a verb: use ${verbs}`, help);
  if (extra.length > 0)
    throw new UsageError(`shift: one verb at a time, got "${positionals.join(' ')}"`, help);
  return verb as ShiftVerb;
}

// Same verbs, plan and gates; only the driver differs (the style guide's "controller decides, drivers act").
async function openLocal(values: Record<string, unknown>) {
  const { localDriverFromDir } = await import('../../shift/drivers/local.ts');
  return localDriverFromDir(typeof values.dir === 'string' ? values.dir : undefined);
}

async function openAws(values: Record<string, unknown>, verb: ShiftVerb, ctx: Parameters<Command['run']>[2]) {
  const { openAwsDriver } = await import('../../shift/drivers/awsWiring.ts');
  const { PulumiMissingError } = await import('../../shift/drivers/pulumiStack.ts');
  try {
    return await openAwsDriver({
      repoRoot: process.cwd(),
      ...(typeof values.stack === 'string' ? { sharedStack: values.stack } : {}),
      ...(typeof values['pulumi-root'] === 'string' ? { pulumiRoot: values['pulumi-root'] } : {}),
      ...(process.env[ENV.testKey] ? { testKey: process.env[ENV.testKey] } : {}),
      onOutput: (text) => ctx.log.debug('pulumi', { text: text.trimEnd() }),
    });
  } catch (err) {
    // Most often a first try on a laptop: say that the local system needs no Pulumi.
    if (!(err instanceof PulumiMissingError)) throw err;
    throw new PulumiMissingError(err.message, {
      hint: `${err.hint}; without AWS, "exchange shift ${verb} --local" drives the local system "npm start" runs`,
      cause: err,
    });
  }
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
    html: { type: 'string' },
  },
  async run(values, positionals, ctx) {
    const verb = verbOf(positionals);
    const opts = parseVerbOptions(verb, values);
    const { runShiftVerb } = await import('../../shift/verbs.ts');
    const driver = values.local === true ? await openLocal(values) : await openAws(values, verb, ctx);
    const clock = { now: () => Date.now(), sleep: async (ms: number) => void (await sleep(ms)) };
    const io = {
      write: ctx.stdout,
      writeFile: (path: string, text: string) => writeFile(path, text),
      isTTY: process.stdout.isTTY === true && values.json !== true,
      json: values.json === true,
    };
    // Stopping is safe at any point (the record holds the truth), but a controller stops cleanly: after
    // the driver call in progress, with the record marked, so `status` does not call it running.
    const stop = new AbortController();
    void ctx.stopSignal.then((signal) => {
      ctx.log.warn('stopping', { signal, note: 'after the call in progress; a second Ctrl-C exits at once' });
      stop.abort(signal);
    });
    const code = await runShiftVerb(verb, opts, { driver, clock, stop: stop.signal }, io);
    if (stop.signal.aborted) await logStopped(driver, String(stop.signal.reason), ctx);
    return code;
  },
};

/** The log line a stopped shift leaves: which weights the listener keeps and what to run next. */
async function logStopped(
  driver: ShiftDriver,
  signal: string,
  ctx: Parameters<Command['run']>[2],
): Promise<void> {
  const rec = await driver.readRecord().catch(() => undefined);
  const r = rec?.value;
  ctx.log.warn('stopped', {
    signal,
    ...(r === undefined
      ? {}
      : { shift: r.id, status: r.status, step: r.currentStep, weights: formatWeights(r.weights) }),
    next: 'exchange shift status, then resume or abort',
  });
}

export default shift;
