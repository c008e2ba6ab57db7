// `exchange synth`: print every resource a stack declares, from the mock runtime (no credentials).
import type { Command } from '../command.ts';
import { requireString } from '../command.ts';
import { ConfigError, ExchangeError, UsageError } from '../../lib/errors.ts';
import { isSynthStack, SYNTH_STACKS } from '../../infra/synth/stacks.ts';

const HELP = `Usage: exchange synth --stack <blue|green|shared> [--config <file>] [--allow-placeholders]

Runs the stack's Pulumi program under Pulumi's mock runtime and prints a JSON array of every resource
it declares, each { "type", "name", "parent", "inputs" }, sorted by type and name. Secrets are shown
as "[secret]". Nothing contacts AWS or a Pulumi backend; other stacks' outputs are stand-ins.

Flags:
  --stack <name>          blue, green or shared
  --config <file>         stack config: a Pulumi.<stack>.yaml (or the same map as JSON)
                          (default: Pulumi.<stack>.yaml for blue and green,
                          infra/shared/Pulumi.shared.yaml for shared)
  --allow-placeholders    accept the committed placeholder values (image digest, documentation
                          CIDRs) that a real deploy cannot use; without it synth refuses them (exit 2)
  -h, --help              this help

Before the program runs, synth applies the Pulumi engine's project-config rules (typed keys, keys without
a default, values as \`pulumi config set\` stores them) to the config and to the READMEs' config commands.

Then it runs the exchange-guardrails policy pack (infra/policy) over every resource, plus the multi-resource
rules (listener priorities across every stack on the shared listener, deregistration delay vs stop timeout,
public access block vs bucket policy), and prints nothing if any is violated.

Exit codes: 0 printed, 1 the program failed or a policy is violated (each is named), 2 bad flag or invalid
config (the message names the file to fix).
`;

const synth: Command = {
  name: 'synth',
  summary: 'Print every resource a stack declares (mock runtime, no credentials)',
  help: HELP,
  options: {
    stack: { type: 'string' },
    config: { type: 'string' },
    'allow-placeholders': { type: 'boolean' },
  },
  async run(values, _positionals, ctx) {
    const stack = requireString(values, 'stack', 'synth');
    if (!isSynthStack(stack)) {
      throw new UsageError(`synth: --stack "${stack}" is not one of ${SYNTH_STACKS.join(', ')}`, {
        hint: 'e.g. --stack green',
      });
    }
    // Loaded only after the flags are valid: the Pulumi SDK takes about a second to load.
    const mod = await import('../../infra/synth/synth.ts');
    const { loadStackConfig } = await import('../../infra/synth/stackConfig.ts');
    const { assertEngineAccepts } = await import('../../infra/engine/check.ts');
    const file = typeof values.config === 'string' ? values.config : mod.defaultStackFile(stack);
    try {
      const configMap = loadStackConfig(file);
      assertEngineAccepts(stack, configMap, file);
      const resources = await mod.synthesize(stack, configMap, file);
      const { assertGuardrails } = await import('../../infra/synth/guardrails.ts');
      await assertGuardrails(stack, resources);
      if (values['allow-placeholders'] !== true) {
        const { assertNoPlaceholders } = await import('../../infra/synth/placeholders.ts');
        const { toRuntimeConfig } = await import('../../infra/synth/stackConfig.ts');
        assertNoPlaceholders(toRuntimeConfig(configMap).config, file);
      }
      ctx.log.info('synthesized', { stack, config: file, resources: resources.length });
      ctx.stdout(`${JSON.stringify(resources, null, 2)}\n`);
    } catch (err) {
      // A component or config error carries its fix in oneLine() (EnvironmentArgError's hint).
      const withFix = (err as { oneLine?: () => string }).oneLine;
      const msg =
        typeof withFix === 'function' ? withFix.call(err) : err instanceof Error ? err.message : String(err);
      if (err instanceof Error && err.name === 'OtherStackError') {
        const other = err as Error & { file: string; configError: boolean };
        const Kind = other.configError ? ConfigError : ExchangeError;
        throw new Kind(`synth --stack ${stack}: ${msg}`, {
          hint: other.configError
            ? `fix ${other.file}`
            : `fix the program (${other.file} passed the config checks)`,
          cause: err,
        });
      }
      if (err instanceof Error && err.name === 'GuardrailError')
        throw new ExchangeError(`synth --stack ${stack}: ${msg}`, {
          hint: `fix the config in ${file}, or the component code if the config is valid`,
          cause: err,
        });
      if (mod.isConfigError(err))
        throw new ConfigError(`synth --stack ${stack}: ${msg}`, { hint: `fix ${file}`, cause: err });
      const at = mod.codeLocation(err);
      throw new ExchangeError(`synth --stack ${stack}: the program failed${at ? ` at ${at}` : ''}: ${msg}`, {
        hint: `a code error: ${file} passed the config checks; fix ${at ?? 'the program'}`,
        cause: err,
      });
    }
  },
};

export default synth;
