// `exchange deploy-check`: after `pulumi up --stack <colour>`, prove ECS runs what the stack exported.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { optionalInt, requireString } from '../command.ts';
import { ConfigError, ExchangeError, UsageError } from '../../lib/errors.ts';

const HELP = `Usage: pulumi stack output --json --stack <colour> | exchange deploy-check --color <blue|green>
       exchange deploy-check --color <blue|green> [--outputs <file>] [--wait <seconds>]

Run right after \`pulumi up --stack <colour>\`. Reads the stack's outputs (taskDefinitionArn, serviceName,
clusterArn, color) and asks ECS (DescribeServices) whether the service's PRIMARY deployment runs exactly
that task definition with rolloutState COMPLETED. \`pulumi up\` cannot tell: it reports a circuit-breaker
rollback as success (terraform-provider-aws #20858). The scheduled ingest targets the same exported
revision, so a failed check also means the schedule runs a rejected revision; the message says how to fix.

Flags:
  --color <c>        the colour just deployed; must equal the outputs' color
  --outputs <file>   \`pulumi stack output --json\` saved to a file; "-" (default) reads stdin
  --wait <seconds>   keep looking this long while the rollout is IN_PROGRESS (default 0, max 1800)

When the release did not land, it reads the service's stopped tasks of the released revision and names
what a CannotPullContainerError says is missing (a private GHCR package without pull credentials, refused
credentials, no route to the registry).

AWS credentials and region: the SDK's default chain (env, profile, web identity); the region is the
cluster ARN's. Needs ecs:DescribeServices on the service; for the diagnosis also ecs:ListTasks,
ecs:DescribeTasks and ecs:DescribeTaskDefinition (without them the verdict stands and says so).

Exit codes: 0 the release runs, 1 rolled back / failed / still in progress, 2 bad flag or outputs.
`;

const INTERVAL_S = 15;

const deployCheck: Command = {
  name: 'deploy-check',
  summary: 'Prove ECS runs the task definition the stack exported (catches silent rollbacks)',
  help: HELP,
  options: { color: { type: 'string' }, outputs: { type: 'string' }, wait: { type: 'string' } },
  async run(values, _positionals, ctx) {
    const color = requireString(values, 'color', 'deploy-check');
    const wait = optionalInt(values, 'wait', 'deploy-check', { min: 0, max: 1800 }) ?? 0;
    const source = typeof values.outputs === 'string' ? values.outputs : '-';
    if (source === '-' && process.stdin.isTTY)
      throw new UsageError('deploy-check: no stack outputs: pipe them in or pass --outputs <file>', {
        hint: `pulumi stack output --json --stack ${color} | exchange deploy-check --color ${color}`,
      });
    const { expectationFromOutputs, regionOf, DeployOutputsError } =
      await import('../../release/deployCheck.ts');
    let expectation;
    try {
      const text = readFileSync(source === '-' ? 0 : source, 'utf8');
      expectation = expectationFromOutputs(
        JSON.parse(text) as unknown,
        color,
        source === '-' ? 'stdin' : source,
      );
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (err instanceof DeployOutputsError) throw new ConfigError(`deploy-check: ${msg}`, { cause: err });
      throw new ConfigError(`deploy-check: cannot read stack outputs from ${source}: ${msg.split('\n')[0]}`, {
        hint: `pipe pulumi stack output --json --stack ${color}`,
        cause: err,
      });
    }
    const { ECSClient } = await import('@aws-sdk/client-ecs');
    const { runDeployCheck } = await import('../../release/deployCheckEcs.ts');
    const ecs = new ECSClient({ region: regionOf(expectation.clusterArn) });
    try {
      const result = await runDeployCheck(ecs, expectation, {
        retries: Math.ceil(wait / INTERVAL_S),
        intervalMs: INTERVAL_S * 1000,
      });
      if (!result.ok) throw new ExchangeError(`deploy-check: ${result.summary}`);
      ctx.log.info('deploy-check passed', { color, taskDefinition: expectation.taskDefinitionArn });
      ctx.stdout(`${result.summary}\n`);
    } finally {
      ecs.destroy();
    }
  },
};

export default deployCheck;
