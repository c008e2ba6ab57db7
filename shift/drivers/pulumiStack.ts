// The thin Automation API adapter the AWS driver uses: select an existing stack (never create one:
// a typo would otherwise build a second ALB), run `up`, read outputs. Everything else is in modules
// that take a StackOps, so only this file needs the Pulumi CLI (or a fake one in tests).
import { LocalWorkspace, PulumiCommand } from '@pulumi/pulumi/automation/index.js';
import { SHARED_OUTPUTS } from '../../contract/stacks.ts';
import { DriverError } from '../errors.ts';

/** No `pulumi` executable where it was looked for (PATH or --pulumi-root). */
export class PulumiMissingError extends DriverError {
  override name = 'PulumiMissingError';
}

export interface StackOps {
  readonly stackName: string;
  /**
   * `pulumi up --yes --skip-preview`, with `--target <urn>` for each of `target`; resolves when it
   * succeeded. Targeted, the engine updates only those resources (plus the root stack's outputs and the
   * providers, which it always includes); everything else keeps its recorded state (a "same" step), a
   * new resource is not created and a removed one not deleted (pulumi/pulumi
   * pkg/resource/deploy/step_generator.go: isImplicitlyTargetedResource, "untargeted create",
   * "delete untargeted resource"). StackReferences are reads, so they still run.
   */
  up(opts?: { target?: string[] }): Promise<void>;
  /** Stack outputs as plain values (secrets included, they are not used for anything sensitive). */
  outputs(): Promise<Record<string, unknown>>;
}

export interface PulumiStackOptions {
  /** Folder with the project's Pulumi.yaml (repository root for blue/green, infra/shared for shared). */
  workDir: string;
  /** e.g. "shared" or "organization/exchange/blue". */
  stackName: string;
  /** Install folder of the CLI: `<root>/bin/pulumi` is run. @default - `pulumi` from PATH */
  pulumiRoot?: string;
  /** Extra environment for the CLI (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE come from the process). */
  envVars?: Record<string, string>;
  /** Receives the CLI's progress output line by line. */
  onOutput?: (text: string) => void;
}

export async function selectStack(o: PulumiStackOptions): Promise<StackOps> {
  let stack;
  try {
    const pulumiCommand = await PulumiCommand.get(o.pulumiRoot === undefined ? {} : { root: o.pulumiRoot });
    stack = await LocalWorkspace.selectStack(
      { stackName: o.stackName, workDir: o.workDir },
      { pulumiCommand, ...(o.envVars === undefined ? {} : { envVars: o.envVars }) },
    );
  } catch (err) {
    const missing = /spawn (\S+) ENOENT/.exec(err instanceof Error ? err.message : String(err));
    if (missing !== null)
      throw new PulumiMissingError(`the pulumi CLI was not found (${missing[1]})`, {
        hint: 'install it (https://www.pulumi.com/docs/install/) or pass --pulumi-root <its install folder>',
        cause: err,
      });
    throw new DriverError(`pulumi: cannot select stack "${o.stackName}" in ${o.workDir}: ${firstLine(err)}`, {
      hint: 'check PULUMI_BACKEND_URL, the stack name and that the pulumi CLI is installed',
      cause: err,
    });
  }
  return {
    stackName: o.stackName,
    async up(opts = {}) {
      try {
        const res = await stack.up({
          ...(o.onOutput === undefined ? {} : { onOutput: o.onOutput }),
          ...(opts.target === undefined ? {} : { target: opts.target }),
        });
        if (res.summary.result !== 'succeeded') throw new Error(`result ${res.summary.result}`);
      } catch (err) {
        throw new DriverError(`pulumi up --stack ${o.stackName} failed: ${firstLine(err)}`, {
          hint: `run "pulumi up --stack ${o.stackName}" by hand to see the full error`,
          cause: err,
        });
      }
    },
    async outputs() {
      try {
        const out = await stack.outputs();
        return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
      } catch (err) {
        throw new DriverError(`pulumi stack output --stack ${o.stackName} failed: ${firstLine(err)}`, {
          hint: 'check the stack exists and was deployed',
          cause: err,
        });
      }
    },
  };
}

/** The one write a shift step may make: `up` of the shared stack's listener and nothing else. */
export interface ListenerStack {
  readonly stackName: string;
  /** The listener's URN, from the shared stack's `listenerUrn` output. */
  readonly listenerUrn: string;
  /** `pulumi up --target <listenerUrn>`: the recorded weights reach the listener; no other change does. */
  up(): Promise<void>;
}

// urn:pulumi:<stack>::<project>::[<parent type>$]aws:lb/listener:Listener::<name>
const LISTENER_URN = /^urn:pulumi:[^:]+::[^:]+::(?:[^$]+\$)*aws:lb\/listener:Listener::.+$/;

/**
 * Binds a shift's writes to the listener. Any other change merged into the shared program (VPC, ALB,
 * IAM) is deployed by the release pipeline's own `deploy-shared` job, with a preview first; a shift
 * step never applies it mid-shift.
 */
export function listenerOnly(stack: StackOps, outputs: Record<string, unknown>): ListenerStack {
  const urn = outputs[SHARED_OUTPUTS.listenerUrn];
  if (typeof urn !== 'string' || !LISTENER_URN.test(urn))
    throw new DriverError(
      `stack ${stack.stackName} exports no listener URN (output "${SHARED_OUTPUTS.listenerUrn}" = ${JSON.stringify(urn) ?? 'missing'})`,
      {
        hint: `deploy the shared stack first (the release pipeline's deploy-shared job, or "pulumi up --stack ${stack.stackName}"): a shift updates only the listener`,
      },
    );
  return { stackName: stack.stackName, listenerUrn: urn, up: () => stack.up({ target: [urn] }) };
}

/** CommandError messages carry the whole CLI transcript; the last non-empty stderr line says why. */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(code|stdout|stderr|err\?):/.test(l));
  const error = lines.find((l) => /^error:/i.test(l));
  return (error ?? lines[0] ?? text).slice(0, 300);
}
