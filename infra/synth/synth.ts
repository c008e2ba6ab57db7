// Synthesizes a stack offline: runs its program under the mock runtime and returns every resource it
// declares as `{ type, name, parent, inputs }` (secrets redacted), sorted so two runs diff cleanly.
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { EnvironmentArgError } from '../../components/exchangeEnvironment/errors.ts';
import { ENV_PROJECT, SHARED_PROJECT, SHARED_STACK } from '../../contract/stacks.ts';
import { EngineConfigError } from '../engine/check.ts';
import { TargetGroupInUseError } from '../environment/program.ts';
import { SharedConfigError } from '../shared/config.ts';
import { createMocks, installMocks, settle, type CapturedResource } from '../testing/mocks.ts';
import { PlaceholderError } from './placeholders.ts';
import { redact } from './redact.ts';
import { resolveReferences, StackReferenceError } from './references.ts';
import type { SynthStack } from './stacks.ts';
import { StackConfigError, toRuntimeConfig } from './stackConfig.ts';

export interface SynthResource {
  type: string;
  name: string;
  /** `<type>::<name>` of the parent component, or null for top-level resources. */
  parent: string | null;
  inputs: Record<string, unknown>;
}

interface Target {
  project: string;
  /** Committed stack file, relative to the repository root. */
  stackFile: string;
  run: () => Promise<unknown>;
}

const TARGETS: Record<SynthStack, Target> = {
  blue: { project: ENV_PROJECT, stackFile: 'Pulumi.blue.yaml', run: runEnvironment },
  green: { project: ENV_PROJECT, stackFile: 'Pulumi.green.yaml', run: runEnvironment },
  shared: { project: SHARED_PROJECT, stackFile: `infra/shared/Pulumi.${SHARED_STACK}.yaml`, run: runShared },
};

async function runEnvironment(): Promise<unknown> {
  const { readEnvironmentConfig } = await import('../environment/config.ts');
  const { environmentProgram } = await import('../environment/program.ts');
  return environmentProgram(readEnvironmentConfig()).outputs;
}

async function runShared(): Promise<unknown> {
  const { runSharedProgram } = await import('../shared/program.ts');
  return (await runSharedProgram()).outputs;
}

/** Absolute path of a stack's committed config file. */
export function defaultStackFile(stack: SynthStack): string {
  return fileURLToPath(new URL(`../../${TARGETS[stack].stackFile}`, import.meta.url));
}

/**
 * Errors caused by the config given (not by the program): the CLI reports them as config errors naming the
 * stack file. A component argument error is a config error only when it names a config key
 * (`exchange:cpu`); an unnamespaced one (`deregistrationDelaySeconds`) was built in code.
 */
export function isConfigError(err: unknown): boolean {
  // By name: the programs are loaded with import(), so a test that imported these classes statically may
  // hold another instance of the same module (tsx loads it once per module system).
  const name = (err as Error | undefined)?.name;
  if (name === 'EnvironmentArgError') return (err as EnvironmentArgError).arg.includes(':');
  return CONFIG_ERRORS.has(name ?? '');
}

const CONFIG_ERRORS = new Set([
  SharedConfigError.name,
  StackConfigError.name,
  EngineConfigError.name,
  StackReferenceError.name,
  PlaceholderError.name,
  TargetGroupInUseError.name,
]);

/**
 * Runs one stack program with `configMap` (a stack file's `config:` map) under mocks. Process-global:
 * it replaces the Pulumi runtime's mocks and config, so run one synth at a time.
 */
export async function synthesize(
  stack: SynthStack,
  configMap: Record<string, unknown>,
  configFile = TARGETS[stack].stackFile,
): Promise<SynthResource[]> {
  const { resources } = await run(stack, configMap, configFile);
  return resources.map(toSynthResource).sort(compareResources);
}

/** A declared resource with what the mocks computed for it (ARNs, auto-names), for the IAM proof. */
export interface DeclaredResource extends SynthResource {
  id: string;
  /** Inputs plus computed outputs, secrets redacted. */
  outputs: Record<string, unknown>;
}

