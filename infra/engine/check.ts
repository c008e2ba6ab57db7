// Applies the engine's config rules to this repository: both projects' schemas, every committed stack
// file, and every `pulumi config set|rm` the READMEs tell an operator to run (replayed in order).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { ENV_PROJECT, SHARED_PROJECT, SHARED_STACK } from '../../contract/stacks.ts';
import { applyCommand, extractConfigCommands, type ConfigCommand } from './configCommands.ts';
import {
  ConfigRuleViolation,
  loadProjectSchema,
  storedFromYaml,
  validateProjectSchema,
  validateStackConfig,
  type ProjectSchema,
  type StoredValue,
} from './projectConfig.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface ProjectLayout {
  name: string;
  /** Directory of Pulumi.yaml, relative to the repository root ('' = root). */
  dir: string;
  stacks: readonly string[];
}

export const PROJECTS: readonly ProjectLayout[] = [
  { name: ENV_PROJECT, dir: '', stacks: ['blue', 'green'] },
  { name: SHARED_PROJECT, dir: 'infra/shared', stacks: [SHARED_STACK] },
];

/** Documents whose commands are replayed. */
export const DOCUMENTS = ['README.md', 'infra/README.md'] as const;

const rel = (dir: string, file: string) => (dir ? `${dir}/${file}` : file);

export function projectOf(stack: string): ProjectLayout | undefined {
  return PROJECTS.find((p) => p.stacks.includes(stack));
}

export function loadSchema(project: ProjectLayout, root = ROOT): ProjectSchema {
  const schema = loadProjectSchema(`${root}${rel(project.dir, 'Pulumi.yaml')}`);
  return { ...schema, source: rel(project.dir, 'Pulumi.yaml') };
}

/** A stack file's `config:` map as the engine stores it. */
export function storedStackValues(map: Record<string, unknown>): Record<string, StoredValue> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, storedFromYaml(v)]));
}

function readStackMap(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const doc = load(readFileSync(path, 'utf8')) as { config?: Record<string, unknown> } | null;
  return doc?.config ?? {};
}

/** Schema rules plus stack rules for one stack's config map (what synth runs). */
export function checkStack(
  stack: string,
  configMap: Record<string, unknown>,
  stackFile: string,
  root = ROOT,
): ConfigRuleViolation[] {
  const project = projectOf(stack);
  if (!project) return [];
  const schema = loadSchema(project, root);
  return [
    ...validateProjectSchema(schema),
    ...validateStackConfig(schema, stack, stackFile, storedStackValues(configMap)),
  ];
}

/** Every committed stack file of both projects. */
export function checkCommittedStacks(root = ROOT): ConfigRuleViolation[] {
  return PROJECTS.flatMap((p) =>
    p.stacks.flatMap((stack) => {
      const file = rel(p.dir, `Pulumi.${stack}.yaml`);
      return checkStack(stack, readStackMap(`${root}${file}`), file, root);
    }),
  );
}

function commandProject(cmd: ConfigCommand): ProjectLayout | undefined {
  if (cmd.stack !== undefined) return projectOf(cmd.stack);
  return PROJECTS.find((p) => p.dir === cmd.cwd);
}

/**
 * Replays a document's commands over the committed stack files; after each command, the engine's rules
 * for the key it touched. A command whose stack cannot be told (no --stack, unknown cd) is reported too.
 */
export function checkDocumentCommands(docName: string, markdown: string, root = ROOT): ConfigRuleViolation[] {
  const out: ConfigRuleViolation[] = [];
  const state = new Map<string, Record<string, StoredValue>>();
  for (const cmd of extractConfigCommands(markdown)) {
    const where = `${docName}:${cmd.line} \`${cmd.text}\``;
    const project = commandProject(cmd);
    const stack = cmd.stack ?? project?.stacks[0];
    if (!project || !stack || !project.stacks.includes(stack)) {
      out.push(new ConfigRuleViolation('unknown-stack', where, 'add --stack blue|green|shared'));
      continue;
    }
    const values =
      state.get(stack) ??
      storedStackValues(readStackMap(`${root}${rel(project.dir, `Pulumi.${stack}.yaml`)}`));
    const full = cmd.key.includes(':') ? cmd.key : `${project.name}:${cmd.key}`;
    const after = applyCommand(values[full], cmd);
    if (after === undefined) delete values[full];
    else values[full] = after;
    state.set(stack, values);
    const schema = loadSchema(project, root);
    const bare = full.startsWith(`${project.name}:`) ? full.slice(project.name.length + 1) : full;
    for (const v of validateStackConfig(schema, stack, where, values))
      if (v.message.includes(`'${bare}'`)) out.push(v);
  }
  return out;
}

export function checkDocuments(root = ROOT): ConfigRuleViolation[] {
  return DOCUMENTS.flatMap((doc) =>
    existsSync(`${root}${doc}`)
      ? checkDocumentCommands(doc, readFileSync(`${root}${doc}`, 'utf8'), root)
      : [],
  );
}

/** Everything: schemas, committed stack files, documented commands. */
export function checkRepository(root = ROOT): ConfigRuleViolation[] {
  return [...checkCommittedStacks(root), ...checkDocuments(root)];
}

export class EngineConfigError extends Error {
  override name = 'EngineConfigError';
  constructor(readonly violations: ConfigRuleViolation[]) {
    super(
      `the Pulumi engine would refuse this config before the program runs:\n  ${violations.map(String).join('\n  ')}`,
    );
  }
}

/**
 * What synth runs: the stack's project schema and config, and every README command (a wrong command in
 * the bootstrap steps is refused wherever it is found; they are one document for all stacks).
 */
export function assertEngineAccepts(
  stack: string,
  configMap: Record<string, unknown>,
  stackFile: string,
): void {
  const violations = [...checkStack(stack, configMap, stackFile), ...checkDocuments()];
  if (violations.length > 0) throw new EngineConfigError(violations);
}
