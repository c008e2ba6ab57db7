// `exchange ingest-now --color <c>`: the colour's scheduled ingest, once, now; waits for its exit code.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { COLORS, type Color } from '../../contract/index.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Command } from '../command.ts';

const HELP = `Usage: exchange ingest-now --color <${COLORS.join('|')}> [--pulumi-root <dir>]

Runs the colour's ingest once on ECS — the task definition its stack exports, the service's network
configuration and the same command the daily schedule runs — then waits for the task to stop.
What a release needs to seed a fresh colour before it takes traffic.

Flags:
  --color <colour>     ${COLORS.join(' or ')}
  --pulumi-root <dir>  Pulumi CLI install folder, <dir>/bin/pulumi (default: pulumi on PATH)

Exit codes: 0 the ingest exited 0, 1 it exited non-zero or did not run, 2 usage.
`;

const ingestNowCommand: Command = {
  name: 'ingest-now',
  summary: "Run a colour's ingest task once on ECS and wait for its exit code",
  help: HELP,
  options: { color: { type: 'string' }, 'pulumi-root': { type: 'string' } },
  async run(values, _positionals, ctx) {
    const color = values.color;
    if (typeof color !== 'string' || !COLORS.includes(color as Color))
      throw new UsageError(
        `ingest-now: --color must be ${COLORS.join(' or ')}, got ${JSON.stringify(color ?? null)}`,
        { hint: 'e.g. --color green' },
      );
    const { ECSClient } = await import('@aws-sdk/client-ecs');
    const { readSharedStackFacts } = await import('../../shift/drivers/awsWiring.ts');
    const { selectStack } = await import('../../shift/drivers/pulumiStack.ts');
    const { ingestNow } = await import('../../release/ingestNow.ts');
    const { ingestTargetFromOutputs } = await import('../../release/ingestNowTarget.ts');
    const root = process.cwd();
    const facts = readSharedStackFacts(root);
    const pulumiRoot = typeof values['pulumi-root'] === 'string' ? { pulumiRoot: values['pulumi-root'] } : {};
    const shared = await selectStack({
      workDir: join(root, 'infra', 'shared'),
      stackName: 'shared',
      ...pulumiRoot,
    });
    const env = await selectStack({
      workDir: root,
      stackName: facts.environmentStacks[color as Color],
      ...pulumiRoot,
    });
    const target = ingestTargetFromOutputs(color as Color, await shared.outputs(), await env.outputs());
    const ecs = new ECSClient(facts.region === undefined ? {} : { region: facts.region });
    const result = await ingestNow(
      {
        ecs,
        sleep: async (ms) => void (await sleep(ms)),
        now: () => Date.now(),
        onStatus: (s) => ctx.log.info('task', { status: s }),
      },
      target,
    );
    ctx.stdout(`${JSON.stringify({ color, ...result })}\n`);
    return result.exitCode === 0 ? 0 : 1;
  },
};

export default ingestNowCommand;
