// StackReferences for an offline synth: only stacks this repository defines resolve (their outputs are
// stand-ins, see fabricated.ts); a wrong organization, project or stack name is an error, as it is for the
// engine, and every stack involved must deploy to the same region (a StackReference does not cross them
// for free: the listener, cluster and VPC ARNs it hands over only work in their own region).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { COLORS, type Color } from '../../contract/index.ts';
import { ENV_PROJECT, SHARED_PROJECT, SHARED_STACK } from '../../contract/stacks.ts';
import { fabricatedEnvironmentOutputs, fabricatedSharedOutputs } from './fabricated.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** DIY backends name every stack `organization/<project>/<stack>`, with the literal word (pulumi#20239). */
export const DIY_ORGANIZATION = 'organization';

export class StackReferenceError extends Error {
  override name = 'StackReferenceError';
}

export interface Reference {
  /** Config key the name came from, e.g. `exchange:sharedStack` or `exchange-shared:environmentStacks.blue`. */
  key: string;
  name: string;
}

/** The stack names a program will reference, from the keys that hold them. */
export function referencedStacks(config: Record<string, string>): Reference[] {
  const refs: Reference[] = [];
  const shared = config[`${ENV_PROJECT}:sharedStack`];
  if (shared !== undefined) refs.push({ key: `${ENV_PROJECT}:sharedStack`, name: shared });
  const envKey = `${SHARED_PROJECT}:environmentStacks`;
  const envs = config[envKey];
  if (envs !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(envs);
    } catch {
      parsed = {};
    }
    for (const [color, name] of Object.entries((parsed ?? {}) as Record<string, unknown>))
      refs.push({ key: `${envKey}.${color}`, name: String(name) });
  }
  return refs;
}

function stackFileOf(project: string, stack: string): string | undefined {
  if (project === SHARED_PROJECT && stack === SHARED_STACK) return `infra/shared/Pulumi.${stack}.yaml`;
  if (project === ENV_PROJECT && COLORS.includes(stack as Color)) return `Pulumi.${stack}.yaml`;
  return undefined;
}

export function regionOfStackFile(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const doc = load(readFileSync(path, 'utf8')) as { config?: Record<string, unknown> } | null;
  const region = doc?.config?.['aws:region'];
  return typeof region === 'string' ? region : undefined;
}

/** The colours a shared stack file lists in `exchange-shared:environments` ([] when unset: the project default). */
export function environmentsOfStackFile(path: string): Color[] {
  if (!existsSync(path)) return [];
  const doc = load(readFileSync(path, 'utf8')) as { config?: Record<string, unknown> } | null;
  const list = doc?.config?.[`${SHARED_PROJECT}:environments`];
  return COLORS.filter((c) => Array.isArray(list) && list.includes(c));
}

function known(): string {
  return [`${SHARED_PROJECT}/${SHARED_STACK}`, ...COLORS.map((c) => `${ENV_PROJECT}/${c}`)]
    .map((s) => `${DIY_ORGANIZATION}/${s}`)
    .join(', ');
}

/**
 * Stand-in outputs for every referenced stack, keyed by name.
 * @throws StackReferenceError for an unknown name, a missing region, or regions that disagree.
 */
export function resolveReferences(
  config: Record<string, string>,
  configFile: string,
  root = ROOT,
): Record<string, Record<string, unknown>> {
  const region = config['aws:region'];
  if (!region)
    throw new StackReferenceError(
      `${configFile}: aws:region is not set; set it to the shared stack's region`,
    );
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const ref of referencedStacks(config)) {
    const [org, project = '', stack = '', ...rest] = ref.name.split('/');
    const file = rest.length === 0 && org === DIY_ORGANIZATION ? stackFileOf(project, stack) : undefined;
    if (file === undefined)
      throw new StackReferenceError(
        `${configFile}: ${ref.key} = "${ref.name}" names no stack of this repository; use one of ${known()}`,
      );
    const theirs = regionOfStackFile(`${root}${file}`);
    if (theirs !== region)
      throw new StackReferenceError(
        `${configFile}: aws:region is ${region} but ${ref.name} (${file}) deploys to ${theirs ?? 'no region'}; ` +
          'all three stacks must use one region',
      );
    outputs[ref.name] =
      project === SHARED_PROJECT
        ? fabricatedSharedOutputs(environmentsOfStackFile(`${root}${file}`))
        : fabricatedEnvironmentOutputs(stack as Color);
  }
  return outputs;
}
