// The Pulumi engine's project-config rules, applied offline. Checked against pulumi/pulumi
// sdk/go/common/workspace/project.go (Project.Validate, ValidateConfigValue) and pkg/workspace/config.go
// (mergeConfig, validateStackConfigValue; PR #10832): the engine runs them before the program starts, so
// neither the mock runtime nor the program's own config parsing ever sees these errors.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

/** One key of a project's `config:` block (a bare string is shorthand for `{ type }`, as in the engine). */
export interface ProjectConfigType {
  type?: string;
  items?: ProjectConfigItems;
  description?: string;
  default?: unknown;
  value?: unknown;
  secret?: boolean;
}
export interface ProjectConfigItems {
  type: string;
  items?: ProjectConfigItems;
}
export interface ProjectSchema {
  name: string;
  config: Record<string, ProjectConfigType>;
  /** Where it was read from, for messages. */
  source: string;
}

/** A stack config value as the engine stores it: top-level scalars are text, maps/lists are objects. */
export type StoredValue =
  { kind: 'text'; text: string } | { kind: 'object'; value: unknown } | { kind: 'secure' };

export class ConfigRuleViolation {
  constructor(
    /** Short rule id, e.g. `missing-value`. */
    readonly rule: string,
    /** The file (or README command) the fix belongs in. */
    readonly where: string,
    readonly message: string,
  ) {}
  toString(): string {
    return `${this.where}: ${this.message}`;
  }
}

export class ProjectFileError extends Error {
  override name = 'ProjectFileError';
}

const SIMPLE_TYPES = ['string', 'integer', 'boolean', 'array', 'object'];

export function parseProjectSchema(text: string, source: string): ProjectSchema {
  const doc = load(text) as { name?: unknown; config?: Record<string, unknown> } | null;
  if (!doc || typeof doc.name !== 'string')
    throw new ProjectFileError(`${source}: no "name:"; a Pulumi.yaml needs the project name`);
  const config: Record<string, ProjectConfigType> = {};
  for (const [key, decl] of Object.entries(doc.config ?? {})) {
    config[key] = typeof decl === 'string' ? { type: decl } : ((decl ?? {}) as ProjectConfigType);
  }
  return { name: doc.name, config, source };
}

export function loadProjectSchema(path: string): ProjectSchema {
  return parseProjectSchema(readFileSync(path, 'utf8'), path);
}

/** Engine ValidateConfigValue: what a typed key accepts, given the stored (decoded) content. */
export function matchesType(type: string, items: ProjectConfigItems | undefined, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      // YAML numbers arrive as float64 (whole numbers pass); text passes if strconv.Atoi accepts it.
      if (typeof v === 'number') return Number.isInteger(v);
      return typeof v === 'string' && /^[+-]?\d+$/.test(v);
    case 'boolean':
      return typeof v === 'boolean' || v === 'true' || v === 'false';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return (
        Array.isArray(v) && items !== undefined && v.every((e) => matchesType(items.type, items.items, e))
      );
  }
}

function typeName(t: string, items?: ProjectConfigItems): string {
  return items ? `array<${typeName(items.type, items.items)}>` : t;
}

function ownKey(project: string, key: string): boolean {
  return !key.includes(':') || key.startsWith(`${project}:`);
}