/** The resources a stack declares with their computed outputs, and the invokes (data sources) it calls. */
export async function synthesizeDeclared(
  stack: SynthStack,
  configMap: Record<string, unknown>,
  configFile = TARGETS[stack].stackFile,
): Promise<{ resources: DeclaredResource[]; invokes: string[] }> {
  const { resources, calls } = await run(stack, configMap, configFile);
  return {
    resources: resources.map((r) => ({
      ...toSynthResource(r),
      id: r.id,
      outputs: redact(r.state) as Record<string, unknown>,
    })),
    invokes: [...new Set(calls.map((c) => c.token))].sort(),
  };
}

async function run(stack: SynthStack, configMap: Record<string, unknown>, configFile: string) {
  const target = TARGETS[stack];
  const { config, secretKeys } = toRuntimeConfig(configMap);
  const stackOutputs = resolveReferences(config, configFile);
  const harness = createMocks({ stackOutputs, region: config['aws:region'] as string });
  pulumi.runtime.setAllConfig(config, secretKeys);
  await installMocks(harness, { project: target.project, stack });
  // An error thrown inside an apply that feeds a resource input (e.g. the target-group guard) surfaces as
  // a rejection nobody awaits, and that resource's registration never completes: the engine would fail
  // the resource, so synth stops waiting and fails with the error (the next synth resets the runtime).
  let fail: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  process.on('unhandledRejection', fail);
  try {
    await Promise.race([
      (async () => {
        await target.run();
        await settleCompletely(harness.resources);
      })(),
      failed,
    ]);
  } catch (err) {
    // Forget the registrations that will never complete, so the runtime reports no leaked promises.
    await pulumi.runtime.setMocks(harness.mocks, target.project, stack);
    throw unwrapSerialization(err);
  } finally {
    process.off('unhandledRejection', fail);
  }
  return harness;
}

/** The runtime prefixes an apply's error with the input it fed, once per nesting level: keep the error. */
function unwrapSerialization(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  err.message = err.message.replace(/^(?:error serializing property "[^"]+": )+/, '');
  if (err.name === TargetGroupInUseError.name)
    err.message += ` (synth's stand-in shared stack forwards to the colours ${TARGETS.shared.stackFile} lists in exchange-shared:environments)`;
  return err;
}

/** Registrations can start more registrations (outputs feeding inputs): wait until none are left. */
async function settleCompletely(resources: CapturedResource[]): Promise<void> {
  for (let seen = -1; seen !== resources.length;) {
    seen = resources.length;
    await settle();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function parentRef(urn: string | undefined): string | null {
  if (urn === undefined) return null;
  const parts = urn.split('::');
  const type = parts[2]?.split('$').pop();
  return type && parts[3] ? `${type}::${parts[3]}` : null;
}

function toSynthResource(r: CapturedResource): SynthResource {
  return {
    type: r.type,
    name: r.name,
    parent: parentRef(r.parent),
    inputs: redact(r.inputs) as Record<string, unknown>,
  };
}

/** Code-unit order, not locale order, so the output is identical on every machine. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareResources(a: SynthResource, b: SynthResource): number {
  return cmp(a.type, b.type) || cmp(a.name, b.name) || cmp(a.parent ?? '', b.parent ?? '');
}

/** `path:line` of the first stack frame in this repository's code (not node_modules), for code errors. */
export function codeLocation(err: unknown): string | undefined {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  for (const line of (err instanceof Error ? (err.stack ?? '') : '').split('\n').slice(1)) {
    const m = /\(?(?:file:\/\/)?(\/[^():]+):(\d+):\d+\)?$/.exec(line.trim());
    if (m?.[1]?.startsWith(root) && !m[1].includes('/node_modules/'))
      return `${m[1].slice(root.length)}:${m[2]}`;
  }
  return undefined;
}