/** Engine Project.Validate, plus one rule of ours: a description that promises a default must have one. */
export function validateProjectSchema(p: ProjectSchema): ConfigRuleViolation[] {
  const out: ConfigRuleViolation[] = [];
  const v = (rule: string, msg: string) => out.push(new ConfigRuleViolation(rule, p.source, msg));
  for (const [key, t] of Object.entries(p.config)) {
    if (t.default !== undefined && t.value !== undefined)
      v('default-and-value', `config '${key}' has both 'default' and 'value'; keep one`);
    if (!ownKey(p.name, key)) {
      if (t.type !== undefined || t.default !== undefined)
        v('foreign-typed', `'${key}' is not namespaced by ${p.name}: use 'value:', not 'type:'/'default:'`);
      else if (t.value === undefined)
        v('foreign-no-value', `'${key}' is not namespaced by ${p.name}: give it 'value:'`);
      continue;
    }
    if (t.type === undefined) continue;
    if (!SIMPLE_TYPES.includes(t.type))
      v('bad-type', `'${key}' has type '${t.type}'; use one of ${SIMPLE_TYPES.join(', ')}`);
    if (t.type === 'array' && t.items === undefined)
      v('array-no-items', `'${key}' declares an array without 'items:'; add items: { type: string }`);
    if (t.default !== undefined && !matchesType(t.type, t.items, t.default))
      v(
        'default-type',
        `the default of '${key}' (${JSON.stringify(t.default)}) is not a ${typeName(t.type, t.items)}`,
      );
    if (t.default === undefined && /\bdefault\b/i.test(t.description ?? ''))
      v(
        'promised-default',
        `the description of '${key}' promises a default, but Pulumi applies only 'default:'; add it`,
      );
  }
  return out;
}

/** How the engine stores a value read from a stack file's YAML (config.Value / object.MarshalString). */
export function storedFromYaml(v: unknown): StoredValue {
  if (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    'secure' in v
  )
    return { kind: 'secure' };
  if (typeof v === 'object' && v !== null) return { kind: 'object', value: v };
  return { kind: 'text', text: typeof v === 'string' ? v : JSON.stringify(v) };
}

/**
 * Engine mergeConfig + validateStackConfigValues for one stack: every project key with no default or
 * value must be set (typed or not: mergeConfig does not look at the type), every set typed key must match its type, a `secret: true` key must be encrypted.
 */
export function validateStackConfig(
  p: ProjectSchema,
  stackName: string,
  stackFile: string,
  values: Record<string, StoredValue>,
): ConfigRuleViolation[] {
  const out: ConfigRuleViolation[] = [];
  const missing: string[] = [];
  for (const key of Object.keys(p.config).sort()) {
    const t = p.config[key] as ProjectConfigType;
    const full = key.includes(':') ? key : `${p.name}:${key}`;
    // mergeConfig stores an absent key's default (as plaintext) before the values are validated.
    const stored = values[full] ?? (t.default !== undefined ? storedFromYaml(t.default) : undefined);
    if (stored === undefined) {
      if (ownKey(p.name, key) && t.default === undefined && t.value === undefined) missing.push(key);
      continue;
    }
    const msg = typeError(p, stackName, key, t, stored);
    if (msg) out.push(new ConfigRuleViolation(msg.rule, stackFile, msg.text));
  }
  if (missing.length > 0)
    out.unshift(
      new ConfigRuleViolation(
        'missing-value',
        stackFile,
        `Stack '${stackName}' is missing configuration value(s) ${missing.map((k) => `'${k}'`).join(', ')}: ` +
          `set them in ${stackFile} or give each a 'default:' in ${p.source}`,
      ),
    );
  return out;
}

function typeError(
  p: ProjectSchema,
  stackName: string,
  key: string,
  t: ProjectConfigType,
  stored: StoredValue,
): { rule: string; text: string } | undefined {
  if (t.secret === true && stored.kind !== 'secure')
    return { rule: 'secret-plaintext', text: `'${key}' is secret in ${p.source}: set it with --secret` };
  if (t.type === undefined || stored.kind === 'secure') return undefined;
  const content = stored.kind === 'text' ? stored.text : stored.value;
  if (matchesType(t.type, t.items, content)) return undefined;
  const hint =
    t.type === 'array' && stored.kind === 'text'
      ? ` (the text ${JSON.stringify(stored.text)} is not a list: write a YAML list in the stack file, or use --path '${key}[0]')`
      : '';
  return {
    rule: 'type',
    text: `Stack '${stackName}' with configuration key '${key}' must be of type '${typeName(t.type, t.items)}'${hint}`,
  };
}
